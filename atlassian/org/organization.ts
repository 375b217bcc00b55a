import { z } from "zod";
import { endpointsOf, type AtlassianContext } from "../context";
import { InvalidArgumentError, UnexpectedResponseError } from "../errors";
import { classifyCommonFailures } from "../http/classify";
import { atlassianErrorDetail, parseJsonBody, parseWithSchema } from "../http/response";
import { normalizeSiteName } from "../site-name";
import { ORG_ID_PATTERN } from "./org-id";

/**
 * Verifying an organization API key and that its organization manages a site, before the collector relies on it
 * (`jira-connector check`). Two documented Admin API calls, one request each on a typical organization:
 *
 * 1. `GET /admin/v1/orgs/{orgId}` — "Get an organization by ID"
 *    (https://developer.atlassian.com/cloud/admin/organization/rest/api-group-orgs/): 401 for a bad or expired key,
 *    404 for an organization the key does not belong to, 200 `{data:{id,type:"orgs",attributes:{name}}}`.
 *    Scoped keys need `read:orgs:admin`.
 * 2. `POST /admin/v2/orgs/{orgId}/workspaces` — "Get list of workspaces"
 *    (https://developer.atlassian.com/cloud/admin/organization/rest/api-group-workspaces/): the organization's
 *    product instances with their `hostUrl`; the site is managed when one of them is on `https://<site>.atlassian.net`
 *    (or its ARI ends in `site/<cloudId>`). Cursor-paginated (`links.next`; a cursor body must carry nothing else).
 *    Scoped keys need `read:workspaces:admin`.
 *
 * Neither call is charged against a site's points quota; the organization's Admin API rate limit applies.
 */

export const ORG_GET_OPERATION = "GET /admin/v1/orgs/{orgId}";
export const ORG_WORKSPACES_OPERATION = "POST /admin/v2/orgs/{orgId}/workspaces";

export type OrgLookup =
  | { status: "ok"; name: string | null }
  /** 401 (bad, revoked or expired key) or 403 (a scoped key without `read:orgs:admin`). */
  | { status: "key-rejected"; httpStatus: number }
  /** 404: no such organization for this key (a wrong org ID, or the key of another organization). */
  | { status: "not-found" };

export interface OrgWorkspace {
  id: string;
  typeKey: string | null;
  hostUrl: string | null;
}

export type OrgWorkspaces =
  | { status: "ok"; workspaces: OrgWorkspace[] }
  | { status: "key-rejected"; httpStatus: number }
  | { status: "not-found" };

const orgSchema = () => z.object({ data: z.object({ id: z.string(), attributes: z.object({ name: z.string().nullish() }).partial().optional() }) });

const workspacesSchema = () =>
  z.object({
    data: z
      .array(
        z.object({
          id: z.string(),
          attributes: z.object({ typeKey: z.string().nullish(), hostUrl: z.string().nullish() }).partial().optional(),
        }),
      )
      .default([]),
    links: z.object({ next: z.string().nullish() }).partial().optional(),
  });

function checkedOrgId(orgId: string): string {
  if (!ORG_ID_PATTERN.test(orgId)) throw new InvalidArgumentError("orgId", "must be the organization ID (a UUID) from Atlassian Administration");
  return orgId;
}

export async function getOrganization(context: AtlassianContext, options: { orgId: string; apiKey: string }): Promise<OrgLookup> {
  const secrets = [options.apiKey];
  const response = await context.pipeline.send({
    operation: ORG_GET_OPERATION,
    method: "GET",
    url: `${endpointsOf(context).apiUrl}/admin/v1/orgs/${encodeURIComponent(checkedOrgId(options.orgId))}`,
    headers: { authorization: `Bearer ${options.apiKey}`, accept: "application/json" },
    secrets,
  });
  if (response.status === 401 || response.status === 403) return { status: "key-rejected", httpStatus: response.status };
  if (response.status === 404) return { status: "not-found" };
  classifyCommonFailures(response, context.pipeline.now());
  if (response.status !== 200) {
    throw new UnexpectedResponseError(ORG_GET_OPERATION, `HTTP ${response.status}: ${atlassianErrorDetail(response, secrets)}`, response.status);
  }
  const body = parseWithSchema(orgSchema(), parseJsonBody(response, secrets), response);
  return { status: "ok", name: body.data.attributes?.name ?? null };
}

/** Every workspace of the organization (at most 20 pages of 100). */
export async function listOrgWorkspaces(context: AtlassianContext, options: { orgId: string; apiKey: string }): Promise<OrgWorkspaces> {
  const secrets = [options.apiKey];
  const url = `${endpointsOf(context).apiUrl}/admin/v2/orgs/${encodeURIComponent(checkedOrgId(options.orgId))}/workspaces`;
  const workspaces: OrgWorkspace[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const response = await context.pipeline.send({
      operation: ORG_WORKSPACES_OPERATION,
      method: "POST",
      url,
      headers: { authorization: `Bearer ${options.apiKey}`, accept: "application/json" },
      json: cursor === undefined ? { limit: 100 } : { cursor },
      // A read-only query: safe to retry like a GET.
      retry: "idempotent",
      secrets,
    });
    if (response.status === 401 || response.status === 403) return { status: "key-rejected", httpStatus: response.status };
    if (response.status === 404) return { status: "not-found" };
    classifyCommonFailures(response, context.pipeline.now());
    if (response.status !== 200) {
      throw new UnexpectedResponseError(ORG_WORKSPACES_OPERATION, `HTTP ${response.status}: ${atlassianErrorDetail(response, secrets)}`, response.status);
    }
    const body = parseWithSchema(workspacesSchema(), parseJsonBody(response, secrets), response);
    for (const w of body.data) workspaces.push({ id: w.id, typeKey: w.attributes?.typeKey ?? null, hostUrl: w.attributes?.hostUrl ?? null });
    const next = nextCursor(body.links?.next);
    if (!next || next === cursor) return { status: "ok", workspaces };
    cursor = next;
  }
  throw new UnexpectedResponseError(ORG_WORKSPACES_OPERATION, "more than 20 pages of workspaces");
}

/** `links.next` is a cursor, or a URL carrying one: only the cursor is used (a URL would receive the API key). */
function nextCursor(next: string | null | undefined): string | undefined {
  if (!next) return undefined;
  if (/^https?:\/\//i.test(next) || next.startsWith("/")) {
    return new URL(next, "https://api.atlassian.com").searchParams.get("cursor") ?? undefined;
  }
  return next;
}

/** The workspaces of `site` among an organization's: by host (`<site>.atlassian.net`) or by the ARI's cloud ID. Pure. */
export function workspacesOfSite(workspaces: readonly OrgWorkspace[], site: string, cloudId: string | undefined): OrgWorkspace[] {
  const host = `${normalizeSiteName(site)}.atlassian.net`;
  const id = cloudId?.toLowerCase();
  return workspaces.filter((w) => {
    if (id && w.id.toLowerCase().endsWith(`site/${id}`)) return true;
    if (!w.hostUrl) return false;
    try {
      return new URL(/^https?:\/\//i.test(w.hostUrl) ? w.hostUrl : `https://${w.hostUrl}`).hostname.toLowerCase() === host;
    } catch {
      return false;
    }
  });
}
