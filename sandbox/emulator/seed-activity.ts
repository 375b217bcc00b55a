/** Seeded activity: audit records and issues spread over the 180 days before the emulator's start time. */
import { DAY, jiraDate } from "./clock";
import { ISSUE_WORDS } from "./names";
import type { Random } from "./random";
import type { SeedGroup, SeedUser } from "./seed-data";

/** `AuditRecordBean` plus `authorAccountId` (which the spec's schema lacks but real traffic carries). */
export interface AuditRecordJson {
  id: number;
  summary: string;
  category: string;
  eventSource: string;
  created: string;
  authorAccountId: string;
  remoteAddress: string;
  objectItem: AuditItem;
  associatedItems: AuditItem[];
  changedValues: { fieldName: string; changedFrom?: string; changedTo?: string }[];
}

interface AuditItem {
  id: string;
  name: string;
  typeName: string;
  parentId?: string;
  parentName?: string;
}

export interface SeedIssue {
  id: string;
  key: string;
  project: { id: string; key: string; name: string };
  summary: string;
  created: number;
  updated: number;
  creator: SeedUser;
  reporter: SeedUser;
  assignee: SeedUser | null;
}

const WINDOW = 180 * DAY;
const DIRECTORY = { parentId: "1", parentName: "Jira Internal Directory" };
export const PROJECTS = [
  { id: "10000", key: "ENG", name: "Engineering" },
  { id: "10001", key: "OPS", name: "Operations" },
  { id: "10002", key: "HELP", name: "Help Desk" },
];

function userItem(u: SeedUser): AuditItem {
  // For user objects Jira puts the account ID in `name` (what the collector attributes activity to).
  return { id: u.accountId, name: u.accountId, typeName: "USER", ...DIRECTORY };
}

function groupItem(g: SeedGroup): AuditItem {
  return { id: g.groupId, name: g.name, typeName: "GROUP", ...DIRECTORY };
}

export function generateAuditRecords(
  rnd: Random,
  count: number,
  now: number,
  users: SeedUser[],
  actorAt: (t: number) => SeedUser,
  groups: SeedGroup[],
): AuditRecordJson[] {
  const admins = users.slice(0, 1);
  const times = Array.from({ length: count }, () => now - Math.floor(rnd.next() * WINDOW)).sort((a, b) => b - a);
  return times.map((t, i): AuditRecordJson => {
    // Most changes are made by administrators; the rest by ordinary users (e.g. self-service profile edits) [A],
    // only people whose behaviour profile (seed-behaviour.ts) has them acting at that time.
    const author = rnd.chance(0.4) ? rnd.pick(admins) : actorAt(t);
    const target = rnd.pick(users);
    const group = rnd.pick(groups);
    const project = rnd.pick(PROJECTS);
    const base = {
      id: 10000 + count - i,
      eventSource: "",
      created: jiraDate(t),
      authorAccountId: author.accountId,
      remoteAddress: `10.${rnd.int(0, 256)}.${rnd.int(0, 256)}.${rnd.int(1, 255)}`,
    };
    const kind = rnd.int(0, 8);
    switch (kind) {
      case 0:
        return { ...base, summary: "User created", category: "user management", objectItem: userItem(target), associatedItems: [], changedValues: [{ fieldName: "Full name", changedTo: target.displayName }] };
      case 1:
        return { ...base, summary: "User added to group", category: "group management", objectItem: userItem(target), associatedItems: [groupItem(group)], changedValues: [] };
      case 2:
        return { ...base, summary: "User removed from group", category: "group management", objectItem: userItem(target), associatedItems: [groupItem(group)], changedValues: [] };
      case 3:
        return { ...base, summary: "User updated", category: "user management", objectItem: userItem(target), associatedItems: [], changedValues: [{ fieldName: "Active / Inactive", changedFrom: "Active", changedTo: target.active ? "Active" : "Inactive" }] };
      case 4:
        // [A] Jira's own audit log rarely records sign-ins; the lead asked for login-like events as an activity signal.
        return { ...base, summary: "User logged in", category: "user management", objectItem: userItem(author), associatedItems: [], changedValues: [] };
      case 5:
        return { ...base, summary: "Project updated", category: "projects", objectItem: { id: project.id, name: project.name, typeName: "PROJECT" }, associatedItems: [], changedValues: [{ fieldName: "Lead", changedTo: author.accountId }] };
      case 6:
        return { ...base, summary: "Permission scheme updated", category: "permissions", objectItem: { id: "0", name: "Default Permission Scheme", typeName: "SCHEME" }, associatedItems: [groupItem(group)], changedValues: [] };
      default:
        return { ...base, summary: "Workflow updated", category: "workflows", objectItem: { id: "jira", name: `${project.key}: Software workflow`, typeName: "WORKFLOW" }, associatedItems: [], changedValues: [] };
    }
  });
}

export function generateIssues(
  rnd: Random,
  count: number,
  now: number,
  users: SeedUser[],
  activeHumans: SeedUser[],
  creatorAt: (t: number) => SeedUser,
): SeedIssue[] {
  const formerStaff = users.filter((u) => !u.active && u.accountType === "atlassian");
  // Mostly active people; a few former staff who still appear on old issues.
  const former = () => formerStaff.length > 0 && rnd.chance(0.05);
  const person = () => (former() ? rnd.pick(formerStaff) : rnd.pick(activeHumans));
  const drafts = Array.from({ length: count }, () => {
    const created = now - Math.floor(rnd.next() * WINDOW);
    const updated = created + Math.floor(rnd.next() * (now - created));
    // Creating an issue is an action: the creator is someone acting at that time (or former staff).
    const creator = former() ? rnd.pick(formerStaff) : creatorAt(created);
    const reporter = rnd.chance(0.9) ? creator : person();
    const words = Array.from({ length: rnd.int(3, 7) }, () => rnd.pick(ISSUE_WORDS));
    return {
      project: rnd.pick(PROJECTS),
      summary: words.join(" "),
      created,
      updated,
      creator,
      reporter,
      assignee: rnd.chance(0.2) ? null : person(),
    };
  });
  drafts.sort((a, b) => a.created - b.created);
  const counters = new Map<string, number>();
  return drafts.map((d, i) => {
    const n = (counters.get(d.project.key) ?? 0) + 1;
    counters.set(d.project.key, n);
    return { id: String(10000 + i + 1), key: `${d.project.key}-${n}`, ...d };
  });
}
