import { z } from "zod";
import { endpointsOf, type AtlassianContext } from "../context";
import { AccessTokenRejectedError, SiteNotAccessibleError, UnexpectedResponseError } from "../errors";
import { classifyCommonFailures } from "../http/classify";
import { atlassianErrorDetail, parseJsonBody, parseWithSchema } from "../http/response";

export interface AccessibleResource {
  /** The site's cloud ID. */
  id: string;
  name: string;
  url: string;
  scopes: string[];
  avatarUrl?: string;
}

const resourcesSchema = () =>
  z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      url: z.string(),
      scopes: z.array(z.string()).default([]),
      avatarUrl: z.string().optional(),
    }),
  );

const OPERATION = "GET /oauth/token/accessible-resources";

/** The sites (one entry per site and product) an OAuth access token reaches. */
export async function listAccessibleResources(context: AtlassianContext, accessToken: string): Promise<AccessibleResource[]> {
  const secrets = [accessToken];
  const response = await context.pipeline.send({
    operation: OPERATION,
    method: "GET",
    url: `${endpointsOf(context).apiUrl}/oauth/token/accessible-resources`,
    headers: { authorization: `Bearer ${accessToken}` },
    secrets,
  });
  if (response.status === 401 || response.status === 403) throw new AccessTokenRejectedError(response.status, OPERATION);
  classifyCommonFailures(response, context.pipeline.now());
  if (response.status !== 200) {
    throw new UnexpectedResponseError(OPERATION, `HTTP ${response.status}: ${atlassianErrorDetail(response, secrets)}`, response.status);
  }
  return parseWithSchema(resourcesSchema(), parseJsonBody(response, secrets), response);
}

/** Throws unless the grant reaches the site with `cloudId`. Pure. */
export function assertSiteAccessible(resources: readonly AccessibleResource[], cloudId: string): AccessibleResource {
  const match = resources.find((r) => r.id.toLowerCase() === cloudId.toLowerCase());
  if (!match) throw new SiteNotAccessibleError(cloudId, [...new Set(resources.map((r) => r.id))]);
  return match;
}
