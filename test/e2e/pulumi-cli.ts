import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/user-project";

/**
 * Finds the Pulumi CLI that `npm run test:setup` provided (scripts/install-pulumi.sh --record writes
 * test-artifacts/pulumi-cli.json) and runs it. The suite runs, fails or — only without a CLI and without Go, and
 * never under CI — is skipped; see {@link locatePulumiCli}.
 */

export const RECORD_FILE = path.join(REPO_ROOT, "test-artifacts", "pulumi-cli.json");

export interface InstallRecord {
  status: "found" | "cached" | "built" | "failed" | "skipped";
  version: string;
  binDir: string;
  buildSeconds: number;
  log: string;
  goPresent: boolean;
}

export interface PulumiCli {
  /** `pulumi version`, e.g. `v3.248.0`. */
  version: string;
  /** How the install script obtained it: found on PATH, reused from the cache, or built now. */
  source: string;
  /** PATH for the CLI's children: the CLI, its language host and the dynamic-provider launcher first. */
  path: string;
}

export type CliAvailability = { kind: "run"; cli: PulumiCli } | { kind: "skip"; reason: string } | { kind: "fail"; reason: string };

const onPath = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;

export interface LocateOptions {
  /** The install record to read (default {@link RECORD_FILE}; scripts/install-runtime.sh keeps its own). */
  recordFile?: string;
  /** The @pulumi/pulumi directory whose dynamic-provider launcher is the PATH fallback (default: this repo's). */
  sdkDir?: string;
}

export function locatePulumiCli(env: NodeJS.ProcessEnv = process.env, options: LocateOptions = {}): CliAvailability {
  const recordFile = options.recordFile ?? RECORD_FILE;
  if (!fs.existsSync(recordFile)) {
    if (onPath("pulumi")) return located({ status: "found", binDir: "" } as InstallRecord, env, options);
    if (onPath("go")) return { kind: "fail", reason: `${recordFile} is missing: run \`npm run test:setup\` first (npm test does)` };
    return skipped("pulumi is not on PATH, there is no Go toolchain to build it, and `npm run test:setup` was not run", env);
  }
  return fromRecord(JSON.parse(fs.readFileSync(recordFile, "utf8")) as InstallRecord, env, options);
}

/** The same decision for a record already parsed (test-artifacts/runtime.json embeds one). */
export function fromRecord(record: InstallRecord, env: NodeJS.ProcessEnv = process.env, options: LocateOptions = {}): CliAvailability {
  switch (record.status) {
    case "found":
    case "cached":
    case "built":
      return located(record, env, options);
    case "failed": {
      const log = record.log && fs.existsSync(record.log) ? fs.readFileSync(record.log, "utf8").split("\n").slice(-30).join("\n") : "(no log)";
      return { kind: "fail", reason: `scripts/install-pulumi.sh could not build pulumi ${record.version} with Go (log ${record.log}):\n${log}` };
    }
    default:
      return skipped("pulumi is not on PATH and there is no Go toolchain to build it", env);
  }
}

function skipped(reason: string, env: NodeJS.ProcessEnv): CliAvailability {
  if (env.CI === "true") return { kind: "fail", reason: `CI must run the real-engine suite, but ${reason}` };
  return { kind: "skip", reason };
}

function located(record: InstallRecord, env: NodeJS.ProcessEnv, options: LocateOptions = {}): CliAvailability {
  // Last, as a fallback: the dynamic-provider launcher shipped in @pulumi/pulumi (Pulumi's installers and the
  // install script put one next to the CLI, which the engine prefers).
  const launcherDir = options.sdkDir ?? path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi");
  const searchPath = [record.binDir, env.PATH ?? "", launcherDir].filter((d) => d !== "").join(path.delimiter);
  const version = spawnSync("pulumi", ["version"], { env: { ...env, PATH: searchPath, PULUMI_SKIP_UPDATE_CHECK: "true" }, encoding: "utf8" });
  if (version.status !== 0) {
    return { kind: "fail", reason: `\`pulumi version\` failed (${record.status} in ${record.binDir || "PATH"}): ${version.error ?? version.stderr}` };
  }
  const source = record.status === "built" ? `built from the Go module proxy in ${record.buildSeconds} s` : record.status === "cached" ? `built earlier, cached in ${record.binDir}` : "found on PATH";
  return { kind: "run", cli: { version: version.stdout.trim(), source, path: searchPath } };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `pulumi ...args` asynchronously (the in-process emulator keeps serving meanwhile). Never throws on exit codes. */
export function runPulumi(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`pulumi ${args.join(" ")} did not finish within ${options.timeoutMs} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}
