/**
 * Seeded per-person behaviour (issue 11): every active `atlassian` account gets a profile, the profile decides
 * which Jira actions the person takes (changelog histories, comments, worklogs on seeded issues; audit records and
 * issue creation are picked from the same population) and which product pages they viewed (org last-active dates).
 * The ground truth (`activityTruth`) is computed from the generated data, never from the plan, so it is exact.
 *
 * Profile shares among active `atlassian` accounts other than the fixed admin/member (who are always contributors):
 *
 * | profile       | share | Jira actions                                     | page views (org last-active)              |
 * |---------------|-------|--------------------------------------------------|-------------------------------------------|
 * | `contributor` | 65 %  | 1–6 planned, the last 0–85 days ago (skewed recent) | around/after the last action           |
 * | `reader`      | 15 %  | none                                             | within the last 89 days                   |
 * | `idle`        |  8 %  | none                                             | none (half) or one 95–300 days ago (half) |
 * | `lapsed`      | 12 %  | 1–6 planned, the last 100–170 days ago           | between the last action and 95 days ago   |
 *
 * Contributors: changelog 85 %, comment 55 %, worklog 20 % (at least one kind), 1–2 actions per kind, so at most 6
 * planned actions; 25 % are preferred as issue creators. Lapsed: changelog 70 %, comment 40 %, worklog 15 %.
 * Audit records and issue creations come on top (their counts are options), authored only by someone whose planned
 * last action is not before the record (the admin otherwise), so readers and idle people never act and lapsed
 * people never act after their last planned action. Inactive accounts, apps and customers get no plan (former
 * staff still create old issues, as before). All of this is [A]: shaped after typical tenants, not Atlassian data.
 */
import { DAY, MINUTE } from "./clock";
import { ISSUE_WORDS } from "./names";
import type { Random } from "./random";
import type { AuditRecordJson, SeedIssue } from "./seed-activity";
import type { SeedRole, SeedUser } from "./seed-data";

export type ProfileName = "contributor" | "reader" | "idle" | "lapsed" | "inactive" | "app" | "customer";
export type ActionSource = "audit" | "issue-created" | "changelog" | "comment" | "worklog";
export const ACTION_SOURCES: readonly ActionSource[] = ["audit", "issue-created", "changelog", "comment", "worklog"];

export const PROFILE_SHARES = { contributor: 0.65, reader: 0.15, idle: 0.08, lapsed: 0.12 } as const;
const WINDOW = 180 * DAY;

export interface ChangeItem {
  field: string;
  fieldtype: string;
  fieldId: string;
  from?: string;
  fromString?: string;
  to?: string;
  toString?: string;
}

export interface SeedHistory {
  id: string;
  issueId: string;
  author: SeedUser;
  created: number;
  items: ChangeItem[];
}

export interface SeedComment {
  id: string;
  issueId: string;
  author: SeedUser;
  text: string;
  created: number;
  updated: number;
}

export interface SeedWorklog {
  id: number;
  issueId: string;
  author: SeedUser;
  started: number;
  created: number;
  updated: number;
  timeSpentSeconds: number;
}

export interface PersonPlan {
  profile: ProfileName;
  /** Planned time of the last Jira action; null = never acts. */
  last: number | null;
  /** Latest time any action may be attributed to the person (the admin/member: any time). */
  cap: number | null;
  createsIssues: boolean;
  /** Last page view per product held (role key → time, or null = never viewed). */
  pageViews: Record<string, number | null>;
}

export interface ActivityTruthEntry {
  profile: ProfileName;
  /** Latest action of each kind (emulator-clock ms), null = none seeded. */
  lastAction: Record<ActionSource, number | null>;
  /**
   * Per product the person holds (via a granting group): the `last_active` the org API reports (its UTC day is what
   * the API shows), null = no date (the product is absent from `product_access`). `{}` for deactivated accounts and
   * people without products; null = not in the org directory (apps, JSM customers).
   */
  orgLastActive: Record<string, number | null> | null;
}

export type ActivityTruth = Map<string, ActivityTruthEntry>;

export interface IssueActivity {
  histories: SeedHistory[];
  comments: SeedComment[];
  worklogs: SeedWorklog[];
}

export interface SiteActivity {
  plans: Map<string, PersonPlan>;
  /** Sorted by (created, issue ID, id). */
  histories: SeedHistory[];
  /** Sorted by (created, id). */
  comments: SeedComment[];
  /** Sorted by (updated, id); `updated` values are distinct. */
  worklogs: SeedWorklog[];
  byIssue: Map<string, IssueActivity>;
  worklogsById: Map<number, SeedWorklog>;
  truth: ActivityTruth;
}

export function rolesHeld(user: SeedUser, roles: readonly SeedRole[]): SeedRole[] {
  return roles.filter((r) => user.groups.some((g) => r.groups.includes(g.name)));
}

/** One plan per account; deterministic in user order. */
export function planPeople(rnd: Random, users: SeedUser[], roles: readonly SeedRole[], now: number): Map<string, PersonPlan> {
  const plans = new Map<string, PersonPlan>();
  users.forEach((user, index) => {
    const held = rolesHeld(user, roles).map((r) => r.key);
    const none = Object.fromEntries(held.map((k) => [k, null])) as Record<string, number | null>;
    if (user.accountType !== "atlassian") {
      plans.set(user.accountId, { profile: user.accountType, last: null, cap: null, createsIssues: false, pageViews: {} });
      return;
    }
    if (!user.active) {
      plans.set(user.accountId, { profile: "inactive", last: null, cap: null, createsIssues: false, pageViews: {} });
      return;
    }
    const fixed = index < 2;
    const roll = rnd.next();
    const profile: ProfileName = fixed
      ? "contributor"
      : roll < PROFILE_SHARES.contributor
        ? "contributor"
        : roll < PROFILE_SHARES.contributor + PROFILE_SHARES.reader
          ? "reader"
          : roll < PROFILE_SHARES.contributor + PROFILE_SHARES.reader + PROFILE_SHARES.idle
            ? "idle"
            : "lapsed";
    const pageViews = { ...none };
    const each = (base: number, spreadMs: number, floor: number, otherShare: number) =>
      held.forEach((k, i) => {
        if (i === 0 || rnd.chance(otherShare)) pageViews[k] = Math.max(floor, base - Math.floor(rnd.next() * spreadMs));
      });
    let last: number | null = null;
    if (profile === "contributor") {
      // The admin and member acted within the last two days; others within 85 days, most of them recently.
      last = fixed ? now - Math.floor(rnd.next() * 2 * DAY) - 10 * MINUTE : now - Math.floor(rnd.next() ** 2 * 85 * DAY) - 10 * MINUTE;
      each(last + Math.floor(rnd.next() * (now - last) * 0.5), 7 * DAY, now - WINDOW, 0.7);
    } else if (profile === "lapsed") {
      last = now - 100 * DAY - Math.floor(rnd.next() * 70 * DAY);
      const view = last + Math.floor(rnd.next() * (now - 95 * DAY - last));
      each(view, 0, view, 0.5);
    } else if (profile === "reader") {
      each(now - Math.floor(rnd.next() * 80 * DAY), 5 * DAY, now - 89 * DAY, 0.6);
    } else if (rnd.chance(0.5) && held.length > 0) {
      pageViews[held[0]] = now - 95 * DAY - Math.floor(rnd.next() * 205 * DAY); // idle: one old view
    }
    const cap = fixed ? now : last;
    plans.set(user.accountId, { profile, last, cap, createsIssues: profile !== "reader" && profile !== "idle" && rnd.chance(0.25), pageViews });
  });
  return plans;
}

/** Picks who performs an action at time t: only people whose cap allows it; the admin when nobody is found. */
export function actorPicker(rnd: Random, users: SeedUser[], plans: Map<string, PersonPlan>): { any(t: number): SeedUser; creator(t: number): SeedUser } {
  const actors = users.filter((u) => plans.get(u.accountId)!.cap !== null);
  const creators = actors.filter((u) => plans.get(u.accountId)!.createsIssues);
  const admin = users[0];
  const from = (list: SeedUser[], t: number, tries: number) => {
    for (let i = 0; i < tries && list.length > 0; i++) {
      const u = rnd.pick(list);
      if (plans.get(u.accountId)!.cap! >= t) return u;
    }
    return undefined;
  };
  return {
    any: (t) => from(actors, t, 30) ?? admin,
    creator: (t) => from(creators, t, 15) ?? from(actors, t, 30) ?? admin,
  };
}

const STATUSES = [
  ["10000", "To Do"],
  ["3", "In Progress"],
  ["10001", "In Review"],
  ["10002", "Done"],
] as const;
const PRIORITIES = [
  ["1", "Highest"],
  ["2", "High"],
  ["3", "Medium"],
  ["4", "Low"],
] as const;

function changeItems(rnd: Random): ChangeItem[] {
  const kind = rnd.int(0, 10);
  if (kind < 5) {
    const i = rnd.int(0, STATUSES.length - 1);
    return [{ field: "status", fieldtype: "jira", fieldId: "status", from: STATUSES[i][0], fromString: STATUSES[i][1], to: STATUSES[i + 1][0], toString: STATUSES[i + 1][1] }];
  }
  if (kind < 7) {
    const [a, b] = [rnd.pick(PRIORITIES), rnd.pick(PRIORITIES)];
    return [{ field: "priority", fieldtype: "jira", fieldId: "priority", from: a[0], fromString: a[1], to: b[0], toString: b[1] }];
  }
  if (kind < 8) return [{ field: "labels", fieldtype: "jira", fieldId: "labels", fromString: "", toString: rnd.pick(ISSUE_WORDS).toLowerCase() }];
  if (kind < 9) {
    const points = String(rnd.pick([1, 2, 3, 5, 8, 13]));
    return [{ field: "Story Points", fieldtype: "custom", fieldId: "customfield_10016", toString: points }];
  }
  const words = () => Array.from({ length: rnd.int(3, 6) }, () => rnd.pick(ISSUE_WORDS)).join(" ");
  return [{ field: "summary", fieldtype: "jira", fieldId: "summary", fromString: words(), toString: words() }];
}

/**
 * Changelog histories, comments and worklogs of every planned person, on issues created before the action. 30 % of
 * actions go to a few "hot" issues (every 20th), so large sites have issues with long comment and history lists.
 * Raises each issue's `updated` to its latest action.
 */
export function generateActions(rnd: Random, users: SeedUser[], plans: Map<string, PersonPlan>, issues: SeedIssue[], now: number): Omit<SiteActivity, "plans" | "truth"> {
  const histories: SeedHistory[] = [];
  const comments: SeedComment[] = [];
  const worklogs: SeedWorklog[] = [];
  const byCreated = [...issues].sort((a, b) => a.created - b.created || Number(a.id) - Number(b.id));
  const pickIssue = (t: number): { issue: SeedIssue; t: number } | undefined => {
    if (byCreated.length === 0) return undefined;
    let lo = 0;
    let hi = byCreated.length; // count of issues created at least a minute before t
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byCreated[mid].created <= t - MINUTE) lo = mid + 1;
      else hi = mid;
    }
    // [A] no issue existed yet: act on the oldest one just after its creation (may exceed the plan by minutes).
    if (lo === 0) return { issue: byCreated[0], t: Math.max(t, byCreated[0].created + MINUTE) };
    const hot = Math.ceil(lo / 20);
    const index = rnd.chance(0.3) ? rnd.int(0, hot) * 20 : rnd.int(0, lo);
    return { issue: byCreated[index], t };
  };
  for (const user of users) {
    const plan = plans.get(user.accountId)!;
    if (plan.last === null) continue;
    const lapsed = plan.profile === "lapsed";
    const p = lapsed ? { changelog: 0.7, comment: 0.4, worklog: 0.15 } : { changelog: 0.85, comment: 0.55, worklog: 0.2 };
    const kinds = (["changelog", "comment", "worklog"] as const).filter((k) => rnd.chance(p[k]));
    if (kinds.length === 0) kinds.push("changelog");
    const actions: { kind: (typeof kinds)[number]; t: number }[] = [];
    for (const kind of kinds) for (let n = rnd.chance(0.4) ? 2 : 1; n > 0; n--) actions.push({ kind, t: 0 });
    const span = (lapsed ? 45 : 60) * DAY;
    actions.forEach((a, i) => {
      // The first action is the planned last one; the others come before it, inside the seeded window.
      a.t = i === 0 ? plan.last! : Math.max(now - WINDOW + MINUTE, plan.last! - Math.floor(rnd.next() * span));
    });
    // Shuffle which kind carries the last action.
    const swap = rnd.int(0, actions.length);
    [actions[0].kind, actions[swap].kind] = [actions[swap].kind, actions[0].kind];
    for (const a of actions) {
      const target = pickIssue(a.t);
      if (!target) continue;
      const { issue, t } = target;
      if (a.kind === "changelog") histories.push({ id: "", issueId: issue.id, author: user, created: t, items: changeItems(rnd) });
      else if (a.kind === "comment") {
        const text = `${Array.from({ length: rnd.int(4, 12) }, () => rnd.pick(ISSUE_WORDS)).join(" ")}.`;
        comments.push({ id: "", issueId: issue.id, author: user, text, created: t, updated: t });
      } else {
        // Logged when the work ended (sometimes edited later the same day: then `created` is earlier) [A].
        const timeSpentSeconds = rnd.int(1, 17) * 900;
        const created = rnd.chance(0.15) ? Math.max(issue.created, t - Math.floor(rnd.next() * 6 * 3600_000)) : t;
        worklogs.push({ id: 0, issueId: issue.id, author: user, started: Math.max(issue.created, created - timeSpentSeconds * 1000), created, updated: t, timeSpentSeconds });
      }
    }
  }
  histories.sort((a, b) => a.created - b.created || Number(a.issueId) - Number(b.issueId));
  histories.forEach((h, i) => (h.id = String(10000 + i)));
  comments.sort((a, b) => a.created - b.created);
  comments.forEach((c, i) => (c.id = String(10000 + i)));
  worklogs.sort((a, b) => a.updated - b.updated);
  // Distinct update times (1 ms apart at most), so a `since` cursor never splits equal timestamps.
  for (let i = 1; i < worklogs.length; i++) if (worklogs[i].updated <= worklogs[i - 1].updated) worklogs[i].updated = worklogs[i - 1].updated + 1;
  worklogs.forEach((w, i) => (w.id = 10000 + i));

  const byIssue = new Map<string, IssueActivity>(issues.map((i) => [i.id, { histories: [], comments: [], worklogs: [] }]));
  const issuesById = new Map(issues.map((i) => [i.id, i]));
  const raise = (issueId: string, t: number) => {
    const issue = issuesById.get(issueId)!;
    if (t > issue.updated) issue.updated = t;
  };
  for (const h of histories) (byIssue.get(h.issueId)!.histories.push(h), raise(h.issueId, h.created));
  for (const c of comments) (byIssue.get(c.issueId)!.comments.push(c), raise(c.issueId, c.updated));
  for (const w of worklogs) (byIssue.get(w.issueId)!.worklogs.push(w), raise(w.issueId, w.updated));
  return { histories, comments, worklogs, byIssue, worklogsById: new Map(worklogs.map((w) => [w.id, w])) };
}

/** The ground truth, computed from the generated data (what the endpoints serve). */
export function computeTruth(
  users: SeedUser[],
  roles: readonly SeedRole[],
  plans: Map<string, PersonPlan>,
  data: { auditRecords: AuditRecordJson[]; issues: SeedIssue[]; histories: SeedHistory[]; comments: SeedComment[]; worklogs: SeedWorklog[] },
): ActivityTruth {
  const truth: ActivityTruth = new Map();
  for (const u of users) {
    const lastAction = Object.fromEntries(ACTION_SOURCES.map((s) => [s, null])) as Record<ActionSource, number | null>;
    truth.set(u.accountId, { profile: plans.get(u.accountId)!.profile, lastAction, orgLastActive: null });
  }
  const note = (accountId: string, source: ActionSource, t: number) => {
    const entry = truth.get(accountId);
    if (entry && (entry.lastAction[source] === null || t > entry.lastAction[source]!)) entry.lastAction[source] = t;
  };
  // Audit: records the person authored (sign-ins included); being the object of someone else's change is no action.
  for (const r of data.auditRecords) note(r.authorAccountId, "audit", Date.parse(r.created));
  for (const i of data.issues) note(i.creator.accountId, "issue-created", i.created);
  for (const h of data.histories) note(h.author.accountId, "changelog", h.created);
  for (const c of data.comments) note(c.author.accountId, "comment", c.updated);
  for (const w of data.worklogs) note(w.author.accountId, "worklog", w.updated);
  for (const u of users) {
    if (u.accountType !== "atlassian") continue;
    const entry = truth.get(u.accountId)!;
    const org: Record<string, number | null> = {};
    if (u.active) {
      const lastJira = Math.max(...ACTION_SOURCES.map((s) => entry.lastAction[s] ?? -Infinity));
      const views = plans.get(u.accountId)!.pageViews;
      for (const role of rolesHeld(u, roles)) {
        const t = Math.max(lastJira, views[role.key] ?? -Infinity);
        org[role.key] = Number.isFinite(t) ? t : null;
      }
    }
    entry.orgLastActive = org;
  }
  return truth;
}

/**
 * Latest time the person did something visible to the given sources (`"org"` = org last-active dates), or null.
 * A person counts as active in a window starting at `since` when the result is `>= since`.
 */
export function latestVisible(entry: ActivityTruthEntry, sources: readonly (ActionSource | "org")[]): number | null {
  let best: number | null = null;
  const see = (t: number | null | undefined) => {
    if (t !== null && t !== undefined && (best === null || t > best)) best = t;
  };
  for (const s of sources) {
    if (s === "org") Object.values(entry.orgLastActive ?? {}).forEach(see);
    else see(entry.lastAction[s]);
  }
  return best;
}

/** `product_access` of the org API for one account on one site; null when it is not in the org directory. */
export function orgProductAccess(truth: ActivityTruth, accountId: string): { key: string; lastActive: number }[] | null {
  const org = truth.get(accountId)?.orgLastActive;
  if (!org) return null;
  return Object.entries(org).flatMap(([key, t]) => (t === null ? [] : [{ key, lastActive: t }]));
}
