/** Option definitions and parsers shared by the commands. Parsers never quote a secret in their errors. */
import { Option } from "commander";
import { promises as fs } from "fs";
import { AtlassianClient } from "../atlassian/client";
import { orgIdProblem } from "../atlassian/org/org-id";
import { parsePricing, PricingError, pricingFromPairs, type SeatPricing } from "../collector/decisions/pricing";
import { parseDeadline } from "../collector/decisions/deadline";
import { consentTimeProblem, createFileStore, createSecretsManagerStore, type RefreshTokenStore } from "../token-store";
import { CliError, type CliIo } from "./io";

/** Environment variables the CLI reads secrets (and the client ID) from. */
export const ENV = {
  clientId: "JIRA_CONNECTOR_CLIENT_ID",
  clientSecret: "JIRA_CONNECTOR_CLIENT_SECRET",
  refreshToken: "JIRA_CONNECTOR_REFRESH_TOKEN",
  licenseEmail: "JIRA_CONNECTOR_LICENSE_EMAIL",
  apiToken: "JIRA_CONNECTOR_API_TOKEN",
  orgApiKey: "JIRA_CONNECTOR_ORG_API_KEY",
  scopedApiToken: "JIRA_CONNECTOR_SCOPED_API_TOKEN",
  scopedTokenEmail: "JIRA_CONNECTOR_SCOPED_TOKEN_EMAIL",
  scopedTokenExpiresAt: "JIRA_CONNECTOR_SCOPED_TOKEN_EXPIRES_AT",
} as const;

export const jsonOption = () => new Option("--json", "print one JSON document on stdout instead of text");

export const clientIdOption = () => new Option("--client-id <id>", "the OAuth 2.0 (3LO) app's client ID (developer console → Settings)").env(ENV.clientId);

/** A secret-valued option: also read from `env` (preferred: command lines are visible to other users in `ps`). */
export const secretOption = (flags: string, description: string, env: string) =>
  new Option(flags, `${description}; prefer the environment variable, since command lines are visible to other users`).env(env);

export const clientSecretOption = () => secretOption("--client-secret <secret>", "the OAuth app's secret", ENV.clientSecret);

export function tokenStoreOptions(): Option[] {
  return [
    new Option("--token-file <path>", "a local JSON file (mode 0600) that holds the live refresh token"),
    new Option("--token-secret-arn <arn>", "a Secrets Manager secret that holds the live refresh token"),
    new Option("--region <region>", "the secret's AWS region (default: the ARN's)"),
  ];
}

export function licenseOptions(): Option[] {
  return [
    new Option("--license-email <email>", "a Jira administrator's email, for seat counts through an API token").env(ENV.licenseEmail),
    secretOption("--api-token <token>", "that administrator's (classic) API token", ENV.apiToken),
  ];
}

/** The scoped-API-token method (instead of --client-id/--client-secret/--refresh-token and a token store). */
export function scopedTokenOptions(): Option[] {
  return [
    secretOption("--scoped-api-token <token>", 'an API token with scopes (id.atlassian.com → "Create API token with scopes", app Jira): no OAuth app, no token store', ENV.scopedApiToken),
    new Option("--scoped-token-email <email>", "the email of the Atlassian account that created the scoped token").env(ENV.scopedTokenEmail),
    new Option("--scoped-token-expires-at <date>", "the expiry chosen when creating the scoped token, e.g. 2027-03-31 (check verifies it)").env(ENV.scopedTokenExpiresAt),
  ];
}

export interface ScopedTokenFlags {
  scopedApiToken?: string;
  scopedTokenEmail?: string;
  scopedTokenExpiresAt?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  licenseEmail?: string;
  apiToken?: string;
}

/**
 * `{email, apiToken}` of --scoped-api-token, or undefined for OAuth. One method per run: OAuth flags (or a
 * license account, which only OAuth connectors use) next to a scoped token are an error naming both.
 */
export function scopedTokenFrom(io: CliIo, flags: ScopedTokenFlags): { email: string; apiToken: string } | undefined {
  io.secrets.add(flags.scopedApiToken);
  if (flags.scopedApiToken === undefined) {
    if (flags.scopedTokenEmail !== undefined) throw new CliError("--scoped-token-email goes with --scoped-api-token (or JIRA_CONNECTOR_SCOPED_API_TOKEN).", "MISSING_OPTION", 2);
    return undefined;
  }
  const oauth = (["clientId", "clientSecret", "refreshToken"] as const).filter((k) => flags[k] !== undefined);
  if (oauth.length > 0) {
    const names = oauth.map((k) => ({ clientId: "--client-id", clientSecret: "--client-secret", refreshToken: "--refresh-token" })[k]).join(", ");
    throw new CliError(
      `pass either a scoped API token (--scoped-api-token) or OAuth (${names}), not both; unset JIRA_CONNECTOR_CLIENT_ID / JIRA_CONNECTOR_CLIENT_SECRET / JIRA_CONNECTOR_REFRESH_TOKEN if they come from the environment.`,
      "INVALID_ARGUMENT",
      2,
    );
  }
  if (flags.licenseEmail !== undefined || flags.apiToken !== undefined) {
    throw new CliError("--license-email/--api-token are for OAuth connectors; a scoped API token reads seats itself (its account must be a Jira administrator).", "INVALID_ARGUMENT", 2);
  }
  const email = requireValue(flags.scopedTokenEmail, "--scoped-token-email", "the email of the Atlassian account that created the scoped token");
  return { email, apiToken: requireValue(flags.scopedApiToken, "--scoped-api-token", "paste the scoped token (prefer JIRA_CONNECTOR_SCOPED_API_TOKEN)") };
}

export function requireValue(value: string | undefined, flag: string, fix: string): string {
  if (value === undefined || value.trim() === "") throw new CliError(`${flag} is required: ${fix}`, "MISSING_OPTION", 2);
  return value.trim();
}

/** A whole number in [min, max]; `flag` names the option in the error. */
export function parseInteger(raw: string | number, flag: string, min: number, max: number): number {
  const value = typeof raw === "number" ? raw : /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}.`, "INVALID_ARGUMENT", 2);
  }
  return value;
}

/** `--deadline`: a duration or an ISO time with a zone, as epoch ms; a usage error (never echoing the value) else. */
export function parseDeadlineFlag(raw: string, nowMs: number): number {
  const parsed = parseDeadline(raw, nowMs);
  if ("error" in parsed) throw new CliError(`${parsed.error}.`, "INVALID_DEADLINE", 2);
  return parsed.at;
}

export interface TokenStoreFlags {
  tokenFile?: string;
  tokenSecretArn?: string;
  region?: string;
}

/** The store named by --token-file or --token-secret-arn (exactly one), or undefined when neither was given. */
export function tokenStoreFrom(flags: TokenStoreFlags): RefreshTokenStore | undefined {
  if (flags.tokenFile && flags.tokenSecretArn) {
    throw new CliError("pass either --token-file or --token-secret-arn, not both: the live refresh token must have one home.", "INVALID_ARGUMENT", 2);
  }
  if (flags.tokenFile) return createFileStore({ path: flags.tokenFile });
  if (flags.tokenSecretArn) return createSecretsManagerStore({ secretArn: flags.tokenSecretArn, ...(flags.region ? { region: flags.region } : {}) });
  return undefined;
}

export function atlassianFor(io: CliIo, options: ConstructorParameters<typeof AtlassianClient>[0] = {}): AtlassianClient {
  return new AtlassianClient({ env: io.env, ...options });
}

/** Registers every secret in `values` with the scrubber; returns them unchanged. */
/** `--refresh-token-issued-at`: the consent time `authorize` printed (checked like `oauth.refreshTokenIssuedAt`). */
export function issuedAtOption(): Option {
  return new Option("--refresh-token-issued-at <iso>", "with --refresh-token: the consent time `authorize` printed, so the grant's 365-day expiry counts from it (default: this run)");
}

export function parseIssuedAt(value: string | undefined, refreshToken: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (refreshToken === undefined) throw new CliError("--refresh-token-issued-at goes with --refresh-token (a stored token keeps its recorded family start).", "INVALID_ARGUMENT", 2);
  const problem = consentTimeProblem("--refresh-token-issued-at", value, Date.now());
  if (problem) throw new CliError(`${problem}.`, "INVALID_ARGUMENT", 2);
  return value;
}

export function secretsSeen<T extends Record<string, unknown>>(io: CliIo, values: T, keys: readonly (keyof T)[]): T {
  for (const key of keys) {
    const value = values[key];
    if (typeof value === "string") io.secrets.add(value);
  }
  return values;
}

/** Where to get an organization API key, for messages. */
export const ORG_API_KEY_HELP =
  "create an API key in admin.atlassian.com → Settings → API keys and pass it with --org-api-key / JIRA_CONNECTOR_ORG_API_KEY";

export function orgOptions(): Option[] {
  return [
    new Option("--org-id <id>", "the Atlassian organization that manages the site (a UUID: admin.atlassian.com → the ID after /o/), to read last-active dates"),
    secretOption("--org-api-key <key>", "an organization API key (admin.atlassian.com → Settings → API keys; not an account API token)", ENV.orgApiKey),
  ];
}

export interface OrgFlags {
  orgId?: string;
  orgApiKey?: string;
}

/** `{orgId, apiKey}` from --org-id and --org-api-key (both or neither); the key is registered with the scrubber. */
export function orgFrom(io: CliIo, flags: OrgFlags): { orgId: string; apiKey: string } | undefined {
  io.secrets.add(flags.orgApiKey);
  const id = flags.orgId?.trim();
  const key = flags.orgApiKey?.trim();
  if (!id && !key) return undefined;
  if (!key) throw new CliError(`--org-id needs an organization API key: ${ORG_API_KEY_HELP}.`, "MISSING_OPTION", 2);
  if (!id) throw new CliError("--org-api-key needs --org-id: the organization's ID (admin.atlassian.com → the ID after /o/ in the URL).", "MISSING_OPTION", 2);
  const problem = orgIdProblem(id);
  if (problem) throw new CliError(`--org-id ${problem}.`, "INVALID_ARGUMENT", 2);
  return { orgId: id.toLowerCase(), apiKey: key };
}

export function pricingOptions(): Option[] {
  return [
    new Option("--pricing <file>", 'seat prices as JSON: { "currency": "USD", "monthlyPerSeat": { "jira-software": 8.6 } }'),
    new Option("--price <product=amount>", "a product's monthly price per seat, e.g. jira-software=8.60 (repeatable; with --currency)").argParser(
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    ),
    new Option("--currency <code>", "the ISO 4217 currency of --price, e.g. USD"),
  ];
}

export interface PricingFlags {
  pricing?: string;
  price?: string[];
  currency?: string;
}

/** Seat prices from --pricing <file> or --price/--currency (not both), or undefined; errors name the flag. */
export async function pricingFrom(flags: PricingFlags): Promise<SeatPricing | undefined> {
  const pairs = flags.price ?? [];
  if (flags.pricing !== undefined && (pairs.length > 0 || flags.currency !== undefined)) {
    throw new CliError("pass prices either as --pricing <file> or as --price <product>=<amount> with --currency, not both.", "INVALID_ARGUMENT", 2);
  }
  const fromPricingError = (error: unknown): never => {
    if (error instanceof PricingError) throw new CliError(`invalid prices:\n${error.problems.map((p) => `  ${p.replace(/^--price\.currency\b/, "--currency")}`).join("\n")}`, "INVALID_ARGUMENT", 2);
    throw error;
  };
  if (flags.pricing !== undefined) {
    let text: string;
    try {
      text = await fs.readFile(flags.pricing, "utf8");
    } catch (error) {
      throw new CliError(`--pricing ${flags.pricing}: cannot read the file (${(error as { code?: string }).code ?? "error"}).`, "INVALID_ARGUMENT", 2);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new CliError(`--pricing ${flags.pricing}: not JSON; expected { "currency": "USD", "monthlyPerSeat": { "jira-software": 8.6 } }.`, "INVALID_ARGUMENT", 2);
    }
    try {
      return parsePricing(value, "--pricing");
    } catch (error) {
      return fromPricingError(error);
    }
  }
  if (pairs.length === 0) {
    if (flags.currency !== undefined) throw new CliError("--currency goes with --price <product>=<amount>: give at least one price.", "INVALID_ARGUMENT", 2);
    return undefined;
  }
  if (flags.currency === undefined) throw new CliError("--price needs --currency <code>, e.g. --currency USD.", "MISSING_OPTION", 2);
  try {
    return pricingFromPairs(pairs, flags.currency.trim().toUpperCase());
  } catch (error) {
    return fromPricingError(error);
  }
}
