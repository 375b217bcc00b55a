/**
 * Organization Admin API, the calls `jira-connector check` uses to verify an org API key (atlassian/org/organization.ts):
 *
 * - `GET /admin/v1/orgs/{orgId}` → `{data:{id,type:"orgs",attributes:{name},links:{self}}}`
 *   (https://developer.atlassian.com/cloud/admin/organization/rest/api-group-orgs/).
 * - `POST /admin/v2/orgs/{orgId}/workspaces` → `{data:[{id,type,attributes:{name,typeKey,hostUrl,…}}],links,meta}`
 *   (https://developer.atlassian.com/cloud/admin/organization/rest/api-group-workspaces/), `limit` or `cursor` in the
 *   body, `links.next` the next page's cursor.
 *
 * The key is a bearer secret of the organization; a wrong or missing key is 401 `{code:401,message:"Unauthorized"}`
 * (as the last-active route answers), a key of another organization, or an unknown org ID, is 404 with the Admin API's
 * `errors[]` envelope [A: Atlassian documents 404 "organization not found" without the body]. Workspace IDs are the
 * product's site ARI (`ari:cloud:<product>::site/<cloudId>`) and `hostUrl` the site URL [A: the docs' example body
 * shows placeholders; the ARI form is what Atlassian's own support answer quotes, jira.atlassian.com/browse/ID-8574].
 */
import type { Credentials } from "./credentials";
import { json, type Reply } from "./http-util";
import type { EmulatedSite, EmulatorState } from "./types";

const ORG_PATH = /^\/admin\/v1\/orgs\/([^/]+)$/;
const WORKSPACES_PATH = /^\/admin\/v2\/orgs\/([^/]+)\/workspaces$/;

export function isOrgAdminPath(method: string, path: string): boolean {
  return (method === "GET" && ORG_PATH.test(path)) || (method === "POST" && WORKSPACES_PATH.test(path));
}

const unauthorized = (): Reply => json(401, { code: 401, message: "Unauthorized" });
const orgNotFound = (orgId: string): Reply =>
  json(404, { errors: [{ status: "404", code: "NOT_FOUND", title: "Not Found", detail: `Organization ${orgId} was not found` }] });

/** The sites of `orgId`, when `creds` is that organization's key; 401 for no key or an unknown one, 404 for another org's. */
function authorize(state: EmulatorState, orgId: string, creds: Credentials): EmulatedSite[] | Reply {
  if (creds.kind !== "bearer") return unauthorized();
  const all = [...state.sites.values()];
  if (!all.some((s) => s.orgApiKey === creds.token)) return unauthorized();
  const sites = all.filter((s) => s.orgId === orgId);
  if (sites.length === 0 || !sites.some((s) => s.orgApiKey === creds.token)) return orgNotFound(orgId);
  return sites;
}

export function orgAdmin(state: EmulatorState, method: string, path: string, rawBody: string, creds: Credentials): Reply {
  const orgMatch = ORG_PATH.exec(path);
  if (method === "GET" && orgMatch) {
    const orgId = decodeURIComponent(orgMatch[1]);
    const sites = authorize(state, orgId, creds);
    if (!Array.isArray(sites)) return sites;
    return json(200, {
      data: {
        id: orgId,
        type: "orgs",
        attributes: { name: `${sites[0].name} organization` },
        links: { self: `https://api.atlassian.com/admin/v1/orgs/${orgId}` },
      },
    });
  }
  const orgId = decodeURIComponent(WORKSPACES_PATH.exec(path)![1]);
  const sites = authorize(state, orgId, creds);
  if (!Array.isArray(sites)) return sites;
  let body: { limit?: unknown; cursor?: unknown };
  try {
    body = rawBody.trim() === "" ? {} : (JSON.parse(rawBody) as typeof body);
  } catch {
    return json(400, { errors: [{ status: "400", code: "BAD_REQUEST", title: "Bad Request", detail: "The request body is not JSON" }] });
  }
  if (body.cursor !== undefined && Object.keys(body).length > 1) {
    return json(400, { errors: [{ status: "400", code: "BAD_REQUEST", title: "Bad Request", detail: "When a cursor is provided, no other properties may be present" }] });
  }
  const all = sites.flatMap((site) =>
    site.applicationRoles.map((role) => ({
      id: `ari:cloud:${role.key}::site/${site.cloudId}`,
      type: "workspaces",
      attributes: { name: site.name, typeKey: role.key, type: "product", status: "online", hostUrl: `https://${site.name}.atlassian.net` },
      links: { self: `https://api.atlassian.com/admin/v2/orgs/${orgId}/workspaces/${encodeURIComponent(`ari:cloud:${role.key}::site/${site.cloudId}`)}` },
      relationships: {},
    })),
  );
  // The cursor carries the position and the page size of the first request (base64url of "start:limit").
  const [start, limit] =
    typeof body.cursor === "string"
      ? Buffer.from(body.cursor, "base64url").toString("utf8").split(":").map((n) => Number(n) || 0)
      : [0, typeof body.limit === "number" && body.limit > 0 ? Math.min(body.limit, 1000) : 20];
  const page = all.slice(start, start + Math.max(1, limit));
  const end = start + page.length;
  const next = end < all.length ? Buffer.from(`${end}:${limit}`, "utf8").toString("base64url") : null;
  return json(200, {
    data: page,
    links: { self: null, prev: null, next },
    meta: { pageSize: limit, startIndex: start, endIndex: end, total: all.length },
  });
}
