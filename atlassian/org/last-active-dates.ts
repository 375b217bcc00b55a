import { z } from "zod";
import { endpointsOf, type AtlassianContext } from "../context";
import { InvalidArgumentError, OrgApiKeyRejectedError, UnexpectedResponseError } from "../errors";
import { classifyCommonFailures } from "../http/classify";
import { atlassianErrorDetail, parseJsonBody, parseWithSchema } from "../http/response";

/**
 * The organization Admin API's last-active dates of one managed account (atlassian-api.md §6.3): per product, the
 * day the person last viewed a product page — the only signal of people who only read. Authorized by an
 * organization API key (Atlassian Administration), not an account's API token. Optional for the collector.
 */

export interface OrgProductLastActive {
  /** Product key, e.g. `jira-software`. */
  key: string;
  /** `yyyy-MM-dd`, or null when never used. */
  last_active?: string | null;
  /** ARI ending in `site/<cloudId>`. */
  id?: string | null;
}

export const ORG_LAST_ACTIVE_OPERATION = "GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates";

const pageSchema = () =>
  z.object({
    data: z.object({
      product_access: z.array(z.object({ key: z.string(), last_active: z.string().nullish(), id: z.string().nullish() })).default([]),
    }),
    links: z.object({ next: z.string().nullish() }).partial().optional(),
  });

const ORG_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Product access of `accountId`, or `undefined` when the account is not in the organization's directory (404). */
export async function getOrgLastActiveDates(
  context: AtlassianContext,
  options: { orgId: string; apiKey: string; accountId: string },
): Promise<OrgProductLastActive[] | undefined> {
  if (!ORG_ID.test(options.orgId)) throw new InvalidArgumentError("orgId", "must be the organization ID from Atlassian Administration (letters, digits, hyphens)");
  const secrets = [options.apiKey];
  const base = `${endpointsOf(context).apiUrl}/admin/v1/orgs/${encodeURIComponent(options.orgId)}/directory/users/${encodeURIComponent(options.accountId)}/last-active-dates`;
  const access: OrgProductLastActive[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const response = await context.pipeline.send({
      operation: ORG_LAST_ACTIVE_OPERATION,
      method: "GET",
      url: cursor === undefined ? base : `${base}?cursor=${encodeURIComponent(cursor)}`,
      headers: { authorization: `Bearer ${options.apiKey}` },
      secrets,
    });
    if (response.status === 401 || response.status === 403) throw new OrgApiKeyRejectedError(response.status, ORG_LAST_ACTIVE_OPERATION);
    if (response.status === 404) return undefined;
    classifyCommonFailures(response, context.pipeline.now());
    if (response.status !== 200) {
      throw new UnexpectedResponseError(ORG_LAST_ACTIVE_OPERATION, `HTTP ${response.status}: ${atlassianErrorDetail(response, secrets)}`, response.status);
    }
    const body = parseWithSchema(pageSchema(), parseJsonBody(response, secrets), response);
    access.push(...body.data.product_access);
    // Only the cursor is taken from `links.next`: a server-supplied absolute URL would receive the API key.
    const next = body.links?.next ? new URL(body.links.next, base).searchParams.get("cursor") : null;
    if (!next || next === cursor) return access;
    cursor = next;
  }
  throw new UnexpectedResponseError(ORG_LAST_ACTIVE_OPERATION, "more than 100 pages of product access for one account");
}
