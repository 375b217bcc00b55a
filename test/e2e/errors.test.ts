import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { type AtlassianEmulator, DEFAULT_SCOPES, startAtlassianEmulator } from "../support/atlassian-emulator";
import { REPO_ROOT } from "../support/user-project";
import { createEngineProject, type EngineProject } from "./engine-project";
import { locatePulumiCli, runPulumi } from "./pulumi-cli";
import { freePort } from "../cli/helpers";

/**
 * What a user sees when a connector is wrong (issue 13), through the real engine with `--color never`: the
 * problem and its fix, once per connector — no stack frames, no colour codes, no inspected Pulumi internals.
 * Outputs are kept in test-artifacts/e2e/errors-*.txt.
 */

const availability = locatePulumiCli();
const ARTIFACTS = path.join(REPO_ROOT, "test-artifacts", "e2e");
const STEP_MS = 120_000;
const NO_COLOR = ["--non-interactive", "--color", "never"];

/** Noise a user error must not carry. */
function expectClean(output: string): void {
  expect(output).not.toMatch(/^\s+at /m); // stack frames
  expect(output).not.toContain("\u001b[");
  expect(output).not.toContain("<ref *1>");
  expect(output).not.toContain("Promise {");
  expect(output).not.toContain("unhandled exception");
}

if (availability.kind !== "run") {
  // engine.test.ts reports why the CLI is missing (and fails under CI); no second report here.
  test.skip("real-engine error display (no Pulumi CLI)", () => undefined);
} else {
  const cli = availability.cli;
  let emulator: AtlassianEmulator;
  let project: EngineProject;
  let env: NodeJS.ProcessEnv;
  const secrets = [`passphrase-${randomUUID()}`, `client-secret-${randomUUID()}`, `refresh-${randomUUID()}`, `scoped-${randomUUID()}`];

  const pulumi = async (args: string[], input?: string) => {
    const r = await runPulumi(args, { cwd: project.dir, env, input, timeoutMs: STEP_MS - 10_000 });
    const output = `${r.stdout}${r.stderr}`;
    for (const secret of secrets) expect(output).not.toContain(secret);
    return { code: r.code, output };
  };
  const artifact = (name: string, args: string[], output: string) =>
    fs.writeFileSync(path.join(ARTIFACTS, `errors-${name}.txt`), `$ pulumi ${args.join(" ")}\n${output}`);
  const config = (key: string, value: string, secret = false) =>
    secret ? pulumi(["config", "set", "--secret", key], value) : pulumi(["config", "set", "--plaintext", key, value]);

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    emulator = await startAtlassianEmulator({ sites: [{ name: "acme" }] });
    project = createEngineProject({ program: "errors.js" });
    env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_"))),
      ...emulator.env,
      PATH: cli.path,
      PULUMI_HOME: project.homeDir,
      PULUMI_CONFIG_PASSPHRASE: secrets[0],
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    await pulumi(["login", `file://${project.backendDir}`]);
    await pulumi(["stack", "init", "errors", "--secrets-provider", "passphrase", "--non-interactive"]);
    await config("clientSecret", secrets[1]!, true);
    await config("refreshToken", secrets[2]!, true);
    await config("scopedApiToken", secrets[3]!, true);
    await config("email", emulator.site("acme").admin.email);
    await config("expiresAt", new Date(Date.now() + 100 * 86_400_000).toISOString().slice(0, 10));
  }, STEP_MS);

  afterAll(async () => {
    await emulator?.close();
    project?.remove();
  });

  test("the README's and examples' plain `pulumi config set` steps run on the pinned CLI (which refuses them without --plaintext)", async () => {
    const refused = await pulumi(["config", "set", "apiTokenExpiresAt", "2027-06-30"]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/looks like a secret/);
    const docs = ["README.md", ...fs.readdirSync(path.join(REPO_ROOT, "examples")).map((e) => path.join("examples", e, "README.md"))];
    const steps = docs
      .filter((doc) => fs.existsSync(path.join(REPO_ROOT, doc)))
      .flatMap((doc) => fs.readFileSync(path.join(REPO_ROOT, doc), "utf8").split("\n").map((line) => ({ doc, line: line.replace(/#.*$/, "").trim() })))
      .filter(({ line }) => /^pulumi config set /.test(line));
    expect(steps.length).toBeGreaterThan(10);
    for (const { doc, line } of steps) {
      expect(`${doc}: ${line}`).toMatch(/: pulumi config set (--secret|--plaintext) /);
      if (line.includes("--secret")) continue;
      // Placeholders (`<OAuth client ID>`, `${site}`) become plain words; the value's shape is what the CLI judges.
      const [key, ...value] = line.replace(/^pulumi config set --plaintext /, "").replace(/\$\{site\}/g, "acme").split(/\s+/);
      const set = await pulumi(["config", "set", "--plaintext", key!.replace(/[<>]/g, ""), value.join(" ").replace(/[<>]/g, "")]);
      expect(`${doc}: ${line} -> ${set.code} ${set.output}`).toMatch(/ -> 0 /);
    }
  }, STEP_MS);

  test("(a) a bad component arg: preview prints the connector, each problem and its fix, and nothing else", async () => {
    await config("case", "component-args");
    const args = ["preview", "--diff", ...NO_COLOR];
    const { code, output } = await pulumi(args);
    artifact("component-args-preview", args, output);
    expect(code).not.toBe(0);
    expect(output).toContain('JiraConnector "broken":');
    expect(output).toMatch(/- site "not a site!" contains spaces.*use the site name, e\.g\. 'acme'/);
    expect(output).toMatch(/- schedule\.expression "rate\(7 days\)" can leave more than 3\.5 days between runs/);
    expectClean(output);
  }, STEP_MS);

  test("(b) a credential Atlassian rejects: up prints the property, the cause and the fix, and nothing else", async () => {
    await config("case", "validation");
    const args = ["up", "--yes", "--skip-preview", ...NO_COLOR];
    const { code, output } = await pulumi(args);
    artifact("validation-up", args, output);
    expect(code).not.toBe(0);
    expect(output).toMatch(/JiraConnection "acme" failed validation \(1 problem\):/);
    expect(output).toMatch(/scopedApiToken\.apiToken: .*rejected.*Create a new scoped token at https:\/\/id\.atlassian\.com/);
    expectClean(output);
  }, STEP_MS);

  test("(c) Atlassian unreachable at refresh: the host, the override in effect and the cause, and nothing else", async () => {
    const token = emulator.createApiToken("acme", { scopes: DEFAULT_SCOPES.filter((s) => s !== "offline_access"), expiresInDays: 200 });
    secrets.push(token);
    await config("case", "validation");
    await config("scopedApiToken", token, true);
    expect((await pulumi(["up", "--yes", "--skip-preview", ...NO_COLOR])).code).toBe(0);
    const dead = `http://127.0.0.1:${await freePort()}/{site}`;
    const saved = env.JIRA_CONNECTOR_SITE_URL;
    env.JIRA_CONNECTOR_SITE_URL = dead;
    try {
      const args = ["refresh", "--yes", "--skip-preview", ...NO_COLOR];
      const { code, output } = await pulumi(args);
      artifact("unreachable-refresh", args, output);
      expect(code).not.toBe(0);
      expect(output).toMatch(/could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED, connection refused/);
      expect(output).toContain(`The host comes from JIRA_CONNECTOR_SITE_URL=${dead}`);
      expectClean(output);
    } finally {
      env.JIRA_CONNECTOR_SITE_URL = saved;
    }
  }, STEP_MS);
}
