import * as pulumi from "@pulumi/pulumi";
import type { SeatPricing } from "../collector/decisions/pricing";
import type { LimitOverrides } from "../collector/limits";
import type { JiraLicenseArgs, JiraOAuthArgs, JiraScopedApiTokenArgs } from "../providers/jira-connection";

/**
 * Arguments of a {@link JiraConnector}: one Jira Cloud site, its credentials, and how its collector runs in AWS.
 * Secret fields are wrapped with `pulumi.secret` whatever you pass. Fields typed as plain values (not
 * `pulumi.Input`) shape the resource graph or its names, so they must be known when the program runs.
 */
export interface JiraConnectorArgs {
  /** The Jira Cloud site: `acme`, `acme.atlassian.net` or `https://acme.atlassian.net` (normalised to `acme`). */
  site: pulumi.Input<string>;
  /** The site's cloud ID. If given, `pulumi up` checks it against the site; if omitted, it is derived. */
  cloudId?: pulumi.Input<string>;
  /**
   * The connector's name: lowercase letters, digits and hyphens, at most 40 characters (it becomes part of AWS
   * resource names, the snapshot prefix `connectors/<name>/` and the metrics' `Connector` dimension). Unique within
   * the program. Default: the site name, which must then be a plain string.
   */
  name?: string;
  /** Only `jira`: this component manages Jira Cloud connectors. Present so a config for another product fails early. */
  product?: string;
  /**
   * Exactly one of `scopedApiToken` and `oauth`. Switching between them is an update of the same connector (the
   * connection, function and schedule keep their names); oauth → scoped deletes the refresh-token secret.
   *
   * An API token with scopes (the recommended method): `{ email, apiToken, expiresAt }`, created by a Jira
   * administrator at id.atlassian.com → "Create API token with scopes", app Jira. No refresh-token secret is
   * created; `expiresAt` (required: Atlassian forces an expiry and never reports it) drives the API-token alarm.
   */
  scopedApiToken?: JiraScopedApiTokenArgs;
  /** The OAuth 2.0 (3LO) integration; its refresh token seeds the refresh-token secret on the first `pulumi up`. */
  oauth?: JiraOAuthArgs;
  /** OAuth only: a Jira administrator's email and API token; `apiTokenExpiresAt` enables the API-token expiry alarm. */
  license?: JiraLicenseArgs;
  /**
   * Optional: the Atlassian organization that manages the site, so the collector adds the Admin API's last-active
   * dates (the day each person last viewed a product page — the only trace of people who only read) to the activity
   * evidence. Costs one Admin API request per seat holder per run (Atlassian's organization rate limit, roughly
   * 200 requests a minute, applies). `orgId` is a UUID: admin.atlassian.com → the ID after `/o/` in the URL.
   * `apiKey` is an organization API key (admin.atlassian.com → Settings → API keys; not an account's API token); it
   * is kept in the credentials secret as `orgApiKey`, the ID reaches the function as `JIRA_CONNECTOR_ORG_ID`.
   * Check both with `jira-connector check --org-id … --org-api-key …` before deploying.
   */
  org?: {
    orgId: pulumi.Input<string>;
    apiKey: pulumi.Input<string>;
  };
  /**
   * Optional seat prices, so the seat report can put a monthly figure on idle seats: an ISO 4217 `currency` and the
   * monthly price of one seat per product key, e.g. `{ currency: "USD", monthlyPerSeat: { "jira-software": 8.6 } }`.
   * Atlassian's API does not expose what a site pays. Validated at construction; passed to the function as
   * `JIRA_CONNECTOR_PRICING` (JSON; prices are not secrets).
   */
  pricing?: { currency: string; monthlyPerSeat: Record<string, number> };
  /**
   * Optional listing bounds over the collector's defaults (README "Bounds"), for a site that reaches one, e.g.
   * `{ groupMembers: { maxItems: 1_000_000 } }`. Listings: `users`, `groupMembers`, `auditRecords`, `issues`,
   * `worklogs`, `changelogs`; bounds `maxItems` and `maxPages`, whole numbers up to ten times the default. A partial
   * run's reason names the bound it reached (`limits.groupMembers.maxItems = 500000`). Checked at construction;
   * passed to the function as `JIRA_CONNECTOR_LIMITS` (JSON).
   */
  limits?: LimitOverrides;
  /** When the collector runs (EventBridge Scheduler). */
  schedule?: {
    /**
     * A recurring `cron(...)` or `rate(...)` expression in EventBridge Scheduler's syntax (checked at construction:
     * exactly one of day-of-month and day-of-week `?`; `rate(1 hour)` but `rate(2 hours)`), at most 3.5 days between
     * runs. Default `cron(0 23 * * ? *)`.
     */
    expression?: string;
    /** IANA time zone of the expression (a plain string is checked against the IANA list). Default `UTC`. */
    timezone?: pulumi.Input<string>;
  };
  /** A seat holder with no activity for this many days is reported inactive. Default 90. */
  inactivityDays?: number;
  /** How far back the first run reads the audit log, in days. Default 30. */
  auditLookbackDays?: number;
  /** A KMS key for the secrets, snapshots, logs and queue. Default: a key (rotation on) and alias are created. */
  kmsKeyArn?: pulumi.Input<string>;
  /** An existing bucket for snapshots (it keeps its own lifecycle). Default: a bucket is created. */
  bucketName?: pulumi.Input<string>;
  /** Days a snapshot object is kept in a bucket this component creates. Default 365. */
  snapshotRetentionDays?: number;
  /** Where alarms go: the given SNS topic, else a created one; `email` adds an email subscription. */
  alarms?: {
    email?: pulumi.Input<string>;
    snsTopicArn?: pulumi.Input<string>;
  };
  /** The collector function. */
  lambda?: {
    /** Default 512. */
    memoryMb?: number;
    /** Default 600 (ten minutes); 1 to 900. */
    timeoutSeconds?: number;
    /** Days the function's log group keeps logs: one of CloudWatch Logs' retention values. Default 90. */
    logRetentionDays?: number;
  };
  /** Tags added to every taggable resource (besides `jira-connector: <name>` and `managed-by: pulumi`), within AWS's tag limits. */
  tags?: Record<string, string>;
}

export const DEFAULT_SCHEDULE = "cron(0 23 * * ? *)";
export const DEFAULT_TIMEZONE = "UTC";
export const MAX_CONNECTOR_NAME_LENGTH = 40;
/** Same rule as the collector's `JIRA_CONNECTOR_NAME` check, shorter so AWS names stay within their limits. */
export const CONNECTOR_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** The plain-valued settings the component derives from its args, validated up front. */
export interface ConnectorSettings {
  name: string;
  /** Which credential the connector uses (exactly one is set, checked by `resolveSettings`). */
  authMethod: "oauth" | "scoped-api-token";
  scheduleExpression: string;
  inactivityDays: number;
  auditLookbackDays: number;
  snapshotRetentionDays: number;
  memoryMb: number;
  timeoutSeconds: number;
  logRetentionDays: number;
  tags: Record<string, string>;
  /** Validated `pricing`, when given. */
  pricing?: SeatPricing;
  /** Validated `limits`, when given. */
  limits?: LimitOverrides;
}

/**
 * Thrown when args are invalid; names the connector and the field, never a value of a secret field. A RunError, so
 * `pulumi preview`/`up` print the message alone: no stack trace, no colour codes, no inspected Outputs.
 */
export class JiraConnectorArgsError extends pulumi.RunError {
  constructor(readonly connector: string, readonly problems: string[], component = "JiraConnector") {
    super(`${component} ${JSON.stringify(connector)}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "JiraConnectorArgsError";
  }
}
