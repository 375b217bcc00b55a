import { orgIdProblem } from "../atlassian/org/org-id";
import { normalizeSiteName, siteNameProblem } from "../atlassian/site-name";
import { parsePricing, PricingError, type SeatPricing } from "../collector/decisions/pricing";
import { type LimitOverrides, LimitsError, parseLimitOverrides } from "../collector/limits";
import {
  CONNECTOR_NAME,
  DEFAULT_SCHEDULE,
  JiraConnectorArgsError,
  MAX_CONNECTOR_NAME_LENGTH,
  type ConnectorSettings,
  type JiraConnectorArgs,
} from "./args";
import { checkConsentTime, checkCredentialCharacters, checkLogRetention, checkString, checkTags, checkTimezone, wholeNumber } from "./arg-checks";
import { authMethodOf } from "./auth-settings";
import { scheduleSyntaxProblem } from "./schedule-expression";
import { schedulePeriodProblem } from "./schedule-period";

/**
 * Validates the args that must be plain values and fills in defaults, reporting every problem at once. Runs in the
 * constructor, so `pulumi preview` fails with the message before any resource is registered. Pure but for the
 * clock (a scoped token's `expiresAt` must lie ahead, within 365 days).
 */
export function resolveSettings(resourceName: string, args: JiraConnectorArgs): ConnectorSettings {
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    throw new JiraConnectorArgsError(resourceName, ["args must be an object: { site, scopedApiToken | oauth, ... }"]);
  }
  const problems: string[] = [];
  if (args.product !== undefined && checkString("product", args.product, problems, false) && args.product.trim().toLowerCase() !== "jira") {
    problems.push(
      `product ${JSON.stringify(args.product)} is not supported: JiraConnector is for Jira Cloud only ` +
        "(Confluence and other Atlassian products need their own connector)",
    );
  }
  if (checkString("site", args.site, problems, true) && siteNameProblem(args.site) !== undefined) {
    const wiki = /\/wiki(\/|$)/i.test(args.site) ? " (a /wiki URL is Confluence: JiraConnector is for Jira only)" : "";
    problems.push(`site ${siteNameProblem(args.site)}${wiki}`);
  }
  const name = connectorName(args, problems);
  const authMethod = authMethodOf(args, problems);
  checkCredentialCharacters(args as unknown as Record<string, unknown>, problems);
  checkConsentTime(args.oauth, problems);
  const scheduleExpression = scheduleOf(args.schedule, problems);
  const tags = checkTags(args.tags, { "jira-connector": name, "managed-by": "pulumi" }, problems);
  orgProblems(args.org, problems);
  const pricing = pricingOf(args.pricing, problems);
  const limits = limitsOf(args.limits, problems);
  const whole = (field: string, value: unknown, fallback: number, min: number, max: number) =>
    wholeNumber(field, value, fallback, min, max, problems);
  const inactivityDays = whole("inactivityDays", args.inactivityDays, 90, 1, 3650);
  checkLogRetention(args.lambda?.logRetentionDays, problems);
  const settings: ConnectorSettings = {
    name,
    authMethod,
    scheduleExpression,
    inactivityDays,
    auditLookbackDays: whole("auditLookbackDays", args.auditLookbackDays, inactivityDays, 1, 3650),
    snapshotRetentionDays: whole("snapshotRetentionDays", args.snapshotRetentionDays, 365, 1, 36500),
    memoryMb: whole("lambda.memoryMb", args.lambda?.memoryMb, 512, 128, 10240),
    timeoutSeconds: whole("lambda.timeoutSeconds", args.lambda?.timeoutSeconds, 600, 1, 900),
    logRetentionDays: args.lambda?.logRetentionDays ?? 90,
    tags: { ...tags, "jira-connector": name, "managed-by": "pulumi" },
    ...(pricing ? { pricing } : {}),
    ...(limits ? { limits } : {}),
  };
  if (problems.length > 0) throw new JiraConnectorArgsError(name || resourceName, problems);
  return settings;
}

/** `schedule`: the expression as EventBridge Scheduler parses it, then the collector's period rule; the time zone. */
function scheduleOf(schedule: JiraConnectorArgs["schedule"], problems: string[]): string {
  if (schedule === undefined) return DEFAULT_SCHEDULE;
  if (schedule === null || typeof schedule !== "object" || Array.isArray(schedule)) {
    problems.push(`schedule must be { expression?, timezone? }, e.g. { expression: "${DEFAULT_SCHEDULE}", timezone: "UTC" }`);
    return DEFAULT_SCHEDULE;
  }
  checkTimezone(schedule.timezone, problems);
  if (schedule.expression === undefined) return DEFAULT_SCHEDULE;
  if (!checkString("schedule.expression", schedule.expression, problems, false)) return DEFAULT_SCHEDULE;
  // An empty expression is refused rather than replaced by the default: a blank config value is a mistake.
  const expression = schedule.expression.trim();
  const problem = scheduleSyntaxProblem(expression) ?? schedulePeriodProblem(expression);
  if (problem) problems.push(`schedule.expression ${problem}`);
  return expression;
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
  if (!checkString("name", args.name, problems, false)) return "";
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

function limitsOf(limits: unknown, problems: string[]): LimitOverrides | undefined {
  if (limits === undefined) return undefined;
  try {
    return parseLimitOverrides(limits, (path) => (path ? `limits.${path}` : "limits"));
  } catch (error) {
    if (!(error instanceof LimitsError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}
