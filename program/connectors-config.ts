import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { connectorNameOf, CREDENTIAL_KEYS, credentialsMissing, legacyCredentialPaths, legacyMigrationCommands } from "./credential-keys";

export { connectorNameOf };

/**
 * The stack's connectors, split so that a pull request shows what changed:
 *
 *   - `connectors`, a **plain** list (one entry per Jira site: site, name, schedule, options, the OAuth client ID,
 *     the license and scoped-token emails and expiries) — a schedule change is one readable line of the diff;
 *   - one **secret** key per credential, `<connector>.<credential>` in the project's namespace (see
 *     credential-keys.ts), e.g. `acme.refreshToken` — a rotated credential is one changed ciphertext line.
 *
 *   pulumi config set --plaintext connectors '[{"site": "acme", "oauth": {"clientId": "…"}}]'
 *   pulumi config set --secret acme.clientSecret        (prompts; or pipe the value on stdin)
 *   jira-connector authorize … --pulumi-config acme.refreshToken   (also sets acme.refreshTokenIssuedAt, plain)
 *
 * The list's length decides which resources exist, so it is read while the program runs, not as an Output; the
 * credentials are read decrypted too (a duplicate refresh token is refused before anything registers) and the
 * component re-wraps each with `pulumi.secret`. Errors name keys and fields, never values.
 */
export const CONNECTORS_CONFIG_KEY = "connectors";
/** `<connector>.refreshTokenIssuedAt`: when the consent happened (plain), the start of the grant's 365 days. */
export const CONSENT_TIME_KEY = "refreshTokenIssuedAt";

const text = () => z.string().trim().min(1);
const entrySchema = () =>
  z.strictObject({
    name: text().optional(),
    site: text(),
    cloudId: text().optional(),
    product: text().optional(),
    // Exactly one of the two (JiraConnector names the problem otherwise); their secrets are keys of their own.
    scopedApiToken: z.strictObject({ email: text(), expiresAt: text() }).optional(),
    oauth: z.strictObject({ clientId: text() }).optional(),
    license: z.strictObject({ email: text(), apiTokenExpiresAt: text().optional() }).optional(),
    org: z.strictObject({ orgId: text() }).optional(),
    pricing: z.strictObject({ currency: text(), monthlyPerSeat: z.record(z.string(), z.number()) }).optional(),
    schedule: z.strictObject({ expression: text().optional(), timezone: text().optional() }).optional(),
    inactivityDays: z.number().optional(),
    auditLookbackDays: z.number().optional(),
    kmsKeyArn: text().optional(),
    bucketName: text().optional(),
    snapshotRetentionDays: z.number().optional(),
    alarms: z.strictObject({ email: text().optional(), snsTopicArn: text().optional() }).optional(),
    lambda: z.strictObject({ memoryMb: z.number().optional(), timeoutSeconds: z.number().optional(), logRetentionDays: z.number().optional() }).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  });

/** One entry of the plain list: no credential in it. */
export type ConnectorListEntry = z.infer<ReturnType<typeof entrySchema>>;
/** An entry with its credentials filled in from the secret keys: the JiraConnector's args. */
export type ConnectorEntry = Omit<ConnectorListEntry, "oauth" | "scopedApiToken" | "license" | "org"> & {
  oauth?: { clientId: string; clientSecret: string; refreshToken: string; refreshTokenIssuedAt?: string };
  scopedApiToken?: { email: string; apiToken: string; expiresAt: string };
  license?: { email: string; apiToken: string; apiTokenExpiresAt?: string };
  org?: { orgId: string; apiKey: string };
};

/** A RunError: `pulumi preview`/`up` print the message alone, without a stack trace. */
export class ConnectorsConfigError extends pulumi.RunError {
  constructor(problems: string[], key = CONNECTORS_CONFIG_KEY) {
    super(`stack config \`${key}\`:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConnectorsConfigError";
  }
}

/** Parses the plain list (pure). The old form, credentials inside the list, is refused with the migration. */
export function parseConnectorsConfig(raw: string | undefined, stack?: string): ConnectorListEntry[] {
  if (raw === undefined || raw.trim() === "") {
    throw new ConnectorsConfigError(["is not set: `pulumi config set --plaintext connectors '[{\"site\": \"acme\", …}]'`, plus one secret key per credential (see README)"]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConnectorsConfigError(["is not JSON (a list of connector objects)"]);
  }
  const legacy = legacyCredentialPaths(json);
  if (legacy.length > 0) throw new ConnectorsConfigError(legacyMigrationCommands(json as { name?: string; site?: unknown }[], legacy, stack));
  const parsed = z.array(entrySchema()).min(1).safeParse(json);
  if (!parsed.success) {
    // Paths and zod's generic messages only: a message never echoes the offending value.
    throw new ConnectorsConfigError(groupByEntry(json, parsed.error.issues));
  }
  return parsed.data;
}

/** One line per connector entry (named by its site when readable), each listing that entry's problems. */
function groupByEntry(json: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  const byEntry = new Map<string, string[]>();
  for (const issue of issues) {
    const [index, ...rest] = issue.path;
    const site = typeof index === "number" && Array.isArray(json) ? (json[index] as { site?: unknown } | null)?.site : undefined;
    const label = typeof index !== "number" ? "(list)" : `[${index}]${typeof site === "string" && site.length <= 100 ? ` (site ${JSON.stringify(site)})` : ""}`;
    byEntry.set(label, [...(byEntry.get(label) ?? []), `${rest.join(".") || "(entry)"}: ${issue.message}`]);
  }
  return [...byEntry].map(([label, problems]) => `${label}: ${problems.join("; ")}`);
}

/** A config value as the runtime holds it: decrypted, and whether the stack marks it secret. */
export type ConfigLookup = (key: string) => { value: string; secret: boolean } | undefined;

/**
 * Fills in each entry's credentials from its secret keys (pure, given `lookup`). Every missing key and every
 * credential stored in plain text is reported at once, each with the command that fixes it.
 */
export function withCredentials(entries: readonly ConnectorListEntry[], lookup: ConfigLookup, stack?: string): ConnectorEntry[] {
  const problems: string[] = [];
  const stackFlag = stack ? ` --stack ${stack}` : "";
  const read = (name: string, credential: keyof typeof CREDENTIAL_KEYS): string => {
    const key = `${name}.${credential}`;
    const found = lookup(key);
    if (found === undefined || found.value.trim() === "") problems.push(`${key} is not set: \`pulumi config set --secret${stackFlag} ${key}\` (${CREDENTIAL_KEYS[credential]})`);
    else if (!found.secret) problems.push(`${key} is stored in plain text: set it again with \`pulumi config set --secret${stackFlag} ${key}\``);
    return found?.value.trim() ?? "";
  };
  // Optional and plain (not a secret): the consent time `authorize --pulumi-config` stores next to the token.
  const issuedAt = (name: string) => {
    const value = lookup(`${name}.${CONSENT_TIME_KEY}`)?.value.trim();
    return value ? { refreshTokenIssuedAt: value } : {};
  };
  const resolved = entries.map((entry): ConnectorEntry => {
    const name = connectorNameOf(entry);
    const { oauth, scopedApiToken, license, org, ...rest } = entry;
    return {
      ...rest,
      ...(oauth ? { oauth: { clientId: oauth.clientId, clientSecret: read(name, "clientSecret"), refreshToken: read(name, "refreshToken"), ...issuedAt(name) } } : {}),
      ...(scopedApiToken ? { scopedApiToken: { ...scopedApiToken, apiToken: read(name, "scopedApiToken") } } : {}),
      ...(license ? { license: { ...license, apiToken: read(name, "apiToken") } } : {}),
      ...(org ? { org: { orgId: org.orgId, apiKey: read(name, "orgApiKey") } } : {}),
    };
  });
  if (problems.length > 0) throw new ConnectorsConfigError(credentialsMissing(problems), "credentials");
  return resolved;
}

/** Reads the running stack's `<project>:connectors` and `<project>:<connector>.<credential>` keys. */
export function readConnectorsConfig(): ConnectorEntry[] {
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  const key = `${project}:${CONNECTORS_CONFIG_KEY}`;
  const entries = parseConnectorsConfig(pulumi.runtime.getConfig(key), stack);
  if (isSecretConfig(key) === true) {
    // Harmless (it holds no credential now), but it hides every change of the list in one ciphertext line.
    void pulumi.log.warn(`stack config \`${CONNECTORS_CONFIG_KEY}\` is a secret, so a pull request shows any change of it as one opaque line; it holds no credentials, so store it in plain text: \`pulumi config get --stack ${stack} ${CONNECTORS_CONFIG_KEY} | pulumi config set --plaintext --stack ${stack} ${CONNECTORS_CONFIG_KEY}\``);
  }
  return withCredentials(
    entries,
    (name) => {
      const value = pulumi.runtime.getConfig(`${project}:${name}`);
      return value === undefined ? undefined : { value, secret: isSecretConfig(`${project}:${name}`) ?? true };
    },
    stack,
  );
}

/** Whether the stack marks `key` secret. The SDK exposes this only internally: undefined should it ever go. */
function isSecretConfig(key: string): boolean | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal SDK module, see above
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (k: string) => boolean };
  return runtimeConfig.isConfigSecret?.(key);
}
