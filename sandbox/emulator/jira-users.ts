/** Identity endpoints: myself, user, users/search, group/bulk, group/member, mypermissions. */
import { fail } from "./http-util";
import { principalOf, type JiraHandler, type JiraRequest } from "./jira-context";
import { boolParam, listParam, offsetParam, pageBean, pageSize } from "./pagination";
import { groupNameJson, roleJson, rolesOf, userDetailsJson, userJson } from "./render";
import { ADMIN_GROUPS, isAdmin, type SeedGroup, type SeedUser } from "./seed-data";

/** `User` with `groups`/`applicationRoles` as `{size, items}`; items only when expanded (as Jira does). */
function fullUser(req: JiraRequest, user: SeedUser, self: boolean): Record<string, unknown> {
  const expand = new Set(listParam(req, "expand"));
  const roles = rolesOf(user, req.site);
  const base = userJson(user, req.base);
  return {
    ...base,
    // Own address is always visible to oneself.
    ...(self && user.email ? { emailAddress: user.email } : {}),
    locale: user.locale,
    groups: { size: user.groups.length, items: expand.has("groups") ? user.groups.map((g) => groupNameJson(g, req.base)) : [] },
    applicationRoles: { size: roles.length, items: expand.has("applicationRoles") ? roles.map((r) => roleJson(r, req.site, req.base)) : [] },
    expand: "groups,applicationRoles",
  };
}

function userParam(req: JiraRequest): SeedUser {
  const accountId = req.query.get("accountId");
  if (!accountId) fail(400, "The 'accountId' query parameter needs to be provided.");
  const user = req.site.usersById.get(accountId);
  if (!user) fail(404, "Specified user does not exist or you do not have required permissions");
  return user;
}

export const myself: JiraHandler = (req) => ({ body: fullUser(req, principalOf(req), true), identity: 1 });

export const user: JiraHandler = (req) => ({ body: fullUser(req, userParam(req), false), identity: 1 });

export const userGroups: JiraHandler = (req) => {
  const groups = userParam(req).groups.map((g) => groupNameJson(g, req.base));
  return { body: groups, identity: groups.length };
};

/** `users/search` and `users`: bare array, offset paging, every account type. */
export const usersSearch: JiraHandler = (req) => {
  if (req.modes.usersSearchConflicts > 0) {
    req.modes.usersSearchConflicts -= 1;
    // Jira answers 409 when the search runs longer than 10 s; callers retry with a smaller page.
    fail(409, "The request took too long to process. Try again with a smaller maxResults.");
  }
  const startAt = offsetParam(req, "startAt");
  const max = pageSize(req, "maxResults", { fallback: 50, max: 1000 });
  const page = req.site.users.slice(startAt, startAt + max).map((u) => userJson(u, req.base));
  return { body: page, identity: page.length };
};

const ACCESS_TYPES: Record<string, SeedGroup["accessType"][]> = {
  "site-admin": ["site-admin"],
  admin: ["site-admin", "admin"],
  user: ["user"],
};

export const groupBulk: JiraHandler = (req) => {
  const startAt = offsetParam(req, "startAt");
  const max = pageSize(req, "maxResults", { fallback: 50, max: 50, min: 1 });
  const ids = new Set(listParam(req, "groupId"));
  const names = new Set(req.query.getAll("groupName").map((n) => n.toLowerCase()));
  const accessType = req.query.get("accessType");
  if (accessType && !ACCESS_TYPES[accessType]) fail(400, `Invalid accessType: ${accessType}. Expected one of site-admin, admin, user.`);
  const applicationKey = req.query.get("applicationKey");
  const roleGroups = applicationKey ? new Set(req.site.applicationRoles.find((r) => r.key === applicationKey)?.groups ?? []) : undefined;
  const matches = req.site.groups.filter(
    (g) =>
      (ids.size === 0 || ids.has(g.groupId)) &&
      (names.size === 0 || names.has(g.name.toLowerCase())) &&
      (!accessType || ACCESS_TYPES[accessType].includes(g.accessType)) &&
      (!roleGroups || roleGroups.has(g.name)),
  );
  const page = pageBean(matches.map((g) => ({ groupId: g.groupId, name: g.name })), startAt, max);
  return { body: page, identity: page.values.length };
};

export const groupMember: JiraHandler = (req) => {
  const groupId = req.query.get("groupId");
  const groupname = req.query.get("groupname");
  if (groupId && groupname) fail(400, "You must provide either a groupname or a groupId, not both.");
  if (!groupId && !groupname) fail(400, "You must provide a groupname or a groupId.");
  const group = groupId ? req.site.groupsById.get(groupId) : req.site.groupsByName.get(groupname!);
  if (!group) fail(404, `Group with ${groupId ? `groupId '${groupId}'` : `name '${groupname}'`} does not exist.`);
  const includeInactive = boolParam(req, "includeInactiveUsers", false);
  const startAt = offsetParam(req, "startAt");
  const max = pageSize(req, "maxResults", { fallback: 50, max: 50, min: 1 });
  const members = includeInactive ? group.members : group.members.filter((u) => u.active);
  const ident = groupId ? `groupId=${encodeURIComponent(groupId)}` : `groupname=${encodeURIComponent(groupname!)}`;
  const link = (at: number) => `${req.base}/rest/api/3/group/member?${ident}&includeInactiveUsers=${includeInactive}&startAt=${at}&maxResults=${max}`;
  const page = pageBean(members, startAt, max, link);
  return { body: { ...page, values: page.values.map((u) => userDetailsJson(u, req.base)) }, identity: page.values.length };
};

interface PermissionDef {
  id: string;
  name: string;
  type: "GLOBAL" | "PROJECT";
  description: string;
  /** Who holds it; everyone else is refused. */
  holder: "site-admin" | "admin" | "everyone";
}

const PERMISSIONS: Record<string, PermissionDef> = {
  ADMINISTER: { id: "0", name: "Administer Jira", type: "GLOBAL", description: "Create and administer projects, issue types, fields, workflows, and schemes for all projects. Users with this permission can perform most administration tasks, except: managing users, importing data, and editing system email settings.", holder: "admin" },
  SYSTEM_ADMIN: { id: "44", name: "Administer Jira", type: "GLOBAL", description: "Ability to perform all administration functions.", holder: "site-admin" },
  USER_PICKER: { id: "27", name: "Browse users and groups", type: "GLOBAL", description: "View and select users or groups from the user picker, and share issues. Users with this permission can see the names of all users and groups on your site.", holder: "everyone" },
  CREATE_SHARED_OBJECTS: { id: "22", name: "Share dashboards and filters", type: "GLOBAL", description: "Share dashboards and filters with other users.", holder: "everyone" },
  BULK_CHANGE: { id: "33", name: "Make bulk changes", type: "GLOBAL", description: "Modify collections of issues at once.", holder: "everyone" },
  BROWSE_PROJECTS: { id: "10", name: "Browse Projects", type: "PROJECT", description: "Ability to browse projects and the issues within them.", holder: "everyone" },
  CREATE_ISSUES: { id: "11", name: "Create Issues", type: "PROJECT", description: "Ability to create issues.", holder: "everyone" },
  EDIT_ISSUES: { id: "12", name: "Edit Issues", type: "PROJECT", description: "Ability to edit issues.", holder: "everyone" },
  ASSIGN_ISSUES: { id: "13", name: "Assign Issues", type: "PROJECT", description: "Ability to assign issues to other people.", holder: "everyone" },
  ADD_COMMENTS: { id: "15", name: "Add Comments", type: "PROJECT", description: "Ability to comment on issues.", holder: "everyone" },
  DELETE_ISSUES: { id: "16", name: "Delete Issues", type: "PROJECT", description: "Ability to delete issues.", holder: "admin" },
  ADMINISTER_PROJECTS: { id: "23", name: "Administer Projects", type: "PROJECT", description: "Ability to administer a project in Jira.", holder: "admin" },
};

function holds(user: SeedUser, def: PermissionDef): boolean {
  if (def.holder === "everyone") return true;
  if (def.holder === "admin") return isAdmin(user);
  return user.groups.some((g) => g.name === ADMIN_GROUPS.siteAdmins);
}

export const myPermissions: JiraHandler = (req) => {
  const keys = listParam(req, "permissions");
  // [A] wording; Jira requires the parameter (400 when missing or naming an unknown key).
  if (keys.length === 0) fail(400, "The 'permissions' query parameter is required.");
  const unknown = keys.filter((k) => !PERMISSIONS[k]);
  if (unknown.length > 0) fail(400, `Invalid permission key(s): ${unknown.join(", ")}.`);
  const principal = principalOf(req);
  const permissions: Record<string, unknown> = {};
  for (const key of keys) {
    const def = PERMISSIONS[key];
    permissions[key] = { id: def.id, key, name: def.name, type: def.type, description: def.description, havePermission: holds(principal, PERMISSIONS[key]) };
  }
  return { body: { permissions }, identity: keys.length };
};
