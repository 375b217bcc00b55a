/** JSON renderings of seeded objects, shaped exactly like the OpenAPI schemas (no extra fields). */
import type { SeedGroup, SeedRole, SeedUser, SiteData } from "./seed-data";

const AVATAR_HOST = "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net";

export function avatarUrls(user: SeedUser): Record<"16x16" | "24x24" | "32x32" | "48x48", string> {
  const url = (n: number) => `${AVATAR_HOST}/initials/${user.avatarKey}.png?size=${n}&s=${n}`;
  return { "16x16": url(16), "24x24": url(24), "32x32": url(32), "48x48": url(48) };
}

export function userSelf(base: string, user: SeedUser): string {
  return `${base}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`;
}

/** `User` as listed by `users/search`: hidden e-mail addresses are omitted (the schema has no null). */
export function userJson(user: SeedUser, base: string): Record<string, unknown> {
  return {
    self: userSelf(base, user),
    accountId: user.accountId,
    accountType: user.accountType,
    ...(user.appType ? { appType: user.appType } : {}),
    ...(user.emailVisible && user.email ? { emailAddress: user.email } : {}),
    avatarUrls: avatarUrls(user),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
    key: "",
    name: "",
  };
}

/** `UserDetails` (group/member): no appType/locale. */
export function userDetailsJson(user: SeedUser, base: string): Record<string, unknown> {
  return {
    self: userSelf(base, user),
    accountId: user.accountId,
    accountType: user.accountType,
    ...(user.emailVisible && user.email ? { emailAddress: user.email } : {}),
    avatarUrls: avatarUrls(user),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
    key: "",
    name: "",
  };
}

/** The user object embedded in issue fields (creator/reporter/assignee). */
export function issueUserJson(user: SeedUser, base: string): Record<string, unknown> {
  return {
    self: userSelf(base, user),
    accountId: user.accountId,
    ...(user.emailVisible && user.email ? { emailAddress: user.email } : {}),
    avatarUrls: avatarUrls(user),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
    accountType: user.accountType,
  };
}

export function groupNameJson(group: SeedGroup, base: string): { groupId: string; name: string; self: string } {
  return { groupId: group.groupId, name: group.name, self: `${base}/rest/api/3/group?groupId=${group.groupId}` };
}

export function roleJson(role: SeedRole, site: SiteData, base: string): Record<string, unknown> {
  const details = (names: string[]) => names.flatMap((n) => {
    const g = site.groupsByName.get(n);
    return g ? [groupNameJson(g, base)] : [];
  });
  return {
    key: role.key,
    groups: role.groups,
    groupDetails: details(role.groups),
    name: role.name,
    defaultGroups: role.defaultGroups,
    defaultGroupsDetails: details(role.defaultGroups),
    selectedByDefault: role.selectedByDefault,
    defined: role.defined,
    numberOfSeats: role.numberOfSeats,
    remainingSeats: role.remainingSeats,
    userCount: role.userCount,
    userCountDescription: role.userCountDescription,
    hasUnlimitedSeats: role.hasUnlimitedSeats,
    platform: role.platform,
  };
}

export function rolesOf(user: SeedUser, site: SiteData): SeedRole[] {
  const names = new Set(user.groups.map((g) => g.name));
  return site.applicationRoles.filter((r) => r.groups.some((g) => names.has(g)));
}
