/**
 * Every `npx jira-connector …` command the README and the examples' READMEs document is run as written against the
 * sandbox, through the built binary. Placeholders (`…`, `<client id>`) and the documents' example values (the
 * admin's email, a token's expiry) become the sandbox's; the two deviations are named: `authorize` gets an
 * OS-chosen `--port` (tests never bind fixed ports; the documented default is 8080) and `--no-open` (no browser
 * here: the test follows the consent URL as a browser would). Each command must exit 0.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startSandbox, type Sandbox } from "../../sandbox/start";
import { locatePulumiCli } from "../e2e/pulumi-cli";
import { BIN, assertBuilt, childEnv, freePort } from "../cli/helpers";

const ROOT = path.join(__dirname, "../..");
const DOCS = ["README.md", ...fs.readdirSync(path.join(ROOT, "examples")).map((e) => `examples/${e}/README.md`)].filter((f) => fs.existsSync(path.join(ROOT, f)));

interface Documented {
  file: string;
  /** Environment assignments written before the command (`VAR=… npx jira-connector …`), and exports of its block. */
  env: string[];
  words: string[];
}

/** Shell-like words: quotes group, `\` line continuations and comments are gone already. */
function words(text: string): string[] {
  return [...text.matchAll(/'([^']*)'|"([^"]*)"|(<[^>]*>)|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
}

export function documentedCommands(file: string, text: string): Documented[] {
  const found: Documented[] = [];
  const add = (source: string, exported: string[]) => {
    const at = source.indexOf("npx jira-connector ");
    if (at < 0) return;
    const before = source.slice(0, at).trim();
    const env = [...exported, ...[...before.matchAll(/\b([A-Z][A-Z0-9_]+)=\S*/g)].map((m) => m[1]!)];
    found.push({ file, env, words: words(source.slice(at + "npx ".length)) });
  };
  // Fenced blocks: one command per line (comments stripped); `export VAR=…` lines apply to the block's commands.
  const inline = text.replace(/```[^\n]*\n([\s\S]*?)```/g, (_block, body: string) => {
    const exported: string[] = [];
    // `for site in acme globex; do … done`: the loop's commands run with its first value.
    const loops = new Map<string, string>();
    for (const raw of body.split("\n")) {
      const loop = /^\s*for\s+(\w+)\s+in\s+(\S+)[^;]*;\s*do/.exec(raw);
      if (loop) loops.set(loop[1]!, loop[2]!);
      let line = raw.replace(/\s#\s.*$/, "").replace(/^\s*#.*$/, "");
      for (const [name, value] of loops) line = line.split(`\${${name}}`).join(value).split(`$${name}`).join(value);
      const exportMatch = /^\s*export\s+([A-Z][A-Z0-9_]+)=/.exec(line);
      if (exportMatch) exported.push(exportMatch[1]!);
      add(line, exported);
    }
    return "";
  });
  // Inline code spans, which may wrap over lines in the Markdown source.
  for (const m of inline.matchAll(/`([^`]+)`/g)) add(m[1]!.replace(/\s+/g, " "), []);
  return found;
}

let sandbox: Sandbox;
let tmp: string;
let callbackPort: number;
beforeAll(async () => {
  assertBuilt();
  callbackPort = await freePort();
  sandbox = await startSandbox({ sites: ["acme"], redirectUris: [`http://localhost:${callbackPort}/callback`] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "readme-commands-"));
});
afterAll(async () => {
  await sandbox?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const commands = DOCS.flatMap((file) => documentedCommands(file, fs.readFileSync(path.join(ROOT, file), "utf8")));

test("the documents name the CLI commands a new user runs", () => {
  const names = commands.map((c) => c.words.slice(1, 3).join(" "));
  for (const expected of ["authorize --client-id", "cloud-id acme", "check --site", "check --before-up"]) expect(names).toContainEqual(expected);
});

/** The sandbox's value for each placeholder or example value of the documents. */
function asInSandbox(command: Documented): { args: string[]; env: Record<string, string> } {
  const site = sandbox.sites[0]!;
  const byFlag: Record<string, string> = {
    "--client-id": sandbox.app.clientId,
    "--license-email": site.admin.email,
    "--scoped-token-email": site.scoped.email,
    "--scoped-token-expires-at": site.scoped.expiresAt,
  };
  const args = command.words.slice(1).map((word, i, all) => byFlag[all[i - 1] ?? ""] ?? word);
  const secrets: Record<string, string> = {
    JIRA_CONNECTOR_CLIENT_SECRET: sandbox.app.clientSecret,
    JIRA_CONNECTOR_SCOPED_API_TOKEN: site.scoped.apiToken,
    JIRA_CONNECTOR_API_TOKEN: site.admin.apiToken,
  };
  const env: Record<string, string> = {};
  for (const name of command.env) env[name] = secrets[name] ?? "";
  // The documents say where each secret comes from; a command that reads one gets it as documented.
  if (args.includes("--client-id")) env.JIRA_CONNECTOR_CLIENT_SECRET = secrets.JIRA_CONNECTOR_CLIENT_SECRET!;
  if (args.includes("--license-email")) env.JIRA_CONNECTOR_API_TOKEN = secrets.JIRA_CONNECTOR_API_TOKEN!;
  return { args, env };
}

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string, onStderr?: (text: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
      onStderr?.(stderr);
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test.each(commands.map((c) => [`${c.file}: jira-connector ${c.words.slice(1).join(" ")}`, c] as const))("%s", async (_title, command) => {
  const { args, env } = asInSandbox(command);
  expect(args.join(" ")).not.toMatch(/…|<[a-z][^>]*>/);
  const baseEnv = childEnv({ ...sandbox.env, ...env, XDG_CONFIG_HOME: path.join(tmp, "config") });
  let cwd = tmp;
  let extra: string[] = [];
  let onStderr: ((text: string) => void) | undefined;
  if (args[0] === "authorize") {
    extra = ["--port", String(callbackPort), "--no-open"];
    let followed = false;
    onStderr = (text) => {
      const url = /http:\/\/127\.0\.0\.1:\d+\/auth\/authorize\?\S+/.exec(text)?.[0];
      if (url && !followed) {
        followed = true;
        void fetch(url); // what the browser does: the sandbox approves and redirects to the callback
      }
    };
    if (args.includes("--pulumi-config")) {
      const availability = locatePulumiCli();
      if (availability.kind !== "run") throw new Error(`the Pulumi CLI is needed for --pulumi-config: ${availability.kind === "fail" ? availability.reason : availability.reason}`);
      cwd = fs.mkdtempSync(path.join(tmp, "project-"));
      fs.writeFileSync(path.join(cwd, "Pulumi.yaml"), "name: jira-connectors\nruntime: nodejs\n");
      Object.assign(baseEnv, { PATH: availability.cli.path, PULUMI_HOME: path.join(cwd, ".pulumi-home"), PULUMI_CONFIG_PASSPHRASE: "readme-commands", PULUMI_SKIP_UPDATE_CHECK: "true" });
      const pulumi = (a: string[]) => new Promise<number | null>((resolve) => spawn("pulumi", a, { cwd, env: baseEnv, stdio: "ignore" }).on("close", resolve));
      expect(await pulumi(["login", `file://${cwd}`])).toBe(0);
      expect(await pulumi(["stack", "init", "dev", "--secrets-provider", "passphrase", "--non-interactive"])).toBe(0);
    }
  }
  const result = await run([...args, ...extra], baseEnv, cwd, onStderr);
  expect({ code: result.code, stderr: result.code === 0 ? "" : result.stderr }).toEqual({ code: 0, stderr: "" });
  if (args.includes("--pulumi-config")) {
    // Written where `new pulumi.Config()` of project jira-connectors reads it, as a secret.
    const stackFile = fs.readFileSync(path.join(cwd, "Pulumi.dev.yaml"), "utf8");
    expect(stackFile).toMatch(/jira-connectors:acme\.refreshToken:\s*\n\s*secure: /);
  }
}, 120_000);
