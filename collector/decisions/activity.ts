/**
 * Last activity per user, merged while they stream past from: audit records, issues a person created (bounded JQL
 * search), changelog histories (transitions, field edits), comments, worklogs, and optionally the org Admin API's
 * per-product `last_active` dates (atlassian-api.md §6).
 *
 * The governing rule: credit a person only with what that person demonstrably did. An inactive-seat report drives
 * licence reclamation; crediting someone with an event that happened *to* them (an admin created them, added them
 * to a group, assigned them an issue) would hide exactly the unused seats the report exists to find. The opposite
 * risk (an active person who leaves no trace in these sources) is surfaced by the seat report's caveats instead.
 */
import type { AuditRecord, ChangelogHistory, IssueComment, JiraIssue, Worklog } from "../../atlassian";
import { parseDateOnly, parseJiraTimestamp, toIso } from "./time";

export type ActivitySource = "org-last-active" | "audit" | "issue" | "changelog" | "comment" | "worklog";

export const ACTIVITY_SOURCES: readonly ActivitySource[] = ["org-last-active", "audit", "changelog", "comment", "worklog", "issue"];

export interface UserActivity {
  lastActivityAt: string;
  lastActivitySource: ActivitySource;
  /** What the evidence was, e.g. `audit 1042: User logged in` or `issue ENG-7 created`. */
  detail: string;
}

/** One entry of the org API's `data.product_access`. */
export interface OrgProductAccess {
  key: string;
  /** `yyyy-MM-dd`. */
  last_active?: string | null;
  /** ARI ending in `site/<cloudId>`. */
  id?: string | null;
}

export interface ActivityOptions {
  /** Keep only org entries of this site (their ARI ends in `site/<cloudId>`); an org can span several sites. */
  cloudId?: string;
  /** Which org product keys are Jira usage; default: keys starting with `jira` (not Confluence, Loom…). */
  isJiraProduct?: (key: string) => boolean;
  /** Opt-in approximation: the reporter at the issue's `created` (default off, see `issueActors`). */
  reporterAtCreated?: boolean;
  /** Opt-in approximation: the assignee at the issue's `updated` (default off, see `issueActors`). */
  assigneeAtUpdated?: boolean;
}

export interface Attribution {
  accountId: string;
  at: number;
  detail: string;
}

/** On equal instants the more direct measurement wins, so the result does not depend on arrival order. */
const SOURCE_RANK: Record<ActivitySource, number> = { "org-last-active": 6, audit: 5, changelog: 4, worklog: 3, comment: 2, issue: 1 };

const SIGN_IN = /\b(log(ged)?[\s-]?(in|on|out|off)|sign(ed)?[\s-]?(in|on|out|off))\b/i;

/**
 * Who acted in an audit record. The author (`authorAccountId`) performed the audited change, so it is theirs
 * (an admin editing a workflow is using Jira). The object user (`objectItem` with `typeName` USER, whose `name`
 * holds the account ID) is only credited for sign-in/sign-out events, the one kind that records the object
 * user's own action; every other USER event (created, updated, added to/removed from group, deactivated) is an
 * admin acting on that user and says nothing about the user's own use. Associated items and changed values
 * (e.g. a new project lead) are never credited, for the same reason.
 */
export function auditActors(record: AuditRecord): Attribution[] {
  const at = parseJiraTimestamp(record.created);
  if (at === undefined) return [];
  const detail = `audit ${record.id}: ${record.summary}`;
  const actors = new Set<string>();
  if (record.authorAccountId) actors.add(record.authorAccountId);
  const object = record.objectItem;
  const objectUser = object?.typeName?.toUpperCase() === "USER" ? (object.name ?? object.id) : undefined;
  if (objectUser && SIGN_IN.test(record.summary)) actors.add(objectUser);
  return [...actors].map((accountId) => ({ accountId, at, detail }));
}

/**
 * Who acted on an issue, by default only the creator at `created`: creating the issue is an action of that
 * person at that instant. Not credited by default, because the field names someone who need not have acted:
 * - the reporter can be set by whoever files the issue (on someone's behalf, by email, by import); when the
 *   reporter did file it they are the creator and are already credited;
 * - `updated` says *someone* touched the issue (a comment, automation, a bulk edit), not who; crediting the
 *   assignee with it is an approximation, offered as `assigneeAtUpdated` for sites without org last-active
 *   dates, where developers who only work on assigned issues would otherwise leave no trace.
 * `updated` is never credited to the creator or reporter.
 */
export function issueActors(issue: JiraIssue, options: ActivityOptions = {}): Attribution[] {
  const f = issue.fields;
  const name = issue.key ?? issue.id;
  const created = parseJiraTimestamp(f.created);
  const updated = parseJiraTimestamp(f.updated);
  const out: Attribution[] = [];
  if (created !== undefined && f.creator?.accountId) {
    out.push({ accountId: f.creator.accountId, at: created, detail: `issue ${name} created` });
  }
  if (options.reporterAtCreated && created !== undefined && f.reporter?.accountId) {
    out.push({ accountId: f.reporter.accountId, at: created, detail: `issue ${name} reported` });
  }
  if (options.assigneeAtUpdated && updated !== undefined && f.assignee?.accountId) {
    out.push({ accountId: f.assignee.accountId, at: updated, detail: `issue ${name} updated while assigned` });
  }
  return out;
}

/**
 * Who changed an issue: the history's author at its `created` (a transition or field edit is that person's act).
 * `label` names the issue (key, else ID) in the detail.
 */
export function changelogActors(label: string, history: ChangelogHistory): Attribution[] {
  const at = parseJiraTimestamp(history.created);
  const accountId = history.author?.accountId;
  if (at === undefined || !accountId) return [];
  return [{ accountId, at, detail: `issue ${label} changed${history.id ? ` (history ${history.id})` : ""}` }];
}

/** Who commented: the author at `created`, and whoever last edited it (`updateAuthor`) at `updated`. */
export function commentActors(label: string, comment: IssueComment): Attribution[] {
  const out: Attribution[] = [];
  const created = parseJiraTimestamp(comment.created);
  const updated = parseJiraTimestamp(comment.updated);
  if (created !== undefined && comment.author?.accountId) out.push({ accountId: comment.author.accountId, at: created, detail: `comment on issue ${label}` });
  if (updated !== undefined && comment.updateAuthor?.accountId) out.push({ accountId: comment.updateAuthor.accountId, at: updated, detail: `comment edited on issue ${label}` });
  return out;
}

/**
 * Who logged work: the author at `created` and the last editor at `updated` — not `started`, which is the day the
 * work is said to have begun and can be typed in freely (weeks back, or ahead).
 */
export function worklogActors(worklog: Worklog): Attribution[] {
  const out: Attribution[] = [];
  const label = `worklog ${worklog.id ?? "?"}${worklog.issueId ? ` on issue ${worklog.issueId}` : ""}`;
  const created = parseJiraTimestamp(worklog.created);
  const updated = parseJiraTimestamp(worklog.updated);
  if (created !== undefined && worklog.author?.accountId) out.push({ accountId: worklog.author.accountId, at: created, detail: label });
  if (updated !== undefined && worklog.updateAuthor?.accountId) out.push({ accountId: worklog.updateAuthor.accountId, at: updated, detail: `${label} edited` });
  return out;
}

/**
 * The org API's dates for this site's Jira products, as instants at 00:00 UTC of the day [A: the API does not
 * name a time zone]. The start of the day is the conservative reading: it never claims a later instant than the
 * real one, so a same-day audit or issue event (with a precise time) is the one reported.
 */
export function orgActivity(accountId: string, access: readonly OrgProductAccess[], options: ActivityOptions = {}): Attribution[] {
  const isJira = options.isJiraProduct ?? ((key: string) => key.startsWith("jira"));
  const out: Attribution[] = [];
  for (const entry of access) {
    if (!isJira(entry.key)) continue;
    // An entry without an ARI cannot be placed on a site; keep it rather than lose the best signal we have.
    if (options.cloudId && entry.id && !entry.id.endsWith(`site/${options.cloudId}`)) continue;
    const at = parseDateOnly(entry.last_active);
    if (at !== undefined) out.push({ accountId, at, detail: `org last active in ${entry.key} on ${entry.last_active}` });
  }
  return out;
}

/**
 * Whether the org's answer mentions this site's Jira: some Jira product entry of this site (or one without an ARI).
 * Atlassian documents that `product_access` lists only products the person accessed ("if the user has not accessed
 * a product, the product_access response field will be empty"), so for one account an answer without this site
 * means "never used it here". Across a whole run, though, answers that never mention the site mean the org does not
 * manage it (a wrong org ID), and then no absence proves anything: the collector checks that (collect.ts).
 */
export function orgMentionsSite(access: readonly OrgProductAccess[], options: ActivityOptions = {}): boolean {
  const isJira = options.isJiraProduct ?? ((key: string) => key.startsWith("jira"));
  return access.some((entry) => isJira(entry.key) && (!options.cloudId || !entry.id || entry.id.endsWith(`site/${options.cloudId}`)));
}

interface Entry {
  at: number;
  source: ActivitySource;
  detail: string;
}

/** Counters for the report's caveats: how much evidence each source contributed. */
export interface ActivityStats {
  auditRecords: number;
  issues: number;
  changelogHistories: number;
  comments: number;
  worklogs: number;
  orgUsers: number;
  /** Per-user entries carried forward from the previous complete snapshot. */
  carriedForward: number;
  /** Audit records and issues whose `created` could not be parsed (they contribute nothing, or less). */
  unparsed: number;
  attributions: Record<ActivitySource, number>;
}

/**
 * Streaming accumulator: feed records, issues and org dates in any order and any number of pages; memory is one
 * entry per account seen. The latest instant wins; on a tie the higher-ranked source (org > audit > issue), then
 * the smaller `detail` string, so the result is independent of arrival order.
 */
export class ActivityAccumulator {
  private readonly latest = new Map<string, Entry>();
  private readonly counters: ActivityStats = {
    auditRecords: 0,
    issues: 0,
    changelogHistories: 0,
    comments: 0,
    worklogs: 0,
    orgUsers: 0,
    carriedForward: 0,
    unparsed: 0,
    attributions: { "org-last-active": 0, audit: 0, issue: 0, changelog: 0, comment: 0, worklog: 0 },
  };

  constructor(private readonly options: ActivityOptions = {}) {}

  addAuditRecord(record: AuditRecord): this {
    this.counters.auditRecords++;
    if (parseJiraTimestamp(record.created) === undefined) this.counters.unparsed++;
    for (const a of auditActors(record)) this.offer(a, "audit");
    return this;
  }

  addIssue(issue: JiraIssue): this {
    this.counters.issues++;
    if (parseJiraTimestamp(issue.fields.created) === undefined) this.counters.unparsed++;
    for (const a of issueActors(issue, this.options)) this.offer(a, "issue");
    return this;
  }

  addChangelog(label: string, history: ChangelogHistory): this {
    this.counters.changelogHistories++;
    for (const a of changelogActors(label, history)) this.offer(a, "changelog");
    return this;
  }

  addComment(label: string, comment: IssueComment): this {
    this.counters.comments++;
    for (const a of commentActors(label, comment)) this.offer(a, "comment");
    return this;
  }

  addWorklog(worklog: Worklog): this {
    this.counters.worklogs++;
    for (const a of worklogActors(worklog)) this.offer(a, "worklog");
    return this;
  }

  /**
   * Activity found by an earlier run (its snapshot's activity file). Audit records are read incrementally, from the
   * previous watermark on, so evidence older than that exists only in earlier snapshots; without it a person who
   * signed in once a month ago would turn inactive on the next run.
   */
  addCarriedForward(accountId: string, activity: UserActivity): this {
    const at = parseJiraTimestamp(activity.lastActivityAt);
    if (at === undefined || !(activity.lastActivitySource in SOURCE_RANK)) return this;
    this.counters.carriedForward++;
    this.offer({ accountId, at, detail: activity.detail }, activity.lastActivitySource);
    return this;
  }

  addOrgLastActive(accountId: string, productAccess: readonly OrgProductAccess[]): this {
    this.counters.orgUsers++;
    for (const a of orgActivity(accountId, productAccess, this.options)) this.offer(a, "org-last-active");
    return this;
  }

  /** accountId → last activity, in accountId order. Accounts never seen are absent (source "none"). */
  result(): Map<string, UserActivity> {
    const keys = [...this.latest.keys()].sort();
    return new Map(
      keys.map((id) => {
        const e = this.latest.get(id)!;
        return [id, { lastActivityAt: toIso(e.at), lastActivitySource: e.source, detail: e.detail }];
      }),
    );
  }

  stats(): ActivityStats {
    return { ...this.counters, attributions: { ...this.counters.attributions } };
  }

  private offer(a: Attribution, source: ActivitySource): void {
    this.counters.attributions[source]++;
    const current = this.latest.get(a.accountId);
    const candidate: Entry = { at: a.at, source, detail: a.detail };
    if (!current || wins(candidate, current)) this.latest.set(a.accountId, candidate);
  }
}

function wins(a: Entry, b: Entry): boolean {
  if (a.at !== b.at) return a.at > b.at;
  if (a.source !== b.source) return SOURCE_RANK[a.source] > SOURCE_RANK[b.source];
  return a.detail < b.detail;
}
