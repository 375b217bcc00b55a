import * as pulumi from "@pulumi/pulumi";
import { consentTimeProblem } from "../token-store/consent-time";
import { CONNECTOR_NAME, JiraConnectorArgsError, MAX_CONNECTOR_NAME_LENGTH } from "./args";

/**
 * Checks of JiraConnector args that AWS would otherwise refuse during `pulumi up` (tags, time zones, log retention)
 * and of shapes a JavaScript caller can get wrong (a number as `site`), run by `resolveSettings` so every problem is
 * reported at once, at preview. Outputs and promises are left to the provider and AWS: their values are not known yet.
 */

type Problems = string[];

/** An Output or promise: a value that is not known while the program runs. */
export const isPending = (value: unknown) => pulumi.Output.isInstance(value) || value instanceof Promise;

/** `value` is a string, or (with `allowPending`) an Output/promise; else a problem naming `property`. */
export function checkString(property: string, value: unknown, problems: Problems, allowPending: boolean): value is string {
  if (typeof value === "string") return true;
  if (allowPending && isPending(value)) return false;
  const what = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
  problems.push(`${property} must be a string${allowPending ? " (or an Output of one)" : ""}, not ${what}`);
  return false;
}

const TIME_ZONES = new Set<string>([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC"]);

/** `schedule.timezone`: an IANA name EventBridge Scheduler knows (plain strings only). */
export function checkTimezone(timezone: unknown, problems: Problems): void {
  if (timezone === undefined || !checkString("schedule.timezone", timezone, problems, true)) return;
  if (!TIME_ZONES.has(timezone)) {
    problems.push(`schedule.timezone ${JSON.stringify(timezone)} is not an IANA time zone: use a name such as UTC, Europe/Berlin or America/New_York`);
  }
}

/** AWS's tag limits (the strictest common set, which S3, Lambda, IAM, KMS and Scheduler all accept). */
export const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_FIX = "letters, digits, spaces and _ . : / = + - @";

/** `tags`: string values within AWS's limits, at most 50 together with the component's own `own` tags. */
export function checkTags(tags: unknown, own: Record<string, string>, problems: Problems): Record<string, string> {
  if (tags === undefined) return {};
  if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
    problems.push("tags must be an object of string keys and values, e.g. { team: \"it\" }");
    return {};
  }
  const plain: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    const label = `tags[${JSON.stringify(key)}]`;
    if (key.length === 0 || key.length > MAX_KEY) problems.push(`${label}: a tag key must be 1-${MAX_KEY} characters`);
    if (key.toLowerCase().startsWith("aws:")) problems.push(`tags: ${JSON.stringify(key)} uses the reserved aws: prefix`);
    if (!TAG_CHARACTERS.test(key)) problems.push(`${label}: the key may only contain ${TAG_FIX}`);
    if (key in own) problems.push(`${label} is set by the component itself; use another key`);
    if (!checkString(label, value, problems, false)) continue;
    if (value.length > MAX_VALUE) problems.push(`${label}: a tag value must be at most ${MAX_VALUE} characters`);
    if (!TAG_CHARACTERS.test(value)) problems.push(`${label}: the value may only contain ${TAG_FIX}`);
    plain[key] = value;
  }
  const count = Object.keys({ ...plain, ...own }).length;
  if (count > MAX_TAGS) {
    problems.push(`tags: ${count} tags with the component's own ${Object.keys(own).length}; AWS allows at most ${MAX_TAGS}, so remove ${count - MAX_TAGS}`);
  }
  return plain;
}

/**
 * `oauth.refreshTokenIssuedAt`: a plain value must be a real consent time within the grant's 365 days (an Output is
 * checked by JiraConnection on `up`). An expired grant fails preview, before anything is deployed with it.
 */
export function checkConsentTime(oauth: unknown, problems: Problems, now: Date = new Date()): void {
  if (oauth === null || typeof oauth !== "object") return;
  const issuedAt = (oauth as Record<string, unknown>).refreshTokenIssuedAt;
  if (issuedAt === undefined || isPending(issuedAt)) return;
  const problem = consentTimeProblem("oauth.refreshTokenIssuedAt", issuedAt, now.getTime());
  if (problem) problems.push(problem);
}

/** The retention periods CloudWatch Logs accepts for a log group (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function checkLogRetention(days: unknown, problems: Problems): void {
  if (days === undefined || LOG_RETENTION_DAYS.includes(days as number)) return;
  problems.push(`lambda.logRetentionDays must be one of CloudWatch Logs' values: ${LOG_RETENTION_DAYS.join(", ")}`);
}

/** A whole number in [min, max], else the fallback and a problem (a string such as "90" is refused, not coerced). */
export function wholeNumber(property: string, value: unknown, fallback: number, min: number, max: number, problems: Problems): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    problems.push(`${property} must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

/** Credential fields: plain values are checked now; Outputs are checked by JiraConnection on `up`. */
const CREDENTIALS: Record<string, string[]> = {
  oauth: ["clientId", "clientSecret", "refreshToken"],
  license: ["email", "apiToken"],
  scopedApiToken: ["email", "apiToken"],
  org: ["orgId", "apiKey"],
};
const CONTROL = /\p{Cc}/u;
/**
 * Far above any real credential (API tokens ~200 characters, refresh tokens under 2 kB), low enough that a pasted
 * file is caught before it is stored in a secret and sent as a header. The provider applies the same bound.
 */
export const MAX_CREDENTIAL_LENGTH = 8192;

/** A control character (a pasted newline, NUL) in a plain credential would be sent to Atlassian and refused. Never quotes it. */
export function checkCredentialCharacters(args: Record<string, unknown>, problems: Problems): void {
  for (const [group, fields] of Object.entries(CREDENTIALS)) {
    const value = args[group];
    if (value === null || typeof value !== "object") continue;
    for (const field of fields) {
      const text = (value as Record<string, unknown>)[field];
      if (typeof text !== "string") continue;
      if (CONTROL.test(text)) {
        problems.push(`${group}.${field} contains a control character (a newline or tab from copying?); paste the value again without it`);
      } else if (text !== text.trim()) {
        problems.push(`${group}.${field} starts or ends with a space (a copy-paste error?); paste the value again without it`);
      }
      if (text.length > MAX_CREDENTIAL_LENGTH) {
        problems.push(`${group}.${field} is ${text.length} characters, longer than any Atlassian credential (${MAX_CREDENTIAL_LENGTH} at most): was a file or several values pasted?`);
      }
    }
  }
}

/**
 * The start of a component's arg check (SharedConnectorStorage, ConnectorFleet): its name, which becomes part of AWS
 * resource names (the connector-name rule); args an object, else thrown at once with any name problem; and no key
 * beyond `known`. Returns the args as a record for the component's own checks, which add to `problems`.
 */
export function componentArgs(
  component: string,
  what: string,
  name: unknown,
  args: unknown,
  known: readonly string[],
  example: string,
  problems: Problems,
): Record<string, unknown> {
  if (typeof name !== "string" || !CONNECTOR_NAME.test(name) || name.length > MAX_CONNECTOR_NAME_LENGTH) {
    problems.push(`the ${what}'s name must be 1-${MAX_CONNECTOR_NAME_LENGTH} lowercase letters, digits or hyphens`);
  }
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    throw new JiraConnectorArgsError(String(name), [...problems, `args must be an object such as ${example}`], component);
  }
  const given = args as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) problems.push(`${key} is not an argument of ${component} (known: ${known.join(", ")})`);
  }
  return given;
}
