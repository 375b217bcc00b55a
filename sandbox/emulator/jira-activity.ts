/**
 * What people did on issues (seed-behaviour.ts): `POST /changelog/bulkfetch`, `GET /issue/{issueIdOrKey}/comment`,
 * `GET /worklog/updated`, `POST /worklog/list`, plus the renderings `search/jql` embeds (comment, worklog, changelog).
 */
import { createHash } from "node:crypto";
import { DAY, jiraDate, MINUTE } from "./clock";
import { fail } from "./http-util";
import type { JiraHandler, JiraRequest } from "./jira-context";
import { intParam, listParam, offsetParam, pageSize } from "./pagination";
import { issueUserJson } from "./render";
import type { SeedIssue } from "./seed-activity";
import type { SeedComment, SeedHistory, SeedWorklog } from "./seed-behaviour";
import type { EmulatedSite } from "./types";

const P = "/rest/api/3";
// [A] Jira's usual wording for a body that does not parse or does not fit the request bean.
const INVALID_PAYLOAD = "Invalid request payload. Refer to the REST API documentation and try again.";
const NO_ISSUE = "Issue does not exist or you do not have permission to see it.";
const TOKEN_TTL = 7 * DAY;

// --- renderings ---------------------------------------------------------------------------------------------

export function historyJson(h: SeedHistory, base: string, fieldIds?: ReadonlySet<string>): Record<string, unknown> {
  const items = fieldIds ? h.items.filter((i) => fieldIds.has(i.fieldId)) : h.items;
  return { id: h.id, author: issueUserJson(h.author, base), created: jiraDate(h.created), items: items.map((i) => ({ ...i })) };
}

function adf(text: string): Record<string, unknown> {
  return { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text }] }] };
}

export function commentJson(c: SeedComment, base: string, rendered = false): Record<string, unknown> {
  const author = issueUserJson(c.author, base);
  return {
    self: `${base}${P}/issue/${c.issueId}/comment/${c.id}`,
    id: c.id,
    author,
    body: adf(c.text),
    ...(rendered ? { renderedBody: `<p>${c.text}</p>` } : {}),
    updateAuthor: author,
    created: jiraDate(c.created),
    updated: jiraDate(c.updated),
    jsdPublic: true,
  };
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return [h ? `${h}h` : "", m ? `${m}m` : ""].filter(Boolean).join(" ") || "0m";
}

export function worklogJson(w: SeedWorklog, base: string): Record<string, unknown> {
  const author = issueUserJson(w.author, base);
  return {
    self: `${base}${P}/issue/${w.issueId}/worklog/${w.id}`,
    author,
    updateAuthor: author,
    created: jiraDate(w.created),
    updated: jiraDate(w.updated),
    started: jiraDate(w.started),
    timeSpent: duration(w.timeSpentSeconds),
    timeSpentSeconds: w.timeSpentSeconds,
    id: String(w.id),
    issueId: w.issueId,
  };
}

/**
 * The `comment` / `worklog` fields and the `changelog` expansion of an issue in `search/jql`, truncated as Jira does
 * [A] (`modes.embeddedLimits`): the oldest N comments and worklogs (`maxResults` = the limit, `total` = the real
 * count); the N most recent histories in chronological order (`startAt` 0, `maxResults` = histories shown).
 */
export function embeddedComments(site: EmulatedSite, issue: SeedIssue, req: JiraRequest): Record<string, unknown> {
  const all = site.activity.byIssue.get(issue.id)?.comments ?? [];
  const limit = req.modes.embeddedLimits.comment;
  return { comments: all.slice(0, limit).map((c) => commentJson(c, req.base)), self: `${req.base}${P}/issue/${issue.id}/comment`, maxResults: limit, total: all.length, startAt: 0 };
}

export function embeddedWorklogs(site: EmulatedSite, issue: SeedIssue, req: JiraRequest): Record<string, unknown> {
  const all = site.activity.byIssue.get(issue.id)?.worklogs ?? [];
  const limit = req.modes.embeddedLimits.worklog;
  return { startAt: 0, maxResults: limit, total: all.length, worklogs: all.slice(0, limit).map((w) => worklogJson(w, req.base)) };
}

export function embeddedChangelog(site: EmulatedSite, issue: SeedIssue, req: JiraRequest): Record<string, unknown> {
  const all = site.activity.byIssue.get(issue.id)?.histories ?? [];
  const shown = all.slice(Math.max(0, all.length - req.modes.embeddedLimits.changelog));
  return { startAt: 0, maxResults: shown.length, total: all.length, histories: shown.map((h) => historyJson(h, req.base)) };
}

// --- helpers -----------------------------------------------------------------------------------------------

const issueIndex = new WeakMap<SeedIssue[], Map<string, SeedIssue>>();

/** Issue by ID or (case-insensitive) key. */
export function findIssue(site: EmulatedSite, idOrKey: string): SeedIssue | undefined {
  let index = issueIndex.get(site.issues);
  if (!index) {
    index = new Map();
    for (const i of site.issues) index.set(i.id, i).set(i.key.toUpperCase(), i);
    issueIndex.set(site.issues, index);
  }
  return index.get(idOrKey.trim().toUpperCase());
}

function jsonBody(req: JiraRequest): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch {
    fail(400, INVALID_PAYLOAD);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) fail(400, INVALID_PAYLOAD);
  return parsed as Record<string, unknown>;
}

function onlyKeys(body: Record<string, unknown>, allowed: string[]): void {
  // [A] the request beans have `additionalProperties: false`; unknown properties are refused like a bad payload.
  if (Object.keys(body).some((k) => !allowed.includes(k))) fail(400, INVALID_PAYLOAD);
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 16);
}

function readCursor(token: string, query: string, now: number): number {
  let cursor: { o?: unknown; q?: unknown; t?: unknown };
  try {
    cursor = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as typeof cursor;
  } catch {
    return fail(400, "The provided next page token is invalid.");
  }
  // [A] as for search/jql: a token continues only the request it came from and expires after 7 days.
  if (typeof cursor?.o !== "number" || cursor.q !== query || typeof cursor.t !== "number") fail(400, "The provided next page token is invalid.");
  if (now - (cursor.t as number) > TOKEN_TTL) fail(400, "The provided next page token has expired.");
  return cursor.o as number;
}

const writeCursor = (offset: number, query: string, now: number) => Buffer.from(JSON.stringify({ o: offset, q: query, t: now })).toString("base64url");

// --- POST /changelog/bulkfetch ---------------------------------------------------------------------------------

/**
 * Histories of the requested issues, oldest first then by issue ID, cursor-paged; each page groups its histories
 * per issue (one entry per issue, in the order of its oldest history on the page) [A]. Unknown issues (or ones the
 * caller cannot see) are left out. `fieldIds` keeps only those items, and histories that still have one [A].
 */
export const bulkFetchChangelogs: JiraHandler = (req) => {
  const body = jsonBody(req);
  onlyKeys(body, ["issueIdsOrKeys", "fieldIds", "maxResults", "nextPageToken"]);
  const { issueIdsOrKeys, fieldIds, maxResults, nextPageToken } = body;
  // [A] wording of the validation messages (the document only names the conditions).
  if (issueIdsOrKeys === undefined || (Array.isArray(issueIdsOrKeys) && issueIdsOrKeys.length === 0)) fail(400, "At least one issue ID or key must be provided.");
  if (!isStringArray(issueIdsOrKeys)) fail(400, INVALID_PAYLOAD);
  if (issueIdsOrKeys.length > 1000) fail(400, "A maximum of 1000 issue IDs or keys can be requested.");
  if (fieldIds !== undefined && !isStringArray(fieldIds)) fail(400, INVALID_PAYLOAD);
  if (fieldIds && fieldIds.length > 10) fail(400, "A maximum of 10 field IDs can be requested.");
  if (maxResults !== undefined && (typeof maxResults !== "number" || !Number.isInteger(maxResults))) fail(400, INVALID_PAYLOAD);
  if (typeof maxResults === "number" && (maxResults < 1 || maxResults > 10_000)) fail(400, "maxResults must be between 1 and 10000.");
  if (nextPageToken !== undefined && nextPageToken !== null && typeof nextPageToken !== "string") fail(400, INVALID_PAYLOAD);

  const issueIds = new Set(issueIdsOrKeys.flatMap((k) => findIssue(req.site, k)?.id ?? []));
  const fields = fieldIds && fieldIds.length > 0 ? new Set(fieldIds) : undefined;
  const query = hashOf({ ids: [...issueIds].sort(), fields: fields ? [...fields].sort() : null });
  const offset = nextPageToken ? readCursor(nextPageToken, query, req.now) : 0;
  // Default 1000 and document maximum 10000; the test-controlled cap applies too.
  const size = Math.min(typeof maxResults === "number" ? maxResults : 1000, req.modes.maxResultsCap[req.path] ?? Number.POSITIVE_INFINITY);
  const matching = req.site.activity.histories.filter((h) => issueIds.has(h.issueId) && (!fields || h.items.some((i) => fields.has(i.fieldId))));
  const page = matching.slice(offset, offset + size);
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const h of page) {
    const list = groups.get(h.issueId) ?? [];
    list.push(historyJson(h, req.base, fields));
    groups.set(h.issueId, list);
  }
  const more = offset + page.length < matching.length;
  return {
    body: {
      issueChangeLogs: [...groups].map(([issueId, changeHistories]) => ({ issueId, changeHistories })),
      ...(more ? { nextPageToken: writeCursor(offset + page.length, query, req.now) } : {}),
    },
    core: page.length,
  };
};

// --- GET /issue/{issueIdOrKey}/comment -------------------------------------------------------------------------

export const issueComments: JiraHandler = (req) => {
  const issue = findIssue(req.site, req.params.issueIdOrKey);
  if (!issue) fail(404, NO_ISSUE);
  const orderBy = req.query.get("orderBy");
  if (orderBy !== null && orderBy !== "" && !["created", "+created", "-created"].includes(orderBy)) {
    fail(400, `Invalid orderBy value '${orderBy}'. Only 'created' is supported.`); // [A] wording
  }
  const startAt = offsetParam(req, "startAt");
  // Default 100 (the document); [A] larger values are capped at 100 silently.
  const maxResults = pageSize(req, "maxResults", { fallback: 100, max: 100, min: 0 });
  const all = req.site.activity.byIssue.get(issue.id)?.comments ?? [];
  const ordered = orderBy === "-created" ? [...all].reverse() : all;
  const comments = ordered.slice(startAt, startAt + maxResults);
  const rendered = listParam(req, "expand").includes("renderedBody");
  return { body: { startAt, maxResults, total: all.length, comments: comments.map((c) => commentJson(c, req.base, rendered)) }, core: comments.length };
};

// --- GET /worklog/updated ------------------------------------------------------------------------------------

/**
 * Worklogs updated at or after `since` (inclusive, as the document's example shows [A]), oldest first, 1000 per page
 * (or `modes.maxResultsCap`), never those updated during the minute before the request (documented). `until` is
 * the last item's time (`since` on an empty page [A]); `nextPage` (`since=<until>`) is present on every page, the
 * last one included, as in the document's example — so a page's last item comes again first on the next page.
 */
export const worklogsUpdated: JiraHandler = (req) => {
  const since = intParam(req, "since", 0);
  const cutoff = req.now - MINUTE;
  const size = Math.min(1000, req.modes.maxResultsCap[req.path] ?? Number.POSITIVE_INFINITY);
  const all = req.site.activity.worklogs;
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid].updated < since) lo = mid + 1;
    else hi = mid;
  }
  const values: SeedWorklog[] = [];
  let i = lo;
  for (; i < all.length && values.length < size && all[i].updated <= cutoff; i++) values.push(all[i]);
  const lastPage = !(i < all.length && all[i].updated <= cutoff);
  const until = values.length > 0 ? values[values.length - 1].updated : since;
  const expand = req.query.get("expand");
  const link = (t: number) => `${req.base}${P}/worklog/updated?since=${t}${expand ? `&expand=${encodeURIComponent(expand)}` : ""}`;
  return {
    body: {
      values: values.map((w) => ({ worklogId: w.id, updatedTime: w.updated, properties: [] })),
      since,
      until,
      self: link(since),
      nextPage: link(until),
      lastPage,
    },
    core: values.length,
  };
};

// --- POST /worklog/list --------------------------------------------------------------------------------------

export const worklogList: JiraHandler = (req) => {
  const body = jsonBody(req);
  onlyKeys(body, ["ids"]);
  const { ids } = body;
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === "number" && Number.isInteger(x))) fail(400, INVALID_PAYLOAD);
  // [A] wording; the document: "more than 1000 worklog IDs or is empty".
  if (ids.length === 0) fail(400, "At least one worklog ID must be provided.");
  if (ids.length > 1000) fail(400, "A maximum of 1000 worklog IDs can be requested.");
  const found = [...new Set(ids as number[])]
    .sort((a, b) => a - b)
    .flatMap((id) => req.site.activity.worklogsById.get(id) ?? []);
  return { body: found.map((w) => worklogJson(w, req.base)), core: found.length };
};
