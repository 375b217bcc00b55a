import { z } from "zod";

/**
 * The connector's credentials secret (Secrets Manager, JSON), managed by Pulumi: the OAuth client and, optionally,
 * an administrator's email + API token, and optionally an organization API key. Read at the start of each run so a rotated client secret applies at once.
 * Errors name the secret and the field, never a value.
 */
export interface ConnectorCredentials {
  clientId: string;
  clientSecret: string;
  license?: { email: string; apiToken: string };
  /** The organization API key (Atlassian Administration → Settings → API keys), for the org's last-active dates. */
  orgApiKey?: string;
}

export class CredentialsSecretError extends Error {
  constructor(readonly secretArn: string, detail: string) {
    super(`credentials secret ${secretArn}: ${detail}`);
    this.name = "CredentialsSecretError";
  }
}

const credentialsSchema = () =>
  z.object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    email: z.string().min(1).optional(),
    apiToken: z.string().min(1).optional(),
    orgApiKey: z.string().min(1).optional(),
  });

/** Parses the secret's JSON value: `{"clientId","clientSecret","email"?,"apiToken"?,"orgApiKey"?}`. Pure. */
export function parseCredentials(secretArn: string, value: string | undefined): ConnectorCredentials {
  if (value === undefined) throw new CredentialsSecretError(secretArn, "has no value (SecretString); `pulumi up` writes it");
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new CredentialsSecretError(secretArn, "is not JSON");
  }
  const parsed = credentialsSchema().safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(value)"))];
    throw new CredentialsSecretError(secretArn, `missing or invalid field(s): ${fields.join(", ")}`);
  }
  const { clientId, clientSecret, email, apiToken, orgApiKey } = parsed.data;
  if ((email === undefined) !== (apiToken === undefined)) {
    throw new CredentialsSecretError(secretArn, "email and apiToken must be set together (or both left out)");
  }
  return { clientId, clientSecret, ...(email && apiToken ? { license: { email, apiToken } } : {}), ...(orgApiKey ? { orgApiKey } : {}) };
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
