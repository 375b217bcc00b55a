import { z } from "zod";
import { CLOUD_ID_PATTERN } from "../atlassian/tenant-info";
import { normalizeSiteName, siteNameProblem } from "../atlassian/site-name";
import { ORG_ID_PATTERN } from "../atlassian/org/org-id";
import { parsePricing, PricingError, type SeatPricing } from "./decisions/pricing";
import { type LimitOverrides, LimitsError, parseLimitOverrides } from "./limits";

/**
 * The Lambda's configuration, from environment variables set by the JiraConnector component. Validated up front so
 * a misconfigured function fails with one message naming every bad variable, instead of half-way through a run.
 * No secret is passed this way: credentials are read from the secrets the ARNs name.
 */
export interface CollectorLambdaConfig {
  connectorName: string;
  site: string;
  cloudId: string;
  /** Secrets Manager secret with the OAuth client and license, or the scoped API token (JSON, collector/credentials.ts). */
  credentialsSecretArn: string;
  /** OAuth only: the secret holding the live refresh token (rotated by every run). A scoped token has none. */
  refreshTokenSecretArn?: string;
  bucketName: string;
  /** KMS key for snapshot objects (SSE-KMS); the bucket default applies when absent. */
  snapshotKmsKeyArn?: string;
  inactivityDays: number;
  auditLookbackDays: number;
  /** ISO date the admin gave for the API token's expiry — the scoped token's, or OAuth's license token's (Atlassian does not expose it). */
  apiTokenExpiresAt?: string;
  /**
   * The organization whose Admin API gives last-active dates; its API key is `orgApiKey` in the credentials secret.
   * Both or neither (the handler refuses one without the other).
   */
  orgId?: string;
  /** Seat prices for the seat report (`{currency, monthlyPerSeat}`), from `JIRA_CONNECTOR_PRICING` (JSON). */
  pricing?: SeatPricing;
  /** Listing bounds over the defaults (collector/limits.ts), from `JIRA_CONNECTOR_LIMITS` (JSON). */
  limits?: LimitOverrides;
}

export const LAMBDA_ENV = {
  connectorName: "JIRA_CONNECTOR_NAME",
  site: "JIRA_CONNECTOR_SITE",
  cloudId: "JIRA_CONNECTOR_CLOUD_ID",
  credentialsSecretArn: "JIRA_CONNECTOR_CREDENTIALS_SECRET_ARN",
  refreshTokenSecretArn: "JIRA_CONNECTOR_REFRESH_TOKEN_SECRET_ARN",
  bucketName: "JIRA_CONNECTOR_BUCKET",
  snapshotKmsKeyArn: "JIRA_CONNECTOR_SNAPSHOT_KMS_KEY_ARN",
  inactivityDays: "JIRA_CONNECTOR_INACTIVITY_DAYS",
  auditLookbackDays: "JIRA_CONNECTOR_AUDIT_LOOKBACK_DAYS",
  apiTokenExpiresAt: "JIRA_CONNECTOR_API_TOKEN_EXPIRES_AT",
  orgId: "JIRA_CONNECTOR_ORG_ID",
  pricing: "JIRA_CONNECTOR_PRICING",
  limits: "JIRA_CONNECTOR_LIMITS",
} as const;

export class CollectorConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`the collector is misconfigured:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "CollectorConfigurationError";
  }
}

export function parseLambdaConfig(env: Record<string, string | undefined>): CollectorLambdaConfig {
  const problems: string[] = [];
  const get = (key: keyof typeof LAMBDA_ENV) => {
    const value = env[LAMBDA_ENV[key]]?.trim();
    return value === "" ? undefined : value;
  };
  const required = (key: keyof typeof LAMBDA_ENV, valid: (v: string) => boolean, expectation: string) => {
    const value = get(key);
    if (value === undefined) problems.push(`${LAMBDA_ENV[key]} is not set; expected ${expectation}`);
    else if (!valid(value)) problems.push(`${LAMBDA_ENV[key]} is not ${expectation}`);
    return value ?? "";
  };
  const days = (key: "inactivityDays" | "auditLookbackDays", fallback: number) => {
    const value = get(key);
    if (value === undefined) return fallback;
    const parsed = z.coerce.number().int().min(1).max(3650).safeParse(value);
    if (!parsed.success) problems.push(`${LAMBDA_ENV[key]} must be a whole number of days between 1 and 3650`);
    return parsed.success ? parsed.data : fallback;
  };
  const secretArn = (v: string) => /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(v);

  const connectorName = required("connectorName", (v) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(v), "a connector name (lowercase letters, digits, hyphens)");
  const siteRaw = required("site", (v) => siteNameProblem(v) === undefined, "a Jira site name such as 'acme'");
  const cloudId = required("cloudId", (v) => CLOUD_ID_PATTERN.test(v), "the site's cloud ID (a UUID)");
  const credentialsSecretArn = required("credentialsSecretArn", secretArn, "a Secrets Manager secret ARN");
  // Optional here: whether it is needed depends on the credentials secret's method, which the handler reads.
  const refreshTokenSecretArn = get("refreshTokenSecretArn");
  if (refreshTokenSecretArn !== undefined && !secretArn(refreshTokenSecretArn)) problems.push(`${LAMBDA_ENV.refreshTokenSecretArn} is not a Secrets Manager secret ARN`);
  const bucketName = required("bucketName", (v) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v), "an S3 bucket name");
  const snapshotKmsKeyArn = get("snapshotKmsKeyArn");
  if (snapshotKmsKeyArn !== undefined && !/^arn:aws[a-z-]*:kms:/.test(snapshotKmsKeyArn)) {
    problems.push(`${LAMBDA_ENV.snapshotKmsKeyArn} is not a KMS key ARN`);
  }
  const apiTokenExpiresAt = get("apiTokenExpiresAt");
  if (apiTokenExpiresAt !== undefined && Number.isNaN(Date.parse(apiTokenExpiresAt))) {
    problems.push(`${LAMBDA_ENV.apiTokenExpiresAt} is not an ISO date`);
  }
  const orgId = get("orgId");
  if (orgId !== undefined && !ORG_ID_PATTERN.test(orgId)) {
    problems.push(`${LAMBDA_ENV.orgId} is not an organization ID (a UUID, as in admin.atlassian.com/o/<orgId>)`);
  }
  const pricing = jsonSetting("pricing", get("pricing"), '{ "currency": "USD", "monthlyPerSeat": { "jira-software": 8.6 } }', problems, (v) =>
    parsePricing(v, LAMBDA_ENV.pricing),
  );
  const limits = jsonSetting("limits", get("limits"), '{ "users": { "maxItems": 2000000 } }', problems, (v) =>
    parseLimitOverrides(v, (path) => (path ? `${LAMBDA_ENV.limits}.${path}` : LAMBDA_ENV.limits)),
  );
  const inactivityDays = days("inactivityDays", 90);
  const config: CollectorLambdaConfig = {
    connectorName,
    site: problems.some((p) => p.startsWith(LAMBDA_ENV.site)) ? siteRaw : normalizeSiteName(siteRaw),
    cloudId: cloudId.toLowerCase(),
    credentialsSecretArn,
    ...(refreshTokenSecretArn ? { refreshTokenSecretArn } : {}),
    bucketName,
    ...(snapshotKmsKeyArn ? { snapshotKmsKeyArn } : {}),
    inactivityDays,
    // Default: the inactivity window, so the first report can see audit-only activity across all of it.
    auditLookbackDays: days("auditLookbackDays", inactivityDays),
    ...(apiTokenExpiresAt ? { apiTokenExpiresAt } : {}),
    ...(orgId ? { orgId: orgId.toLowerCase() } : {}),
    ...(pricing ? { pricing } : {}),
    ...(limits ? { limits } : {}),
  };
  if (problems.length > 0) throw new CollectorConfigurationError(problems);
  return config;
}

/** A JSON variable, parsed and then checked by `check`, whose problems (PricingError, LimitsError) join the others. */
function jsonSetting<T>(key: "pricing" | "limits", raw: string | undefined, example: string, problems: string[], check: (value: unknown) => T): T | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    problems.push(`${LAMBDA_ENV[key]} is not JSON; expected ${example}`);
    return undefined;
  }
  try {
    return check(value);
  } catch (error) {
    if (!(error instanceof PricingError || error instanceof LimitsError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}
