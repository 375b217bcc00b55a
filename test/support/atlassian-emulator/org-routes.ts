/** Optional organisation API: `GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates` (§6.3). */
import { DAY } from "./clock";
import type { Credentials } from "./credentials";
import { json, type Reply } from "./http-util";
import { hashString, Random } from "./random";
import type { EmulatorState } from "./types";

const PATH = /^\/admin\/v1\/orgs\/([^/]+)\/directory\/users\/([^/]+)\/last-active-dates$/;

export function isOrgPath(path: string): boolean {
  return PATH.test(path);
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function lastActiveDates(state: EmulatorState, path: string, creds: Credentials): Reply {
  const [, orgId, rawAccountId] = PATH.exec(path)!;
  const accountId = decodeURIComponent(rawAccountId);
  const sites = [...state.sites.values()].filter((s) => s.orgId === orgId);
  // The org API key is a bearer secret of the organisation, not a user's API token.
  if (creds.kind !== "bearer" || !sites.some((s) => s.orgApiKey === creds.token)) return json(401, { code: 401, message: "Unauthorized" });
  const now = state.clock.now();
  const productAccess: { id: string; key: string; last_active: string }[] = [];
  let known = false;
  for (const site of sites) {
    const user = site.usersById.get(accountId);
    // Managed Atlassian accounts only [A]: apps and JSM customers are not in the org directory.
    if (!user || user.accountType !== "atlassian") continue;
    known = true;
    // Deterministic per (seed, site, account); inactive users and ~10 % never-users (not admin/member) have none.
    const rnd = new Random(hashString(`${state.seed}:last-active:${site.name}:${accountId}`));
    const seededAccount = user === site.users[0] || user === site.users[1];
    if (!user.active || (!seededAccount && rnd.chance(0.1))) continue;
    for (const role of site.applicationRoles) {
      if (!user.groups.some((g) => role.groups.includes(g.name))) continue;
      productAccess.push({ id: `ari:cloud:${role.key}::site/${site.cloudId}`, key: role.key, last_active: day(now - rnd.int(0, 120) * DAY) });
    }
  }
  if (!known) return json(404, { errors: [{ status: "404", code: "NOT_FOUND", title: "Not Found", detail: `User ${accountId} was not found in organization ${orgId}` }] });
  return json(200, { data: { product_access: productAccess, added_to_org: day(now - 400 * DAY) }, links: { next: null } });
}
