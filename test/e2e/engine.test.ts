import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { createSecretsManagerStore } from "../../atlassian/token-store";
import { createTokenSecret } from "../providers/fixtures";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";
import { REPO_ROOT } from "../support/user-project";
import { createEngineProject, type EngineProject } from "./engine-project";
import { type CliResult, locatePulumiCli, type PulumiCli, runPulumi } from "./pulumi-cli";

/**
 * The real Pulumi engine end to end (issue 7): `pulumi preview --diff`, `up`, `refresh` and `destroy` of two
 * JiraConnection resources on the local file backend with a passphrase, against the Atlassian emulator and moto.
 * Every CLI output is kept in test-artifacts/e2e/ (the `preview --diff` ones show what a connector's PR diff looks
 * like) and checked for every secret string.
 */

const availability = locatePulumiCli();
const ARTIFACTS = path.join(REPO_ROOT, "test-artifacts", "e2e");
const PASSPHRASE = `e2e-passphrase-${randomUUID()}`;
const CONNECTOR_TYPE = "pulumi-nodejs:dynamic/jira:Connection";
const STEP_MS = 240_000;

if (availability.kind === "skip") {
  console.warn(
    `\n${"=".repeat(100)}\nREAL PULUMI ENGINE SUITE SKIPPED: ${availability.reason}.\n` +
      `Install Pulumi or a Go toolchain and run \`npm test\` again.\n${"=".repeat(100)}\n`,
  );
  test.skip(`real Pulumi engine suite (skipped: ${availability.reason})`, () => undefined);
} else if (availability.kind === "fail") {
  test("real Pulumi engine suite: the Pulumi CLI is available", () => {
    throw new Error(availability.reason);
  });
} else {
  engineSuite(availability.cli);
}

function engineSuite(cli: PulumiCli): void {
  let emulator: AtlassianEmulator;
  let moto: Moto;
  let project: EngineProject;
  let env: NodeJS.ProcessEnv;
  const secrets = new Set<string>([PASSPHRASE]);
  const arns: Record<string, string> = {};
  const refreshTokens: Record<string, string> = {};

  const pulumi = async (args: string[], options: { input?: string; expectFailure?: boolean; artifact?: string } = {}): Promise<string> => {
    const result = await runPulumi(args, { cwd: project.dir, env, input: options.input, timeoutMs: STEP_MS - 20_000 });
    const output = `${result.stdout}${result.stderr}`;
    if (options.artifact) writeArtifact(options.artifact, `$ pulumi ${args.join(" ")}\n${redact(output, secrets)}`);
    expectNoSecret(output, `pulumi ${args[0]}`);
    if (!options.expectFailure && result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${formatResult(result)}`);
    return output;
  };
  const setConfig = (key: string, value: string, secret = false) =>
    secret ? pulumi(["config", "set", "--secret", key], { input: value }) : pulumi(["config", "set", key, value]);
  const expectNoSecret = (text: string, where: string) => {
    for (const secret of secrets) if (text.includes(secret)) throw new Error(`a secret (${secret.length} chars) appears in ${where}`);
  };
  const tokenExchanges = () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/oauth/token").length;
  const exportState = async () => JSON.parse(await pulumi(["stack", "export"])) as { deployment: { resources?: { type: string; urn: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } };
  const connectorsIn = (state: Awaited<ReturnType<typeof exportState>>) => (state.deployment.resources ?? []).filter((r) => r.type === CONNECTOR_TYPE);
  const PREVIEW = ["preview", "--diff", "--non-interactive", "--color", "never"];
  const APPLY = ["--yes", "--skip-preview", "--non-interactive", "--color", "never"];

  beforeAll(async () => {
    console.info(`real Pulumi engine suite: running against pulumi ${cli.version} (${cli.source})`);
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    [emulator, moto] = await Promise.all([startAtlassianEmulator({ sites: [{ name: "acme" }, { name: "globex" }, { name: "initech" }] }), startMoto()]);
    Object.assign(process.env, moto.env);
    project = createEngineProject();
    env = {
      ...withoutPulumiVariables(process.env),
      ...moto.env,
      ...emulator.env,
      PATH: cli.path,
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
      refreshTokens[name] = emulator.grant({ sites: [name] }).refreshToken;
      secrets.add(refreshTokens[name]).add(site.admin.apiToken);
      await setConfig(`${name}Site`, name);
      await setConfig(`${name}AdminEmail`, site.admin.email);
      await setConfig(`${name}TokenSecretArn`, arns[name]);
      await setConfig(`${name}RefreshToken`, refreshTokens[name], true);
      await setConfig(`${name}ApiToken`, site.admin.apiToken, true);
    }
    expectNoSecret(fs.readFileSync(path.join(project.dir, "Pulumi.e2e.yaml"), "utf8"), "Pulumi.e2e.yaml");
  }, STEP_MS);

  afterAll(async () => {
    await Promise.all([emulator?.close(), moto?.stop()]);
    project?.remove();
  });

  test(`1. pulumi ${cli.version} preview --diff shows two creates and calls nobody`, async () => {
    emulator.clearRequests();
    const output = await pulumi(PREVIEW, { artifact: "1-preview-create.txt" });
    expect(emulator.requests).toHaveLength(0);
    expect(lines(output, `+ ${CONNECTOR_TYPE}: (create)`)).toHaveLength(2);
    expect(output).toMatch(/\+ 3 to create/);
    expect(output).toMatch(/apiToken\s*: \[secret\]/);
  }, STEP_MS);

  test("2. up creates both; the state holds no secret in plaintext; each token store holds a working token", async () => {
    await pulumi(["up", ...APPLY], { artifact: "2-up.txt" });
    for (const name of ["acme", "globex"]) {
      const stored = await createSecretsManagerStore({ secretArn: arns[name] }).read();
      expect(stored).toBeDefined();
      secrets.add(stored!.refreshToken);
      // Working: the live token of the grant the configured (now consumed) token started.
      const family = emulator.family(stored!.refreshToken);
      expect(family).toMatchObject({ revoked: false, currentRefreshToken: stored!.refreshToken });
      expect(emulator.family(refreshTokens[name])?.id).toBe(family!.id);
      expect(stored!.refreshToken).not.toBe(refreshTokens[name]);
    }
    const raw = await pulumi(["stack", "export"]);
    expectNoSecret(raw, "the exported state");
    expectNoSecret(fs.readFileSync(path.join(project.backendDir, ".pulumi/stacks/jira-connectors-e2e/e2e.json"), "utf8"), "the state file");
    const connectors = connectorsIn(JSON.parse(raw));
    expect(connectors.map((c) => c.outputs?.siteName).sort()).toEqual(["acme", "globex"]);
    expect(connectors.find((c) => c.outputs?.siteName === "acme")?.outputs?.cloudId).toBe(emulator.site("acme").cloudId);
  }, STEP_MS);

  test("3. a new license API token previews as an update of that property only, masked; up exchanges no token", async () => {
    const acme = emulator.site("acme");
    const newToken = emulator.createApiToken("acme", { accountId: acme.admin.accountId });
    secrets.add(newToken);
    await setConfig("acmeApiToken", newToken, true);
    emulator.clearRequests();
    const output = await pulumi(PREVIEW, { artifact: "3-preview-api-token.txt" });
    expect(emulator.requests).toHaveLength(0);
    expect(lines(output, `~ ${CONNECTOR_TYPE}: (update)`)).toHaveLength(1);
    expect(output).toMatch(/\[urn=urn:pulumi:e2e::jira-connectors-e2e::[^\]]*::acme\]/);
    expect(changedPropertyLines(output)).toEqual(["~ license: {", "~ apiToken: [secret] => [secret]"]);
    expect(output).toMatch(/~ 1 to update/);
    expect(output).toMatch(/2 unchanged/);

    await pulumi(["up", ...APPLY], { artifact: "3-up.txt" });
    expect(tokenExchanges()).toBe(0);
    expect(emulator.requests.length).toBeGreaterThan(0); // the new API token was validated
  }, STEP_MS);

  test("4. changing a site previews as a replace", async () => {
    await setConfig("globexSite", "initech");
    emulator.clearRequests();
    const output = await pulumi(PREVIEW, { artifact: "4-preview-site.txt" });
    expect(emulator.requests).toHaveLength(0);
    expect(lines(output, `+- ${CONNECTOR_TYPE}: (replace)`)).toHaveLength(1);
    expect(output).toMatch(/~ site\s*: "globex" => "initech"/);
    expect(output).toMatch(/\+-1 to replace/);
    await setConfig("globexSite", "globex");
  }, STEP_MS);

  test("5. refresh reports the drift when the site maps to another cloud ID", async () => {
    const before = emulator.site("acme").cloudId;
    const after = randomUUID();
    emulator.setCloudId("acme", after);
    emulator.clearRequests();
    const output = await pulumi(["refresh", "--diff", ...APPLY], { artifact: "5-refresh.txt" });
    expect(output).toContain(`~ cloudId: "${before}" => "${after}"`);
    expect(tokenExchanges()).toBe(0);
    const acme = connectorsIn(await exportState()).find((c) => c.outputs?.siteName === "acme");
    expect(acme?.outputs?.cloudId).toBe(after);
  }, STEP_MS);

  test("6. upgrading the provider code shows no change for __provider", async () => {
    const marker = `upgraded-${randomUUID()}`;
    project.upgradeProvider(marker);
    emulator.clearRequests();
    const output = await pulumi(PREVIEW, { artifact: "6-preview-upgrade.txt" });
    expect(emulator.requests).toHaveLength(0);
    expect(output).not.toContain("__provider");
    expect(output).not.toMatch(/to update|to replace|to create|to delete/);
    expect(output).toMatch(/3 unchanged/);
    // The engine did receive the changed shim: after `up`, the state holds it.
    await pulumi(["up", ...APPLY], { artifact: "6-up.txt" });
    const providers = connectorsIn(await exportState()).map((c) => JSON.stringify(c.inputs?.__provider ?? ""));
    expect(providers).toHaveLength(2);
    for (const text of providers) expect(text).toContain(marker);
  }, STEP_MS);

  test("7. destroy removes everything, with the emulator stopped", async () => {
    await emulator.close();
    await pulumi(["destroy", ...APPLY], { artifact: "7-destroy.txt" });
    expect(connectorsIn(await exportState())).toEqual([]);
  }, STEP_MS);
}

/** Lines of `output` that, trimmed, equal `line`. */
function lines(output: string, line: string): string[] {
  return output.split("\n").filter((l) => l.trim() === line);
}

/** The property lines of a `--diff` that show a change (`~`, `+`, `-`), without resource headers and summaries. */
function changedPropertyLines(output: string): string[] {
  return output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^(~|\+|-|\+-) /.test(l) && !l.includes(": (") && !/ to (create|update|replace|delete)$/.test(l));
}

function withoutPulumiVariables(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(source).filter(([k]) => !k.startsWith("PULUMI_")));
}

function redact(text: string, secrets: Set<string>): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("<SECRET LEAKED HERE>");
  return out;
}

function writeArtifact(name: string, text: string): void {
  fs.writeFileSync(path.join(ARTIFACTS, name), text);
}

function formatResult(result: CliResult): string {
  return `--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}
