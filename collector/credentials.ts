import { z } from "zod";

/**
 * The connector's credentials secret (Secrets Manager, JSON), managed by Pulumi. Two shapes, told apart by `method`:
 *
 * - OAuth (no `method`, the original format): `{"clientId","clientSecret","email"?,"apiToken"?,"orgApiKey"?}` — the
 *   OAuth client and, optionally, an administrator's email + classic API token (the license).
 * - Scoped API token: `{"method":"scoped-api-token","email","apiToken","orgApiKey"?}`.
 *
 * `orgApiKey` is an organization API key. Read at the start of each run so a changed credential applies at once.
 * Errors name the secret and the field, never a value.
 */
export interface OAuthCredentials {
  method?: undefined;
  clientId: string;
  clientSecret: string;
  license?: { email: string; apiToken: string };
  /** The organization API key (Atlassian Administration → Settings → API keys), for the org's last-active dates. */
  orgApiKey?: string;
}

export interface ScopedApiTokenCredentials {
  method: "scoped-api-token";
  email: string;
  apiToken: string;
  orgApiKey?: string;
}

export type ConnectorCredentials = OAuthCredentials | ScopedApiTokenCredentials;

export class CredentialsSecretError extends Error {
  constructor(readonly secretArn: string, detail: string) {
    super(`credentials secret ${secretArn}: ${detail}`);
    this.name = "CredentialsSecretError";
  }
}

const oauthSchema = () =>
  z.object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    email: z.string().min(1).optional(),
    apiToken: z.string().min(1).optional(),
    orgApiKey: z.string().min(1).optional(),
  });

const scopedSchema = () =>
  z.object({
    method: z.literal("scoped-api-token"),
    email: z.string().min(1),
    apiToken: z.string().min(1),
    orgApiKey: z.string().min(1).optional(),
  });

/** Fields only OAuth uses: in a scoped secret they mean the secret was written by hand or half-migrated. */
const OAUTH_ONLY = ["clientId", "clientSecret", "refreshToken"] as const;

/** Parses the secret's JSON value (either shape above). Pure. */
export function parseCredentials(secretArn: string, value: string | undefined): ConnectorCredentials {
  if (value === undefined) throw new CredentialsSecretError(secretArn, "has no value (SecretString); `pulumi up` writes it");
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new CredentialsSecretError(secretArn, "is not JSON");
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new CredentialsSecretError(secretArn, "is not a JSON object");
  const method = (json as Record<string, unknown>).method;
  if (method === undefined) return parseOAuth(secretArn, json);
  if (method !== "scoped-api-token") {
    // The method is not a secret, but a hand-edited secret could have anything there: name the field only.
    throw new CredentialsSecretError(secretArn, 'has an unknown method; expected "scoped-api-token" or no method (OAuth) — run `pulumi up` to rewrite it');
  }
  const extra = OAUTH_ONLY.filter((field) => field in json);
  if (extra.length > 0) {
    throw new CredentialsSecretError(secretArn, `is a scoped-api-token secret but also has ${extra.join(", ")} (OAuth fields); run \`pulumi up\` to rewrite it`);
  }
  const parsed = scopedSchema().safeParse(json);
  if (!parsed.success) throw invalidFields(secretArn, parsed.error, "scoped-api-token ");
  const { email, apiToken, orgApiKey } = parsed.data;
  return { method: "scoped-api-token", email, apiToken, ...(orgApiKey ? { orgApiKey } : {}) };
}

function parseOAuth(secretArn: string, json: object): OAuthCredentials {
  const parsed = oauthSchema().safeParse(json);
  if (!parsed.success) throw invalidFields(secretArn, parsed.error, "");
  const { clientId, clientSecret, email, apiToken, orgApiKey } = parsed.data;
  if ((email === undefined) !== (apiToken === undefined)) {
    throw new CredentialsSecretError(secretArn, "email and apiToken must be set together (or both left out)");
  }
  return { clientId, clientSecret, ...(email && apiToken ? { license: { email, apiToken } } : {}), ...(orgApiKey ? { orgApiKey } : {}) };
}

/** Names the fields zod refused; zod's own messages can quote the received value, so they are not used. */
function invalidFields(secretArn: string, error: z.ZodError, kind: string): CredentialsSecretError {
  const fields = [...new Set(error.issues.map((i) => i.path.join(".") || "(value)"))];
  return new CredentialsSecretError(secretArn, `missing or invalid ${kind}field(s): ${fields.join(", ")}`);
}

/** Reads and parses the credentials secret. The SDK is required here, not at module level (bundling, serialization). */
export async function readCredentials(secretArn: string, region?: string): Promise<ConnectorCredentials> {
  const sdk = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
  const client = new sdk.SecretsManagerClient(region ? { region } : {});
  try {
    const response = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretArn }));
    return parseCredentials(secretArn, response.SecretString);
  } catch (error) {
    if (error instanceof CredentialsSecretError) throw error;
    const name = (error as { name?: string }).name ?? "Error";
    throw new CredentialsSecretError(secretArn, `could not be read (${name}); the function needs secretsmanager:GetSecretValue on it`);
  } finally {
    client.destroy();
  }
}
