import { z } from "zod";
import { type AtlassianContext, endpointsOf } from "./context";
import { CloudIdMismatchError, SiteNotFoundError } from "./errors";
import { classifyCommonFailures } from "./http/classify";
import { normalizeSiteName } from "./site-name";

/** Cloud IDs are UUID-shaped (not always RFC-4122 variants, so no strict UUID check); they go into gateway paths. */
export const CLOUD_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const tenantInfoSchema = () => z.object({ cloudId: z.string().regex(CLOUD_ID_PATTERN) });

/**
 * Looks up a site's cloud ID with the unauthenticated `GET https://{site}.atlassian.net/_edge/tenant_info`.
 * Anything but `200` + JSON with a UUID-shaped `cloudId` means the site is not a Jira Cloud site; redirects are
 * not followed (unknown sites may redirect to a login or "unavailable" page).
 */
export async function fetchCloudId(context: AtlassianContext, site: string): Promise<string> {
  const name = normalizeSiteName(site);
  const operation = "GET /_edge/tenant_info";
  const response = await context.pipeline.send({
    operation,
    method: "GET",
    url: `${endpointsOf(context).siteUrl(name)}/_edge/tenant_info`,
    redirect: "manual",
  });
  if (response.status === 404 || (response.status >= 300 && response.status < 400)) {
    throw new SiteNotFoundError(name, `tenant_info answered HTTP ${response.status}`, response.status);
  }
  classifyCommonFailures(response);
  if (response.status !== 200) {
    throw new SiteNotFoundError(name, `tenant_info answered HTTP ${response.status}`, response.status);
  }
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new SiteNotFoundError(name, "tenant_info did not answer with JSON", response.status);
  }
  const parsed = tenantInfoSchema().safeParse(body);
  if (!parsed.success) throw new SiteNotFoundError(name, "tenant_info carried no cloud ID", response.status);
  return parsed.data.cloudId.toLowerCase();
}

/** Throws CloudIdMismatchError unless the configured cloud ID (if any) equals the one tenant_info returned. Pure. */
export function assertCloudId(site: string, expected: string | undefined, actual: string): void {
  if (expected !== undefined && expected.toLowerCase() !== actual.toLowerCase()) {
    throw new CloudIdMismatchError(site, expected, actual);
  }
}
