/**
 * `--pulumi-config <key>`: stores the new refresh token as a Pulumi secret with `pulumi config set --secret <key>`.
 * The value goes through the child's stdin, never its command line (visible to every user in `ps`).
 *
 * A key without `:` lands in the project's namespace (`<project>:<key>`), which is what `new pulumi.Config()` and the
 * root program read; `ns:key` names another namespace and is only right when a program reads `new pulumi.Config("ns")`.
 * The root program's convention is `<connector>.refreshToken` (a flat key: the dot is part of the name, no `--path`).
 */
import { spawn } from "child_process";
import { scrubSecrets } from "../../atlassian/http/redaction";
import { CliError } from "../io";

const CONFIG_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,199}$/;

export function assertPulumiConfigKey(key: string): void {
  if (!CONFIG_KEY.test(key)) {
    throw new CliError(`--pulumi-config: ${JSON.stringify(key.slice(0, 80))} is not a Pulumi config key; use e.g. acme.refreshToken (the root program's key for connector acme).`, "INVALID_ARGUMENT", 2);
  }
}

/** Where `pulumi config set <key>` puts the key: the project's namespace unless the key names one (`ns:key`). */
export function pulumiConfigNamespace(key: string): { kind: "project" } | { kind: "explicit"; namespace: string } {
  const colon = key.indexOf(":");
  return colon < 0 ? { kind: "project" } : { kind: "explicit", namespace: key.slice(0, colon) };
}

/** How the stored key reads back, for the success message. */
export function describePulumiConfigKey(key: string): string {
  const where = pulumiConfigNamespace(key);
  return where.kind === "project"
    ? `"${key}" in the project's namespace (read by \`new pulumi.Config().requireSecret("${key}")\` and the root program)`
    : `"${key}" in namespace "${where.namespace}" (read only by \`new pulumi.Config("${where.namespace}")\`; the root program reads keys without a namespace, e.g. acme.refreshToken)`;
}

interface Run {
  code: number | null;
  stderr: string;
}

function run(args: string[], options: { env: Record<string, string | undefined>; cwd?: string; input?: string }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { env: options.env as NodeJS.ProcessEnv, cwd: options.cwd, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    let capped = false;
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (capped) return;
      stderr += chunk;
      // A cap mid-line could cut an echoed secret, leaving a prefix no scrub matches: keep whole lines only.
      if (stderr.length > 64_000) [capped, stderr] = [true, stderr.slice(0, stderr.lastIndexOf("\n") + 1)];
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

/** Fails before the consent starts when the Pulumi CLI cannot be run, so no authorization is wasted. */
export async function assertPulumiAvailable(env: Record<string, string | undefined>, cwd?: string): Promise<void> {
  try {
    const result = await run(["version"], { env, cwd });
    if (result.code === 0) return;
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
  throw new CliError(
    "--pulumi-config needs the Pulumi CLI, and `pulumi version` could not be run. Install it (https://www.pulumi.com/docs/install/) " +
      "and put it on PATH, or leave out --pulumi-config to have the token printed.",
    "PULUMI_NOT_FOUND",
  );
}

/** The consent-time key next to a token key: `acme.refreshToken` → `acme.refreshTokenIssuedAt` (the root program's). */
export function consentTimeKeyOf(tokenKey: string): string {
  return `${tokenKey}IssuedAt`;
}

/** A plain (not secret) value: `pulumi config set --plaintext <key> <value>`; the value is not secret, so argv is fine. */
export async function setPulumiPlain(options: { key: string; value: string; stack?: string; cwd?: string; env: Record<string, string | undefined> }): Promise<void> {
  const args = ["config", "set", "--plaintext", ...(options.stack ? ["--stack", options.stack] : []), options.key, options.value];
  const result = await run(args, { env: options.env, cwd: options.cwd });
  if (result.code !== 0) {
    const detail = result.stderr.trim().split("\n").slice(-3).join(" ").slice(0, 400);
    throw new CliError(`\`pulumi ${args.join(" ")}\` failed (exit ${result.code}${detail ? `: ${detail}` : ""}).`, "PULUMI_CONFIG_FAILED");
  }
}

export async function setPulumiSecret(options: { key: string; value: string; stack?: string; cwd?: string; env: Record<string, string | undefined> }): Promise<void> {
  const args = ["config", "set", "--secret", ...(options.stack ? ["--stack", options.stack] : []), options.key];
  const result = await run(args, { env: options.env, cwd: options.cwd, input: options.value });
  if (result.code !== 0) {
    // Should Pulumi echo the token (sent on stdin), it is scrubbed from the whole text before the text is cut.
    const detail = scrubSecrets(result.stderr, [options.value]).trim().split("\n").slice(-3).join(" ").slice(0, 400);
    throw new CliError(`\`pulumi ${args.join(" ")}\` failed (exit ${result.code}${detail ? `: ${detail}` : ""}).`, "PULUMI_CONFIG_FAILED");
  }
}
