import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { createSecretsManagerStore } from "../../token-store";
import { PROVIDER_MODULE } from "../../providers/jira-connection/provider";
import { createTokenSecret } from "../providers/fixtures";
import { type AtlassianEmulator, DEFAULT_SCOPES, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";
import { REPO_ROOT } from "../support/user-project";
import { resourceBlocks } from "./diff-display";
import { createPackedProject, type PackedProject } from "./packed-project";
import { locatePulumiCli, type PulumiCli, runPulumi } from "./pulumi-cli";

/**
 * The published package as users get it (issue 13): `npm pack`, installed from the tarball into a Pulumi project
 * outside the repository, then `pulumi preview`, `up` and `destroy` through the real engine — so the dynamic
 * provider loads from the project's node_modules/jira-connectors. One connector with a scoped API token, one with
 * OAuth and a Secrets Manager token store (moto), against the Atlassian emulator; no secret in outputs or state.
 */

const availability = locatePulumiCli();
const PASSPHRASE = `packed-passphrase-${randomUUID()}`;
const CONNECTOR_TYPE = "pulumi-nodejs:dynamic/jira:Connection";
const STEP_MS = 120_000;

if (availability.kind === "skip") {
  test.skip(`packed package through the real engine (skipped: ${availability.reason})`, () => undefined);
} else if (availability.kind === "fail") {
  test("packed package through the real engine: the Pulumi CLI is available", () => {
    throw new Error(availability.reason);
  });
} else {
  packedSuite(availability.cli);
}

function packedSuite(cli: PulumiCli): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  let project: PackedProject;
  let emulator: AtlassianEmulator;
  let moto: Moto;
  let env: NodeJS.ProcessEnv;
  let globexArn: string;
  const secrets = new Set<string>([PASSPHRASE]);
  const savedEnv = { ...process.env };

  const expectNoSecret = (text: string, where: string) => {
    for (const secret of secrets) if (text.includes(secret)) throw new Error(`a secret (${secret.length} chars) appears in ${where}`);
  };
  const pulumi = async (args: string[], input?: string): Promise<string> => {
    const result = await runPulumi(args, { cwd: project.dir, env, input, timeoutMs: STEP_MS - 10_000 });
    const output = `${result.stdout}${result.stderr}`;
    expectNoSecret(output, `pulumi ${args[0]}`);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${output}`);
    return output;
  };
  const setConfig = (key: string, value: string, secret = false) =>
    secret ? pulumi(["config", "set", "--secret", key], value) : pulumi(["config", "set", "--plaintext", key, value]);
  const connectors = async () => {
    const raw = await pulumi(["stack", "export"]);
    expectNoSecret(raw, "the exported state");
    const state = JSON.parse(raw) as { deployment: { resources?: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } };
    return (state.deployment.resources ?? []).filter((r) => r.type === CONNECTOR_TYPE);
  };
  const APPLY = ["--yes", "--skip-preview", "--non-interactive", "--color", "never"];

  beforeAll(async () => {
    // First, while nothing else runs: packing and installing block this process for ~20 s.
    project = createPackedProject(path.join(__dirname, "program"));
    emulator = await startAtlassianEmulator({ sites: [{ name: "acme" }, { name: "globex" }] });
    moto = await startMoto();
    Object.assign(process.env, moto.env);
    env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_"))),
      ...moto.env,
      ...emulator.env,
      PATH: cli.path,
      PULUMI_HOME: project.homeDir,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    await pulumi(["login", `file://${project.backendDir}`]);
    await pulumi(["stack", "init", "packed", "--secrets-provider", "passphrase", "--non-interactive"]);

    const acme = emulator.site("acme");
    const scoped = emulator.createApiToken("acme", { scopes: DEFAULT_SCOPES.filter((s) => s !== "offline_access"), expiresInDays: 100 });
    secrets.add(scoped);
    await setConfig("acmeAuth", "scoped");
    await setConfig("acmeSite", "acme");
    await setConfig("acmeAdminEmail", acme.admin.email);
    await setConfig("acmeScopedApiToken", scoped, true);
    await setConfig("acmeScopedApiTokenExpiresAt", new Date(Date.now() + 100 * 86_400_000).toISOString().slice(0, 10));

    const app = emulator.app();
    const globex = emulator.site("globex");
    const refreshToken = emulator.grant({ sites: ["globex"] }).refreshToken;
    globexArn = await createTokenSecret();
    secrets.add(app.clientSecret).add(refreshToken).add(globex.admin.apiToken);
    await setConfig("clientId", app.clientId);
    await setConfig("clientSecret", app.clientSecret, true);
    await setConfig("globexSite", "globex");
    await setConfig("globexAdminEmail", globex.admin.email);
    await setConfig("globexTokenSecretArn", globexArn);
    await setConfig("globexRefreshToken", refreshToken, true);
    await setConfig("globexApiToken", globex.admin.apiToken, true);
  }, 4 * STEP_MS);

  afterAll(async () => {
    await Promise.all([emulator?.close(), moto?.stop()]);
    project?.remove();
    for (const key of Object.keys(moto?.env ?? {})) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
  });

  test("the tarball holds the built package only, and the project has it installed, not linked", () => {
    const { files } = project;
    for (const file of ["package.json", "README.md", "LICENSE", "bin/index.js", "bin/index.d.ts", "bin/cli/main.js", `${PROVIDER_MODULE.replace("jira-connectors/", "")}.js`, "bin/lambda/collector/index.js"]) {
      expect(files).toContain(file);
    }
    expect(files.filter((f) => !f.startsWith("bin/") && !["package.json", "README.md", "LICENSE"].includes(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".map") || (f.endsWith(".ts") && !f.endsWith(".d.ts")))).toEqual([]);

    const installed = path.join(project.dir, "node_modules", "jira-connectors");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(require.resolve(PROVIDER_MODULE, { paths: [project.dir] })).toBe(path.join(installed, "bin/providers/jira-connection/runtime.js"));
    expect(path.relative(REPO_ROOT, fs.realpathSync(installed)).startsWith("..")).toBe(true);
    const bin = path.join(project.dir, "node_modules", ".bin", "jira-connector");
    expect(execFileSync(bin, ["--version"], { encoding: "utf8" })).toBe(`${pkg.version}\n`);
  });

  test(`pulumi ${cli.version} preview shows two creates and calls nobody`, async () => {
    emulator.clearRequests();
    const output = await pulumi(["preview", "--diff", "--non-interactive", "--color", "never"]);
    expect(emulator.requests).toHaveLength(0);
    expect(resourceBlocks(output, CONNECTOR_TYPE).map((b) => [b.name, b.op]).sort()).toEqual([["acme", "create"], ["globex", "create"]]);
  }, STEP_MS);

  test("up validates both with the installed provider; the state holds no secret in plaintext", async () => {
    const up = await pulumi(["up", ...APPLY]);
    expect(up).toMatch(/\+ 3 created/);
    const stored = await createSecretsManagerStore({ secretArn: globexArn }).read();
    secrets.add(stored!.refreshToken);
    expectNoSecret(fs.readFileSync(path.join(project.backendDir, ".pulumi/stacks/jira-connectors-e2e/packed.json"), "utf8"), "the state file");
    const state = await connectors();
    expect(Object.fromEntries(state.map((c) => [c.outputs?.siteName, c.outputs?.authMethod]))).toEqual({ acme: "scoped-api-token", globex: "oauth" });
    expect(state.find((c) => c.outputs?.siteName === "acme")?.outputs?.cloudId).toBe(emulator.site("acme").cloudId);
    // The serialized shim: Pulumi saw the provider under node_modules, so it requires the installed package.
    for (const c of state) expect(String(c.inputs?.__provider)).toContain('require("jira-connectors/bin/providers/jira-connection/provider.js")');
    const outputs = await pulumi(["stack", "output", "--json", "--show-secrets"]);
    expect(JSON.parse(outputs).cloudIds).toEqual({ acme: emulator.site("acme").cloudId, globex: emulator.site("globex").cloudId });
  }, STEP_MS);

  test("destroy removes both", async () => {
    await pulumi(["destroy", ...APPLY]);
    expect(await connectors()).toEqual([]);
  }, STEP_MS);
}
