import { z } from "zod";
import { UnexpectedResponseError } from "../errors";
import type { JiraClient } from "./jira-client";
import { JIRA_OPERATIONS } from "./operations";
import {
  type ApplicationRole,
  applicationRoleSchema,
  type InstanceLicense,
  licenseMetricSchema,
  licenseSchema,
} from "./schemas";

/** Application roles: one per product, with seat counts and the groups that grant it. Admin only. */
export async function getApplicationRoles(client: JiraClient): Promise<ApplicationRole[]> {
  return client.get(JIRA_OPERATIONS.applicationRoles, z.array(applicationRoleSchema()));
}

export async function getApplicationRole(client: JiraClient, key: string): Promise<ApplicationRole> {
  return client.get(JIRA_OPERATIONS.applicationRole, applicationRoleSchema(), { pathParams: { key } });
}

/** Plan (`UNLICENSED` | `FREE` | `PAID`) per product. */
export async function getInstanceLicense(client: JiraClient): Promise<InstanceLicense> {
  return client.get(JIRA_OPERATIONS.instanceLicense, licenseSchema());
}

/**
 * Atlassian's approximate licensed-user count, for the whole site or one product. The wire value is a string and
 * may be up to 7 days old. Admin only.
 */
export async function getApproximateLicenseCount(client: JiraClient, productKey?: string): Promise<number> {
  const metric = productKey
    ? await client.get(JIRA_OPERATIONS.approximateProductLicenseCount, licenseMetricSchema(), {
        pathParams: { applicationKey: productKey },
      })
    : await client.get(JIRA_OPERATIONS.approximateLicenseCount, licenseMetricSchema());
  const value = Number(metric.value);
  if (!Number.isFinite(value)) {
    throw new UnexpectedResponseError(
      `GET /rest/api/3${productKey ? JIRA_OPERATIONS.approximateProductLicenseCount.path : JIRA_OPERATIONS.approximateLicenseCount.path}`,
      `approximate license count is not a number`,
    );
  }
  return value;
}
