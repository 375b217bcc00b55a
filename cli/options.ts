/** Option definitions and parsers shared by the commands. Parsers never quote a secret in their errors. */
import { Option } from "commander";
import { AtlassianClient } from "../atlassian/client";
import { createFileStore, createSecretsManagerStore, type RefreshTokenStore } from "../token-store";
import { CliError, type CliIo } from "./io";

/** Environment variables the CLI reads secrets (and the client ID) from. */
export const ENV = {
  clientId: "JIRA_CONNECTOR_CLIENT_ID",
  clientSecret: "JIRA_CONNECTOR_CLIENT_SECRET",
  refreshToken: "JIRA_CONNECTOR_REFRESH_TOKEN",
  licenseEmail: "JIRA_CONNECTOR_LICENSE_EMAIL",
  apiToken: "JIRA_CONNECTOR_API_TOKEN",
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

export function requireValue(value: string | undefined, flag: string, fix: string): string {
  if (value === undefined || value.trim() === "") throw new CliError(`${flag} is required: ${fix}`, "MISSING_OPTION", 2);
  return value.trim();
}

/** A whole number in [min, max]; `flag` names the option in the error. */
export function parseInteger(raw: string | number, flag: string, min: number, max: number): number {
  const value = typeof raw === "number" ? raw : /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(String(raw).slice(0, 40))}.`, "INVALID_ARGUMENT", 2);
  }
  return value;
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
export function secretsSeen<T extends Record<string, unknown>>(io: CliIo, values: T, keys: readonly (keyof T)[]): T {
  for (const key of keys) {
    const value = values[key];
    if (typeof value === "string") io.secrets.add(value);
  }
  return values;
}
