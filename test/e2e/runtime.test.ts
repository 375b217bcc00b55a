import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { createSecretsManagerStore } from "../../token-store";
import { createTokenSecret } from "../providers/fixtures";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";
import { REPO_ROOT } from "../support/user-project";
import { resourceBlocks } from "./diff-display";
import { createEngineProject, type EngineProject } from "./engine-project";
import { type CliAvailability, type CliResult, fromRecord, type InstallRecord, type PulumiCli, runPulumi } from "./pulumi-cli";

/**
 * Current runtimes (issue 13): the real-engine suite's core — preview --diff, up, refresh, a provider upgrade and
 * destroy of two JiraConnection resources — on each newer Node LTS line (22, 24 and 26: the newest release of each)
 * with the newest @pulumi/pulumi the npm registry serves and a Pulumi CLI of the same version. The default suite (engine.test.ts) runs on the machine's
 * Node with the SDK pinned in package-lock.json. scripts/install-runtime.sh (npm run test:setup) provides all three
 * and records them in test-artifacts/runtime.json; the Pulumi project links that install's node_modules next to a
 * copy of this repository's built bin/. A preload (NODE_OPTIONS=--require) logs every Node process the engine
 * starts, so the test proves that the program and the dynamic provider ran on that Node with that SDK.
 */

const RECORD_FILE = path.join(REPO_ROOT, "test-artifacts", "runtime.json");
const ARTIFACTS = path.join(REPO_ROOT, "test-artifacts", "e2e-runtime");
const PASSPHRASE = `runtime-passphrase-${randomUUID()}`;
const CONNECTOR_TYPE = "pulumi-nodejs:dynamic/jira:Connection";
const STEP_MS = 240_000;

interface NodeRecord {
  major: string;
  version: string;
  binDir: string;
  installSeconds: number;
}

interface RuntimeRecord {
  status: "ready" | "failed" | "skipped" | "disabled";
  message: string;
  nodes: NodeRecord[];
  sdkVersion: string;
  modulesDir: string;
  sdkSeconds: number;
  cli: InstallRecord | null;
}

interface Runtime {
  record: RuntimeRecord;
  cli: PulumiCli;
}

type RuntimeAvailability = { kind: "run"; runtime: Runtime } | Exclude<CliAvailability, { kind: "run" }>;

const onPath = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;

function locateRuntime(env: NodeJS.ProcessEnv = process.env): RuntimeAvailability {
  const skip = (reason: string): RuntimeAvailability =>
    env.CI === "true" ? { kind: "fail", reason: `CI must run the current-runtime engine suite, but ${reason}` } : { kind: "skip", reason };
  if (!fs.existsSync(RECORD_FILE)) {
    if (onPath("go")) return { kind: "fail", reason: `${RECORD_FILE} is missing: run \`npm run test:setup\` first (npm test does)` };
    return skip("there is no Go toolchain to build the Pulumi CLI and `npm run test:setup` was not run");
  }
  const record = JSON.parse(fs.readFileSync(RECORD_FILE, "utf8")) as RuntimeRecord;
  switch (record.status) {
    case "ready": {
      const located = fromRecord(record.cli!, env, { sdkDir: path.join(record.modulesDir, "@pulumi", "pulumi") });
      if (located.kind !== "run") return located;
      return { kind: "run", runtime: { record, cli: located.cli } };
    }
    case "disabled":
      return { kind: "skip", reason: record.message };
    case "skipped":
      return skip(record.message);
    default:
      return { kind: "fail", reason: `scripts/install-runtime.sh: ${record.message}` };
  }
}

const availability = locateRuntime();

if (availability.kind === "skip") {
  console.warn(`\n${"=".repeat(100)}\nCURRENT-RUNTIME ENGINE SUITE SKIPPED: ${availability.reason}.\n${"=".repeat(100)}\n`);
  test.skip(`real Pulumi engine on current Node LTS lines and the newest SDK (skipped: ${availability.reason})`, () => undefined);
} else if (availability.kind === "fail") {
  test("real Pulumi engine on current Node LTS lines and the newest SDK: the runtime is available", () => {
    throw new Error(availability.reason);
  });
} else {
  const { runtime } = availability;
  for (const node of runtime.record.nodes) describe(`Node ${node.version}`, () => runtimeSuite(runtime, node));
}

interface ProbeLine {
  node: string;
  script: string;
  sdk: string | null;
}

function runtimeSuite({ record, cli }: Runtime, node: NodeRecord): void {
  const label = `Node ${node.version}, @pulumi/pulumi ${record.sdkVersion}, pulumi ${cli.version}`;
  const artifacts = path.join(ARTIFACTS, `node-${node.major}`);
  let emulator: AtlassianEmulator;
  let moto: Moto;
  let project: EngineProject;
  let env: NodeJS.ProcessEnv;
  let probeLog: string;
  const secrets = new Set<string>([PASSPHRASE]);
  const arns: Record<string, string> = {};
  const savedEnv = { ...process.env };

  const pulumi = async (args: string[], options: { input?: string; artifact?: string } = {}): Promise<string> => {
    const result = await runPulumi(args, { cwd: project.dir, env, input: options.input, timeoutMs: STEP_MS - 20_000 });
    const output = `${result.stdout}${result.stderr}`;
    if (options.artifact) fs.writeFileSync(path.join(artifacts, options.artifact), `# ${label}\n$ pulumi ${args.join(" ")}\n${redact(output, secrets)}`);
    for (const secret of secrets) if (output.includes(secret)) throw new Error(`a secret (${secret.length} chars) appears in pulumi ${args[0]}`);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${formatResult(result)}`);
    return output;
  };
  const setConfig = (key: string, value: string, secret = false) =>
    secret ? pulumi(["config", "set", "--secret", key], { input: value }) : pulumi(["config", "set", "--plaintext", key, value]);
  const exportState = async () =>
    JSON.parse(await pulumi(["stack", "export"])) as { deployment: { resources?: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } };
  const connectors = async () => (await exportState()).deployment.resources?.filter((r) => r.type === CONNECTOR_TYPE) ?? [];
  /** The Node processes the engine started since the last call: the program's runner and the dynamic provider. */
  const probed = (): ProbeLine[] => {
    const lines = fs.existsSync(probeLog) ? fs.readFileSync(probeLog, "utf8").split("\n").filter(Boolean) : [];
    fs.rmSync(probeLog, { force: true });
    return lines.map((l) => JSON.parse(l) as ProbeLine);
  };
  const expectRuntime = (lines: ProbeLine[], script: RegExp) => {
    const matching = lines.filter((l) => script.test(l.script));
    expect(matching.length).toBeGreaterThan(0);
    for (const line of matching) expect(line).toMatchObject({ node: `v${node.version}`, sdk: record.sdkVersion });
  };
  const PREVIEW = ["preview", "--diff", "--non-interactive", "--color", "never"];
  const APPLY = ["--yes", "--skip-preview", "--non-interactive", "--color", "never"];

  beforeAll(async () => {
    console.info(`current-runtime engine suite: ${label} (CLI ${cli.source})`);
    fs.rmSync(artifacts, { recursive: true, force: true });
    fs.mkdirSync(artifacts, { recursive: true });
    emulator = await startAtlassianEmulator({ sites: [{ name: "acme" }, { name: "globex" }] });
    moto = await startMoto();
    Object.assign(process.env, moto.env);
    project = createEngineProject({ modulesDir: record.modulesDir });
    const probe = path.join(project.homeDir, "..", "runtime-probe.js");
    probeLog = path.join(project.homeDir, "..", "runtime-probe.log");
    // Writes nothing to stdout: the dynamic-provider host's first stdout line is its port.
    fs.writeFileSync(
      probe,
      `"use strict";\nlet sdk = null;\ntry { sdk = require(require("path").join(process.cwd(), "node_modules/@pulumi/pulumi/package.json")).version; } catch {}\n` +
        `require("fs").appendFileSync(${JSON.stringify(probeLog)}, JSON.stringify({ node: process.version, script: process.argv[1] || "", sdk }) + "\\n");\n`,
    );
    env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_") && k !== "NODE_OPTIONS")),
      ...moto.env,
      ...emulator.env,
      PATH: [node.binDir, cli.path].join(path.delimiter),
      NODE_OPTIONS: `--require ${probe}`,
      PULUMI_HOME: project.homeDir,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };

    const app = emulator.app();
    secrets.add(app.clientSecret);
    await pulumi(["login", `file://${project.backendDir}`]);
    await pulumi(["stack", "init", "e2e", "--secrets-provider", "passphrase", "--non-interactive"]);
    await setConfig("clientId", app.clientId);
    await setConfig("clientSecret", app.clientSecret, true);
    for (const name of ["acme", "globex"]) {
      const site = emulator.site(name);
      arns[name] = await createTokenSecret();
      const refreshToken = emulator.grant({ sites: [name] }).refreshToken;
      secrets.add(refreshToken).add(site.admin.apiToken);
      await setConfig(`${name}Site`, name);
      await setConfig(`${name}AdminEmail`, site.admin.email);
      await setConfig(`${name}TokenSecretArn`, arns[name]);
      await setConfig(`${name}RefreshToken`, refreshToken, true);
      await setConfig(`${name}ApiToken`, site.admin.apiToken, true);
    }
    probed();
  }, STEP_MS);

  afterAll(async () => {
    await Promise.all([emulator?.close(), moto?.stop()]);
    project?.remove();
    for (const key of Object.keys(moto?.env ?? {})) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
  });

  test(`1. ${label}: preview --diff runs the program on that Node and SDK, shows two creates and calls nobody`, async () => {
    emulator.clearRequests();
    const output = await pulumi(PREVIEW, { artifact: "1-preview-create.txt" });
    expect(emulator.requests).toHaveLength(0);
    expect(resourceBlocks(output, CONNECTOR_TYPE).map((b) => [b.name, b.op]).sort()).toEqual([["acme", "create"], ["globex", "create"]]);
    expect(output).toMatch(/\+ 3 to create/);
    expectRuntime(probed(), /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run/);
  }, STEP_MS);

  test("2. up creates both through the dynamic provider on that Node; no secret in the state; each store holds a working token", async () => {
    await pulumi(["up", ...APPLY], { artifact: "2-up.txt" });
    expectRuntime(probed(), /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider/);
    for (const name of ["acme", "globex"]) {
      const stored = await createSecretsManagerStore({ secretArn: arns[name] }).read();
      expect(stored).toBeDefined();
      secrets.add(stored!.refreshToken);
      expect(emulator.family(stored!.refreshToken)).toMatchObject({ revoked: false, currentRefreshToken: stored!.refreshToken });
    }
    const raw = await pulumi(["stack", "export"]);
    for (const secret of secrets) expect(raw.includes(secret)).toBe(false);
    const state = (JSON.parse(raw) as Awaited<ReturnType<typeof exportState>>).deployment.resources?.filter((r) => r.type === CONNECTOR_TYPE) ?? [];
    expect(state.map((c) => c.outputs?.siteName).sort()).toEqual(["acme", "globex"]);
    expect(state.find((c) => c.outputs?.siteName === "acme")?.outputs?.cloudId).toBe(emulator.site("acme").cloudId);
  }, STEP_MS);

  test("3. refresh reports the drift when the site maps to another cloud ID", async () => {
    const original = emulator.site("acme").cloudId;
    const remapped = randomUUID();
    emulator.setCloudId("acme", remapped);
    const output = await pulumi(["refresh", "--diff", ...APPLY], { artifact: "3-refresh-drift.txt" });
    const drifted = resourceBlocks(output, CONNECTOR_TYPE).filter((b) => b.op !== "same");
    expect(drifted.map((b) => b.name)).toEqual(["acme"]);
    expect(drifted[0].lines.join("\n")).toMatch(new RegExp(`~ cloudId\\s*: "${original}" => "${remapped}"`));
    emulator.setCloudId("acme", original);
    await pulumi(["refresh", ...APPLY], { artifact: "3-refresh-back.txt" });
    expect((await connectors()).find((c) => c.outputs?.siteName === "acme")?.outputs?.cloudId).toBe(original);
  }, STEP_MS);

  test("4. upgrading the provider code shows no change for __provider; up stores the new shim", async () => {
    const marker = `upgraded-${randomUUID()}`;
    project.upgradeProvider(marker);
    emulator.clearRequests();
    const output = await pulumi(PREVIEW, { artifact: "4-preview-upgrade.txt" });
    expect(emulator.requests).toHaveLength(0);
    expect(output).not.toContain("__provider");
    expect(output).not.toMatch(/to update|to replace|to create|to delete/);
    expect(output).toMatch(/3 unchanged/);
    await pulumi(["up", ...APPLY], { artifact: "4-up.txt" });
    const providers = (await connectors()).map((c) => JSON.stringify(c.inputs?.__provider ?? ""));
    expect(providers).toHaveLength(2);
    for (const text of providers) expect(text).toContain(marker);
  }, STEP_MS);

  test("5. destroy removes everything, with the emulator stopped", async () => {
    await emulator.close();
    await pulumi(["destroy", ...APPLY], { artifact: "5-destroy.txt" });
    expect(await connectors()).toEqual([]);
  }, STEP_MS);
}

function redact(text: string, secrets: Set<string>): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("<SECRET LEAKED HERE>");
  return out;
}

function formatResult(result: CliResult): string {
  return `--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}
