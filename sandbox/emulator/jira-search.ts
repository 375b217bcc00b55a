/** `GET /search/jql` (enhanced search): bounded JQL, cursor paging with `nextPageToken` + `isLast`, no total. */
import { createHash } from "node:crypto";
import { DAY, jiraDate } from "./clock";
import { fail } from "./http-util";
import { embeddedChangelog, embeddedComments, embeddedWorklogs } from "./jira-activity";
import type { JiraHandler, JiraRequest } from "./jira-context";
import { comparator, evaluate, parseJql } from "./jql";
import { listParam, pageSize } from "./pagination";
import { avatarUrls, issueUserJson } from "./render";
import type { SeedIssue } from "./seed-activity";

/** `*all` and `*navigable` (the emulator has no non-navigable fields); `comment`/`worklog` are truncated lists. */
const NAVIGABLE = ["summary", "project", "created", "updated", "creator", "reporter", "assignee", "comment", "worklog"];
const TOKEN_TTL = 7 * DAY;

interface Cursor {
  o: number; // offset of the next page
  q: string; // hash of the query it belongs to
  t: number; // issued at (emulator clock)
}

function queryHash(jql: string): string {
  return createHash("sha256").update(jql).digest("base64url").slice(0, 16);
}

function readCursor(token: string, jql: string, now: number): number {
  let cursor: Cursor;
  try {
    cursor = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Cursor;
  } catch {
    return fail(400, "The provided next page token is invalid.");
  }
  // [A] a token only continues the query it came from, and expires after 7 days as documented.
  if (typeof cursor?.o !== "number" || cursor.q !== queryHash(jql)) fail(400, "The provided next page token is invalid.");
  if (now - cursor.t > TOKEN_TTL) fail(400, "The provided next page token has expired.");
  return cursor.o;
}

function writeCursor(offset: number, jql: string, now: number): string {
  return Buffer.from(JSON.stringify({ o: offset, q: queryHash(jql), t: now } satisfies Cursor)).toString("base64url");
}

/** `fields`: default `id` only; `*all`/`*navigable` expand; `-name` removes. Unknown names are ignored like Jira. */
function requestedFields(req: JiraRequest): Set<string> {
  const raw = listParam(req, "fields");
  const out = new Set<string>();
  for (const f of raw.length ? raw : ["id"]) if (f === "*all" || f === "*navigable") NAVIGABLE.forEach((n) => out.add(n));
  for (const f of raw) if (!f.startsWith("-") && !f.startsWith("*")) out.add(f);
  for (const f of raw) if (f.startsWith("-")) out.delete(f.slice(1));
  return out;
}

function issueJson(issue: SeedIssue, fields: Set<string>, req: JiraRequest, changelog: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const user = (u: SeedIssue["creator"] | null) => (u ? issueUserJson(u, req.base) : null);
  for (const f of fields) {
    if (f === "summary") out.summary = issue.summary;
    else if (f === "created" || f === "updated") out[f] = jiraDate(issue[f]);
    else if (f === "creator" || f === "reporter" || f === "assignee") out[f] = user(issue[f]);
    else if (f === "comment") out.comment = embeddedComments(req.site, issue, req);
    else if (f === "worklog") out.worklog = embeddedWorklogs(req.site, issue, req);
    else if (f === "project")
      out.project = {
        self: `${req.base}/rest/api/3/project/${issue.project.id}`,
        id: issue.project.id,
        key: issue.project.key,
        name: issue.project.name,
        projectTypeKey: "software",
        simplified: false,
        avatarUrls: avatarUrls(issue.reporter),
      };
  }
  return {
    expand: "",
    id: issue.id,
    self: `${req.base}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    fields: out,
    // [A] `expand=changelog` is allowed with the search scopes (atlassian-api.md §6: unverified whether it needs more).
    ...(changelog ? { changelog: embeddedChangelog(req.site, issue, req) } : {}),
  };
}

export const searchJql: JiraHandler = (req) => {
  const jql = req.query.get("jql") ?? "";
  const parsed = parseJql(jql);
  // Enhanced search refuses unbounded queries (e.g. only `ORDER BY …`).
  if (!parsed.where) fail(400, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.");
  const fields = requestedFields(req);
  const changelog = listParam(req, "expand").includes("changelog");
  const onlyIds = !changelog && [...fields].every((f) => f === "id" || f === "key");
  // [A] up to 5000 per page when only id/key are requested, else 100 (Jira returns "fewer than asked" freely).
  const max = pageSize(req, "maxResults", { fallback: 50, max: onlyIds ? 5000 : 100, min: 1 });
  const token = req.query.get("nextPageToken");
  const offset = token ? readCursor(token, jql, req.now) : 0;
  const ctx = { now: req.now, currentUser: req.principal?.accountId };
  const matches = req.site.issues.filter((i) => evaluate(parsed.where!, i, ctx)).sort(comparator(parsed.orderBy));
  const page = matches.slice(offset, offset + max);
  const isLast = offset + page.length >= matches.length;
  return {
    body: {
      issues: page.map((i) => issueJson(i, fields, req, changelog)),
      ...(isLast ? {} : { nextPageToken: writeCursor(offset + page.length, jql, req.now) }),
      isLast,
    },
    core: page.length,
  };
};
