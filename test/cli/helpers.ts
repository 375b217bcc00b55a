/**
 * Running the built `jira-connector` binary (bin/cli/main.js, from `npm run build`) as a real child process, and
 * in-process through `main` for the many small failure cases. Both capture stdout and stderr for secret greps.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { createIo } from "../../cli/io";
import { main } from "../../cli/program";

const ROOT = path.resolve(__dirname, "../..");
export const BIN = path.join(ROOT, "bin/cli/main.js");

/** Fails loudly when the binary is missing or older than the sources it is built from. */
export function assertBuilt(): void {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
  const built = fs.statSync(BIN).mtimeMs;
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return Math.max(max, newest(file));
      return entry.name.endsWith(".ts") ? Math.max(max, fs.statSync(file).mtimeMs) : max;
    }, 0);
  const source = Math.max(...["cli", "atlassian", "collector", "fleet", "providers", "sandbox"].map((d) => newest(path.join(ROOT, d))));
  if (source > built) throw new Error(`${BIN} is older than the sources: run \`npm run build\` first (npm test does)`);
}

/** The environment for a child: ours without any JIRA_CONNECTOR_* variable, plus `extra`. */
/**
 * `collect` keeps live tokens under $XDG_CONFIG_HOME (else ~/.config): never the real one in a test, so each test
 * process gets a scratch folder unless the test names its own.
 */
let scratchConfigHome: string | undefined;
function configHome(): string {
  return (scratchConfigHome ??= fs.mkdtempSync(path.join(os.tmpdir(), "cli-config-home-")));
}

export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("JIRA_CONNECTOR_")) env[k] = v;
  env.XDG_CONFIG_HOME = configHome();
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in stderr (as it arrives). */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  /** The same for stdout. */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
  done: Promise<Finished>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv): Running {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  const text = { stdout: "", stderr: "" };
  const watchers: { stream: "stdout" | "stderr"; pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onData = (stream: "stdout" | "stderr") => (chunk: string) => {
    text[stream] += chunk;
    for (const w of watchers.filter((x) => x.stream === stream)) {
      const match = text[stream].match(w.pattern);
      if (match) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(match);
      }
    }
  };
  child.stdout!.setEncoding("utf8").on("data", onData("stdout"));
  child.stderr!.setEncoding("utf8").on("data", onData("stderr"));
  const done = new Promise<Finished>((resolve) => child.on("close", (code) => resolve({ code, stdout: text.stdout, stderr: text.stderr })));
  const waitFor = (stream: "stdout" | "stderr") => (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const match = text[stream].match(pattern);
      if (match) return resolve(match);
      watchers.push({ stream, pattern, resolve });
      void done.then((f) => reject(new Error(`the CLI exited (${f.code}) before printing ${pattern}:\n${f.stderr}\n${f.stdout}`)));
    });
  return { child, done, waitForStderr: waitFor("stderr"), waitForStdout: waitFor("stdout") };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return startCli(args, env).done;
}

/** `main` in this process: fast, for the many failure cases. Secrets are passed as flags here. */
export async function runInProcess(args: string[], env: Record<string, string | undefined>, options: { tty?: boolean } = {}): Promise<Finished> {
  let stdout = "";
  let stderr = "";
  const withHome = { XDG_CONFIG_HOME: configHome(), ...env };
  const io = createIo({ stdout: { write: (s: string) => (stdout += s), isTTY: options.tty }, stderr: { write: (s: string) => (stderr += s), isTTY: options.tty }, env: withHome });
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Asserts that none of `secrets` occurs in `text` (names the leak by position, never by value). */
export function expectNoSecrets(text: string, secrets: readonly string[]): void {
  const leaked = secrets.map((s, i) => (s && text.includes(s) ? i : -1)).filter((i) => i >= 0);
  expect({ leakedSecretIndexes: leaked }).toEqual({ leakedSecretIndexes: [] });
}
