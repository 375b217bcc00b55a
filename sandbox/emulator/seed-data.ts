/**
 * Deterministic seeded tenant data: users, groups, application roles and licence. Everything derives from
 * (seed, site name); activity (audit log, issues) lives in seed-activity.ts.
 */
import { APP_NAMES, FIRST_NAMES, LAST_NAMES, LOCALES, TEAM_GROUPS, TIME_ZONES } from "./names";
import { hashString, Random } from "./random";
import { generateAuditRecords, generateIssues, type AuditRecordJson, type SeedIssue } from "./seed-activity";
import { actorPicker, computeTruth, generateActions, planPeople, type SiteActivity } from "./seed-behaviour";

export type AccountType = "atlassian" | "app" | "customer";
export type Plan = "PAID" | "FREE";

export interface SeedUser {
  accountId: string;
  accountType: AccountType;
  appType?: "service" | "agent" | "unknown";
  active: boolean;
  displayName: string;
  /** The real address; only shown when `emailVisible` (privacy settings hide ~20 %). Apps have none. */
  email?: string;
  emailVisible: boolean;
  timeZone: string;
  locale: string;
  avatarKey: string;
  groups: SeedGroup[];
}

export interface SeedGroup {
  groupId: string;
  name: string;
  /** `group/bulk?accessType=` classification [A]. */
  accessType: "site-admin" | "admin" | "user";
  members: SeedUser[];
}

export interface SeedRole {
  key: string;
  name: string;
  groups: string[];
  defaultGroups: string[];
  numberOfSeats: number;
  remainingSeats: number;
  userCount: number;
  userCountDescription: string;
  hasUnlimitedSeats: boolean;
  selectedByDefault: boolean;
  platform: boolean;
  defined: boolean;
}

export interface SiteSeedOptions {
  name: string;
  cloudId?: string;
  users?: number;
  issues?: number;
  auditRecords?: number;
  plan?: Plan;
  orgId?: string;
}

export interface SiteData {
  name: string;
  cloudId: string;
  plan: Plan;
  orgId: string;
  users: SeedUser[];
  groups: SeedGroup[];
  applicationRoles: SeedRole[];
  license: { applications: { id: string; plan: "PAID" | "FREE" | "UNLICENSED" }[] };
  /** Figures behind `license/approximateLicenseCount[/product/{key}]`; `total` is the all-products count. */
  approximateCounts: Record<string, number>;
  auditRecords: AuditRecordJson[];
  issues: SeedIssue[];
  /** Behaviour profiles, changelog histories, comments, worklogs and the ground truth (seed-behaviour.ts). */
  activity: SiteActivity;
  usersById: Map<string, SeedUser>;
  groupsById: Map<string, SeedGroup>;
  groupsByName: Map<string, SeedGroup>;
}

export const ADMIN_GROUPS = { siteAdmins: "site-admins", jiraAdmins: "jira-admins" } as const;

/** Product roles and the group that grants each one; `site-admins` also grants every product [A]. */
const ROLE_DEFS = [
  { key: "jira-software", name: "Jira Software", group: "jira-software-users", unit: "users", freeSeats: 10, share: 0.8 },
  { key: "jira-servicedesk", name: "Jira Service Management", group: "jira-servicemanagement-users", unit: "agents", freeSeats: 3, share: 0.25 },
  { key: "jira-product-discovery", name: "Jira Product Discovery", group: "jira-product-discovery-users", unit: "creators", freeSeats: 3, share: 0.15 },
] as const;

export function isAdmin(user: SeedUser): boolean {
  return user.groups.some((g) => g.name === ADMIN_GROUPS.siteAdmins || g.name === ADMIN_GROUPS.jiraAdmins);
}

export function generateSite(seed: number, options: SiteSeedOptions, now: number): SiteData {
  const rnd = new Random(hashString(`${seed}:site:${options.name}`));
  const plan = options.plan ?? "PAID";
  const cloudId = options.cloudId ?? new Random(hashString(`${seed}:cloud:${options.name}`)).uuid();
  const orgId = options.orgId ?? new Random(hashString(`${seed}:org`)).uuid();

  const groups = createGroups(rnd.fork("groups"));
  const groupsByName = new Map(groups.map((g) => [g.name, g]));
  const users = createUsers(seed, options.name, Math.max(2, options.users ?? 50), rnd.fork("users"), groupsByName);
  const usersById = new Map(users.map((u) => [u.accountId, u]));
  const applicationRoles = createRoles(plan, groupsByName);
  const approximateCounts = countLicences(applicationRoles, groupsByName);
  const license = {
    applications: ROLE_DEFS.map((r) => ({
      id: r.key,
      // JPD is commonly on its free tier even on paid sites [A].
      plan: plan === "FREE" || r.key === "jira-product-discovery" ? ("FREE" as const) : ("PAID" as const),
    })),
  };
  const activeHumans = users.filter((u) => u.active && u.accountType === "atlassian");
  const plans = planPeople(rnd.fork("behaviour"), users, applicationRoles, now);
  const picker = actorPicker(rnd.fork("actors"), users, plans);
  const auditRecords = generateAuditRecords(rnd.fork("audit"), options.auditRecords ?? 300, now, users, picker.any, groups);
  // [A] default issue count grows with the site (one issue per 10 users, at least 200) so actions stay spread out.
  const issueCount = options.issues ?? Math.max(200, Math.round(users.length / 10));
  const issues = generateIssues(rnd.fork("issues"), issueCount, now, users, activeHumans, picker.creator);
  const actions = generateActions(rnd.fork("actions"), users, plans, issues, now);
  const truth = computeTruth(users, applicationRoles, plans, { auditRecords, issues, ...actions });
  return {
    name: options.name,
    cloudId,
    plan,
    orgId,
    users,
    groups,
    applicationRoles,
    license,
    approximateCounts,
    auditRecords,
    issues,
    activity: { plans, ...actions, truth },
    usersById,
    groupsById: new Map(groups.map((g) => [g.groupId, g])),
    groupsByName,
  };
}

function createGroups(rnd: Random): SeedGroup[] {
  const defs: [string, SeedGroup["accessType"]][] = [
    [ADMIN_GROUPS.siteAdmins, "site-admin"],
    [ADMIN_GROUPS.jiraAdmins, "admin"],
    ...ROLE_DEFS.map((r): [string, SeedGroup["accessType"]] => [r.group, "user"]),
    ["atlassian-addons-admin", "admin"],
    ...TEAM_GROUPS.map((t): [string, SeedGroup["accessType"]] => [t, "user"]),
  ];
  return defs.map(([name, accessType]) => ({ groupId: rnd.uuid(), name, accessType, members: [] }));
}

/** The admin and member accounts are the same people on every site of a seed (one Atlassian account, many sites). */
function sharedAccount(seed: number, which: "admin" | "member"): { accountId: string; email: string; displayName: string } {
  const id = new Random(hashString(`${seed}:account:${which}`)).hex(24);
  return which === "admin"
    ? { accountId: `5${id.slice(1)}`, email: "site.admin@example.com", displayName: "Alex Admin" }
    : { accountId: `5${id.slice(1)}`, email: "morgan.member@example.com", displayName: "Morgan Member" };
}

function createUsers(seed: number, site: string, count: number, rnd: Random, groups: Map<string, SeedGroup>): SeedUser[] {
  const users: SeedUser[] = [];
  const taken = new Set<string>();
  const join = (user: SeedUser, name: string) => {
    const group = groups.get(name)!;
    group.members.push(user);
    user.groups.push(group);
  };
  for (let i = 0; i < count; i++) {
    const user = i < 2 ? fixedUser(seed, i === 0 ? "admin" : "member", rnd) : randomUser(rnd, site, i);
    while (taken.has(user.accountId)) user.accountId = `5${rnd.hex(23)}`;
    taken.add(user.accountId);
    users.push(user);
    if (i === 0) {
      for (const g of [ADMIN_GROUPS.siteAdmins, ADMIN_GROUPS.jiraAdmins, ...ROLE_DEFS.map((r) => r.group), TEAM_GROUPS[0]]) join(user, g);
    } else if (i === 1) {
      for (const g of [ROLE_DEFS[0].group, TEAM_GROUPS[0]]) join(user, g);
    } else if (user.accountType === "app") {
      join(user, "atlassian-addons-admin");
    } else if (user.accountType === "atlassian") {
      if (rnd.chance(0.003)) join(user, ADMIN_GROUPS.siteAdmins);
      if (rnd.chance(0.01)) join(user, ADMIN_GROUPS.jiraAdmins);
      for (const r of ROLE_DEFS) if (rnd.chance(r.share)) join(user, r.group);
      for (const t of TEAM_GROUPS) if (rnd.chance(0.15)) join(user, t);
    }
  }
  return users;
}

function fixedUser(seed: number, which: "admin" | "member", rnd: Random): SeedUser {
  const account = sharedAccount(seed, which);
  return {
    ...account,
    accountType: "atlassian",
    active: true,
    emailVisible: true,
    timeZone: rnd.pick(TIME_ZONES),
    locale: "en_US",
    avatarKey: `${initials(account.displayName)}-${rnd.int(0, 6)}`,
    groups: [],
  };
}

function randomUser(rnd: Random, site: string, index: number): SeedUser {
  const roll = rnd.next();
  const accountType: AccountType = roll < 0.85 ? "atlassian" : roll < 0.93 ? "app" : "customer";
  const active = !rnd.chance(0.1);
  const timeZone = rnd.pick(TIME_ZONES);
  const locale = rnd.pick(LOCALES);
  if (accountType === "app") {
    const displayName = rnd.pick(APP_NAMES);
    const appRoll = rnd.next();
    return {
      accountId: `557058:${rnd.uuid()}`,
      accountType,
      appType: appRoll < 0.75 ? "service" : appRoll < 0.9 ? "agent" : "unknown",
      active,
      displayName,
      emailVisible: false,
      timeZone,
      locale,
      avatarKey: `${initials(displayName)}-${rnd.int(0, 6)}`,
      groups: [],
    };
  }
  const first = rnd.pick(FIRST_NAMES);
  const last = rnd.pick(LAST_NAMES);
  const displayName = `${first} ${last}`;
  const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "");
  const customer = accountType === "customer";
  return {
    // Both account-ID generations appear in real tenants; JSM customers use the `qm:` form.
    accountId: customer ? `qm:${rnd.uuid()}:${rnd.uuid()}` : rnd.chance(0.5) ? `5${rnd.hex(23)}` : `712020:${rnd.uuid()}`,
    accountType,
    active,
    displayName,
    email: customer ? `${local}${index}@customer.example.org` : `${local}${index}@${site}.example.com`,
    emailVisible: !rnd.chance(0.2),
    timeZone,
    locale,
    avatarKey: `${initials(displayName)}-${rnd.int(0, 6)}`,
    groups: [],
  };
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => w[0]?.toUpperCase() ?? "")
    .join("")
    .slice(0, 2);
}

function activeHumanMembers(groupNames: readonly string[], groups: Map<string, SeedGroup>): Set<SeedUser> {
  const seen = new Set<SeedUser>();
  for (const name of groupNames) {
    for (const u of groups.get(name)?.members ?? []) if (u.active && u.accountType === "atlassian") seen.add(u);
  }
  return seen;
}

function createRoles(plan: Plan, groups: Map<string, SeedGroup>): SeedRole[] {
  return ROLE_DEFS.map((def) => {
    const roleGroups = [def.group, ADMIN_GROUPS.siteAdmins];
    const userCount = activeHumanMembers(roleGroups, groups).size;
    const paid = plan === "PAID" && def.key !== "jira-product-discovery";
    // Paid tiers are bought in steps of 10 with some headroom; free tiers have a fixed cap (kept >= the count
    // so that remainingSeats never goes negative in seeded data) [A].
    const numberOfSeats = paid ? Math.max(10, Math.ceil((userCount * 1.1) / 10) * 10) : Math.max(def.freeSeats, userCount);
    return {
      key: def.key,
      name: def.name,
      groups: roleGroups,
      defaultGroups: [def.group],
      numberOfSeats,
      remainingSeats: numberOfSeats - userCount,
      userCount,
      userCountDescription: `${userCount} ${def.unit}`,
      hasUnlimitedSeats: false,
      selectedByDefault: false,
      platform: false,
      defined: false,
    };
  });
}

function countLicences(roles: SeedRole[], groups: Map<string, SeedGroup>): Record<string, number> {
  const counts: Record<string, number> = { "jira-core": 0 };
  for (const role of roles) counts[role.key] = role.userCount;
  counts.total = activeHumanMembers(
    roles.flatMap((r) => r.groups),
    groups,
  ).size;
  return counts;
}
