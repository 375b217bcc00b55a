/** Optional organisation API: `GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates` (§6.3). */
import { DAY } from "./clock";
import type { Credentials } from "./credentials";
import { json, type Reply } from "./http-util";
import { orgProductAccess } from "./seed-behaviour";
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
    // Managed Atlassian accounts only [A]: apps and JSM customers are not in the org directory. Dates derive from
    // the seeded behaviour profiles (seed-behaviour.ts): the later of the last Jira action and the last page view.
    const access = orgProductAccess(site.activity.truth, accountId);
    if (!access) continue;
    known = true;
    for (const a of access) productAccess.push({ id: `ari:cloud:${a.key}::site/${site.cloudId}`, key: a.key, last_active: day(a.lastActive) });
  }
  if (!known) return json(404, { errors: [{ status: "404", code: "NOT_FOUND", title: "Not Found", detail: `User ${accountId} was not found in organization ${orgId}` }] });
  return json(200, { data: { product_access: productAccess, added_to_org: day(now - 400 * DAY) }, links: { next: null } });
}
