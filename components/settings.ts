import { orgIdProblem } from "../atlassian/org/org-id";
import { normalizeSiteName, siteNameProblem } from "../atlassian/site-name";
import { parsePricing, PricingError, type SeatPricing } from "../collector/decisions/pricing";
import {
  CONNECTOR_NAME,
  DEFAULT_SCHEDULE,
  JiraConnectorArgsError,
  MAX_CONNECTOR_NAME_LENGTH,
  type ConnectorSettings,
  type JiraConnectorArgs,
} from "./args";
import { authMethodOf } from "./auth-settings";
import { schedulePeriodProblem } from "./schedule-period";

/**
 * Validates the args that must be plain values and fills in defaults, reporting every problem at once. Runs in the
 * constructor, so `pulumi preview` fails with the message before any resource is registered. Pure but for the
 * clock (a scoped token's `expiresAt` must lie ahead, within 365 days).
 */
export function resolveSettings(resourceName: string, args: JiraConnectorArgs): ConnectorSettings {
  const problems: string[] = [];
  if (args.product !== undefined && args.product.trim().toLowerCase() !== "jira") {
    problems.push(
      `product ${JSON.stringify(args.product)} is not supported: JiraConnector is for Jira Cloud only ` +
        "(Confluence and other Atlassian products need their own connector)",
    );
  }
  if (typeof args.site === "string" && siteNameProblem(args.site) !== undefined) {
    const wiki = /\/wiki(\/|$)/i.test(args.site) ? " (a /wiki URL is Confluence: JiraConnector is for Jira only)" : "";
    problems.push(`site ${siteNameProblem(args.site)}${wiki}`);
  }
  const name = connectorName(args, problems);
  const authMethod = authMethodOf(args, problems);
  const whole = (field: string, value: number | undefined, fallback: number, min: number, max: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${field} must be a whole number from ${min} to ${max}`);
    return value;
  };
  const scheduleExpression = args.schedule?.expression?.trim() || DEFAULT_SCHEDULE;
  const scheduleProblem = schedulePeriodProblem(scheduleExpression);
  if (scheduleProblem) problems.push(`schedule.expression ${scheduleProblem}`);
  const tags = args.tags ?? {};
  for (const key of Object.keys(tags)) {
    if (key.toLowerCase().startsWith("aws:")) problems.push(`tags: ${JSON.stringify(key)} uses the reserved aws: prefix`);
  }
  orgProblems(args.org, problems);
  const pricing = pricingOf(args.pricing, problems);
  const inactivityDays = whole("inactivityDays", args.inactivityDays, 90, 1, 3650);
  const settings: ConnectorSettings = {
    name,
    authMethod,
    scheduleExpression,
    inactivityDays,
    auditLookbackDays: whole("auditLookbackDays", args.auditLookbackDays, inactivityDays, 1, 3650),
    snapshotRetentionDays: whole("snapshotRetentionDays", args.snapshotRetentionDays, 365, 1, 36500),
    memoryMb: whole("lambda.memoryMb", args.lambda?.memoryMb, 512, 128, 10240),
    timeoutSeconds: whole("lambda.timeoutSeconds", args.lambda?.timeoutSeconds, 600, 30, 900),
    logRetentionDays: whole("lambda.logRetentionDays", args.lambda?.logRetentionDays, 90, 1, 3653),
    tags: { ...tags, "jira-connector": name, "managed-by": "pulumi" },
    ...(pricing ? { pricing } : {}),
  };
  if (problems.length > 0) throw new JiraConnectorArgsError(name || resourceName, problems);
  return settings;
}

function connectorName(args: JiraConnectorArgs, problems: string[]): string {
  if (args.name === undefined) {
    if (typeof args.site !== "string") {
      problems.push("name is required when site is not a plain string (the name must be known at preview)");
      return "";
    }
    if (siteNameProblem(args.site) !== undefined) return "";
    const fromSite = normalizeSiteName(args.site);
    if (fromSite.length > MAX_CONNECTOR_NAME_LENGTH) {
      problems.push(`the site name is longer than ${MAX_CONNECTOR_NAME_LENGTH} characters: set a shorter name`);
    }
    return fromSite;
  }
  if (!CONNECTOR_NAME.test(args.name) || args.name.length > MAX_CONNECTOR_NAME_LENGTH) {
    problems.push(
      `name ${JSON.stringify(args.name)} must be 1-${MAX_CONNECTOR_NAME_LENGTH} lowercase letters, digits or hyphens, ` +
        "not starting or ending with a hyphen",
    );
  }
  return args.name;
}

/** Fix for a missing or empty org API key; never quotes the value. */
export const ORG_API_KEY_FIX =
  "create an API key in admin.atlassian.com → Settings → API keys (an organization API key, not an account API token) and pass it as org.apiKey, e.g. from `pulumi config set --secret`";

/**
 * `org`: both fields, a UUID-shaped org ID and a non-empty key. Plain strings are checked here (preview fails);
 * Outputs are checked when known, by `orgIdOutput`/`orgApiKeyOutput`. Never quotes the key.
 */
function orgProblems(org: JiraConnectorArgs["org"], problems: string[]): void {
  if (org === undefined) return;
  if (org === null || typeof org !== "object") {
    problems.push("org must be { orgId, apiKey }: the organization ID and an organization API key");
    return;
  }
  if (org.orgId === undefined || org.orgId === null) {
    problems.push("org.orgId is required with org.apiKey: admin.atlassian.com → the ID after /o/ in the URL");
  } else if (typeof org.orgId === "string") {
    const problem = orgIdProblem(org.orgId);
    if (problem) problems.push(`org.orgId ${problem}`);
  }
  if (org.apiKey === undefined || org.apiKey === null) problems.push(`org.apiKey is required with org.orgId: ${ORG_API_KEY_FIX}`);
  else if (typeof org.apiKey === "string" && org.apiKey.trim() === "") problems.push(`org.apiKey is empty: ${ORG_API_KEY_FIX}`);
}

function pricingOf(pricing: JiraConnectorArgs["pricing"], problems: string[]): SeatPricing | undefined {
  if (pricing === undefined) return undefined;
  try {
    return parsePricing(pricing, "pricing");
  } catch (error) {
    if (!(error instanceof PricingError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}
