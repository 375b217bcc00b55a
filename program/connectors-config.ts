import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * The stack's connectors: one secret config key, `connectors`, holding a list (one entry per Jira site), e.g.
 *
 *   pulumi config set --secret connectors "$(cat connectors.json)"
 *
 * The list's length decides which resources exist, so it must be read while the program runs, not as an Output:
 * the raw value is read from the runtime's decrypted config (the SDK's `Config` only hands secret values out as
 * Outputs) and every credential is re-wrapped with `pulumi.secret` by the component. Errors name fields, never
 * values.
 */
export const CONNECTORS_CONFIG_KEY = "connectors";

const text = () => z.string().trim().min(1);
const entrySchema = () =>
  z.strictObject({
    name: text().optional(),
    site: text(),
    cloudId: text().optional(),
    product: text().optional(),
    // Exactly one of the two (JiraConnector names the problem otherwise).
    scopedApiToken: z.strictObject({ email: text(), apiToken: text(), expiresAt: text() }).optional(),
    oauth: z.strictObject({ clientId: text(), clientSecret: text(), refreshToken: text() }).optional(),
    license: z.strictObject({ email: text(), apiToken: text(), apiTokenExpiresAt: text().optional() }).optional(),
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

export type ConnectorEntry = z.infer<ReturnType<typeof entrySchema>>;

/** A RunError: `pulumi preview`/`up` print the message alone, without a stack trace. */
export class ConnectorsConfigError extends pulumi.RunError {
  constructor(problems: string[]) {
    super(`stack config \`${CONNECTORS_CONFIG_KEY}\`:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConnectorsConfigError";
  }
}

/** Parses the list (pure). */
export function parseConnectorsConfig(raw: string | undefined): ConnectorEntry[] {
  if (raw === undefined || raw.trim() === "") {
    throw new ConnectorsConfigError(["is not set: `pulumi config set --secret connectors '[{\"site\": \"acme\", …}]'` (see README)"]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConnectorsConfigError(["is not JSON (a list of connector objects)"]);
  }
  const parsed = z.array(entrySchema()).min(1).safeParse(json);
  if (!parsed.success) {
    // Paths and zod's generic messages only: a message never echoes the offending (possibly secret) value.
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

/**
 * Reads and parses `<project>:connectors` from the running stack's config. Refused unless the key is a secret:
 * set in plain text, the credentials would sit unencrypted in `Pulumi.<stack>.yaml`.
 */
export function readConnectorsConfig(): ConnectorEntry[] {
  const key = `${pulumi.getProject()}:${CONNECTORS_CONFIG_KEY}`;
  const raw = pulumi.runtime.getConfig(key);
  if (raw !== undefined && !isSecretConfig(key)) {
    throw new ConnectorsConfigError([
      "holds credentials but is stored in plain text: set it again with `pulumi config set --secret connectors …`",
    ]);
  }
  return parseConnectorsConfig(raw);
}

/** Whether the stack marks `key` secret. The SDK exposes this only internally; if it ever goes, assume secret. */
function isSecretConfig(key: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal SDK module, see above
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (k: string) => boolean };
  return runtimeConfig.isConfigSecret?.(key) ?? true;
}
