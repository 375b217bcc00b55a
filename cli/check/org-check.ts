/**
 * `check --org-id … --org-api-key …`: the organization API key and the organization's hold on the site, checked
 * before the connection's own validation (so nothing is exchanged or stored when the org half is wrong). Two Admin
 * API calls (atlassian/org/organization.ts): the organization by ID (key accepted? the key's own org?) and its
 * workspaces (is the site one of them?). JiraConnection has no org input, so this lives in the CLI only; a bad key
 * in the collector makes its run partial with the same advice.
 */
import type { AtlassianClient } from "../../atlassian/client";
import { AtlassianError } from "../../atlassian/errors";
import { workspacesOfSite } from "../../atlassian/org/organization";
import { normalizeSiteName } from "../../atlassian/site-name";
import { ORG_API_KEY_HELP } from "../options";
import type { CheckRow } from "./check-rows";

export const ORG_CHECKS = ["org-key", "org-site"] as const;
export type OrgCheck = (typeof ORG_CHECKS)[number];

export const ORG_CHECK_LABELS: Record<OrgCheck, string> = {
  "org-key": "org API key accepted, organization found (Admin API)",
  "org-site": "organization manages the site (workspaces)",
};

export const ORG_KEY_FLAG = "--org-api-key / JIRA_CONNECTOR_ORG_API_KEY";
export const ORG_ID_FLAG = "--org-id";

const SCOPES_HINT =
  "a key with scopes needs read:orgs:admin and read:workspaces:admin (and read access to user last-active dates); " +
  "create one with those scopes, or without scopes, in admin.atlassian.com → Settings → API keys, and pass it with --org-api-key / JIRA_CONNECTOR_ORG_API_KEY";

function keyRejected(check: OrgCheck, httpStatus: number): CheckRow {
  const message =
    httpStatus === 403
      ? `the organization API key was refused (HTTP 403): ${SCOPES_HINT}`
      : `the organization API key was rejected (HTTP ${httpStatus}): ${ORG_API_KEY_HELP} (an organization API key, not an account API token; check that it has not expired)`;
  return { check, label: ORG_CHECK_LABELS[check], status: "fail", fix: ORG_KEY_FLAG, message };
}

function orgNotFound(check: OrgCheck, orgId: string): CheckRow {
  return {
    check,
    label: ORG_CHECK_LABELS[check],
    status: "fail",
    fix: ORG_ID_FLAG,
    message:
      `organization ${orgId} was not found for this API key (HTTP 404): pass the ID of the organization the key belongs to with --org-id ` +
      "(admin.atlassian.com → the ID after /o/ in the URL), or a key of that organization",
  };
}

function failed(check: OrgCheck, error: unknown): CheckRow {
  if (!(error instanceof AtlassianError)) throw error;
  return { check, label: ORG_CHECK_LABELS[check], status: "fail", message: `${error.message} (run check again)` };
}

const notRun = (check: OrgCheck): CheckRow => ({ check, label: ORG_CHECK_LABELS[check], status: "not run", message: "skipped because an earlier check failed" });

/** The org rows, in ORG_CHECKS order. `cloudId` is optional: the site is also matched by its host name. */
export async function checkOrg(
  atlassian: AtlassianClient,
  options: { orgId: string; apiKey: string; site: string; cloudId?: string },
): Promise<CheckRow[]> {
  const { orgId, apiKey } = options;
  let lookup;
  try {
    lookup = await atlassian.org.organization({ orgId, apiKey });
  } catch (error) {
    return [failed("org-key", error), notRun("org-site")];
  }
  if (lookup.status === "key-rejected") return [keyRejected("org-key", lookup.httpStatus), notRun("org-site")];
  if (lookup.status === "not-found") return [orgNotFound("org-key", orgId), notRun("org-site")];
  const keyRow: CheckRow = { check: "org-key", label: ORG_CHECK_LABELS["org-key"], status: "pass", ...(lookup.name ? { message: `organization "${lookup.name}"` } : {}) };

  let listed;
  try {
    listed = await atlassian.org.workspaces({ orgId, apiKey });
  } catch (error) {
    return [keyRow, failed("org-site", error)];
  }
  if (listed.status === "key-rejected") return [keyRow, keyRejected("org-site", listed.httpStatus)];
  if (listed.status === "not-found") return [keyRow, orgNotFound("org-site", orgId)];
  const site = normalizeSiteName(options.site);
  const ofSite = workspacesOfSite(listed.workspaces, site, options.cloudId);
  if (ofSite.length === 0) {
    return [
      keyRow,
      {
        check: "org-site",
        label: ORG_CHECK_LABELS["org-site"],
        status: "fail",
        fix: ORG_ID_FLAG,
        message:
          `organization ${orgId} does not manage the site ${site}.atlassian.net (none of its ${listed.workspaces.length} workspace(s) is on it), ` +
          "so it has no last-active dates for the site's users: pass the ID of the organization that manages the site with --org-id " +
          "(admin.atlassian.com → Products lists each organization's sites), and a key of that organization",
      },
    ];
  }
  const products = [...new Set(ofSite.map((w) => w.typeKey).filter((k): k is string => Boolean(k)))].sort();
  return [keyRow, { check: "org-site", label: ORG_CHECK_LABELS["org-site"], status: "pass", message: `${site}.atlassian.net: ${products.join(", ") || `${ofSite.length} workspace(s)`}` }];
}
