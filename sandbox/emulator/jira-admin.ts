/** Licensing and audit endpoints (mostly Administer Jira), plus serverInfo. */
import { jiraDate } from "./clock";
import { fail } from "./http-util";
import { principalOf, type JiraHandler, type JiraRequest } from "./jira-context";
import { offsetParam, pageSize } from "./pagination";
import { roleJson } from "./render";
import { isAdmin } from "./seed-data";
import type { AuditRecordJson } from "./seed-activity";

function requireAdmin(req: JiraRequest, message: string): void {
  if (!isAdmin(principalOf(req))) fail(403, message);
}

// [A] wording: Atlassian does not document these 403 texts (license details' one is known, §5.2).
const NOT_ADMIN_ROLES = "You are not authorized to perform this action. Administrator privileges are required.";
const NOT_ADMIN_LICENSE = "Only Jira administrators can access license details.";
const NOT_ADMIN_AUDIT = "You are not authorized to perform this action. Administrator privileges are required.";
const FREE_PLAN_AUDIT = "Audit logs are only available on sites with at least one paid Jira product.";

export const applicationRoles: JiraHandler = (req) => {
  requireAdmin(req, NOT_ADMIN_ROLES);
  const roles = req.site.applicationRoles.map((r) => roleJson(r, req.site, req.base));
  return { body: roles, core: roles.length };
};

export const applicationRole: JiraHandler = (req) => {
  requireAdmin(req, NOT_ADMIN_ROLES);
  const role = req.site.applicationRoles.find((r) => r.key === req.params.key);
  if (!role) fail(404, `The application role with key '${req.params.key}' does not exist.`);
  return { body: roleJson(role, req.site, req.base), core: 1 };
};

export const instanceLicense: JiraHandler = (req) => ({
  body: { applications: req.site.license.applications.map((a) => ({ id: a.id, plan: a.plan })) },
  core: req.site.license.applications.length,
});

export const approximateLicenseCount: JiraHandler = (req) => {
  requireAdmin(req, NOT_ADMIN_LICENSE);
  // `value` is a string on the wire.
  return { body: { key: "license.totalApproximateUserCount", value: String(req.site.approximateCounts.total) }, core: 1 };
};

const PRODUCT_KEYS = ["jira-core", "jira-product-discovery", "jira-software", "jira-servicedesk"];

export const approximateProductCount: JiraHandler = (req) => {
  requireAdmin(req, NOT_ADMIN_LICENSE);
  const key = req.params.applicationKey;
  if (!PRODUCT_KEYS.includes(key)) fail(400, `Invalid application key: ${key}. Expected one of ${PRODUCT_KEYS.join(", ")}.`);
  return { body: { key: `license.${key}.approximateUserCount`, value: String(req.site.approximateCounts[key] ?? 0) }, core: 1 };
};

function timeParam(req: JiraRequest, name: string): number | undefined {
  const raw = req.query.get(name);
  if (!raw) return undefined;
  // [A] ISO-8601 (Jira's own `+0000` form parses too); the format is not pinned by the spec.
  const t = Date.parse(raw);
  if (Number.isNaN(t)) fail(400, `The '${name}' parameter must be an ISO-8601 date-time.`);
  return t;
}

function searchable(r: AuditRecordJson): string {
  const items = [r.objectItem, ...r.associatedItems];
  return [
    r.summary,
    r.category,
    r.eventSource,
    r.remoteAddress,
    ...items.flatMap((i) => [i.name, i.parentName ?? "", i.typeName]),
    ...r.changedValues.flatMap((c) => [c.changedFrom ?? "", c.changedTo ?? ""]),
  ]
    .join("\n")
    .toLowerCase();
}

export const auditRecords: JiraHandler = (req) => {
  requireAdmin(req, NOT_ADMIN_AUDIT);
  // Audit needs at least one paid product: a 403 meaning "not on this plan", not "not permitted".
  if (!req.site.license.applications.some((a) => a.plan === "PAID")) fail(403, FREE_PLAN_AUDIT);
  const offset = offsetParam(req, "offset");
  const limit = pageSize(req, "limit", { fallback: 1000, max: 1000 });
  const from = timeParam(req, "from");
  const to = timeParam(req, "to");
  // [A] every space-separated term must occur somewhere in the record.
  const terms = (req.query.get("filter") ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const matches =
    from !== undefined && to !== undefined && from >= to
      ? []
      : req.site.auditRecords.filter((r) => {
          const t = Date.parse(r.created);
          if ((from !== undefined && t < from) || (to !== undefined && t > to)) return false;
          if (terms.length === 0) return true;
          const text = searchable(r);
          return terms.every((term) => text.includes(term));
        });
  const records = matches.slice(offset, offset + limit);
  return { body: { offset, limit, total: matches.length, records }, core: records.length };
};

export const serverInfo: JiraHandler = (req) => ({
  body: {
    baseUrl: req.siteUrl,
    version: "1001.0.0-SNAPSHOT",
    versionNumbers: [1001, 0, 0],
    deploymentType: "Cloud",
    buildNumber: 100289,
    buildDate: "2025-01-01T00:00:00.000+0000",
    serverTime: jiraDate(req.now),
    scmInfo: "57a0ca5b4a0bb0ac5f3fee4764acb1c14e4d7e71",
    serverTitle: "Jira",
    serverTimeZone: "Etc/UTC",
  },
  core: 1,
});
