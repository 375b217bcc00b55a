import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { JiraConnector } from "../../components";
import { connectorArgs, only } from "./support/fixtures";
import { settle, startMockEngine, type Registration } from "./support/mock-engine";

/**
 * The function's code is the esbuild bundle of the collector (built by `npm run build`, which `npm test` runs
 * first): one file, within its 1 MB budget, that loads on its own (no node_modules) and runs the collector's entry.
 */

const REPO_ROOT = path.resolve(__dirname, "../..");
let registrations: Registration[];
let scratch: string;

beforeAll(async () => {
  registrations = await startMockEngine();
  new JiraConnector("acme", connectorArgs("acme"));
  await settle();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "collector-bundle-"));
});
afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  await pulumi.runtime.disconnect();
});

async function archiveFiles(): Promise<Record<string, string>> {
  const code = only(registrations, "aws:lambda/function:Function", "acme-collector").inputs.code;
  expect(code).toBeInstanceOf(pulumi.asset.AssetArchive);
  const assets = (await (code as pulumi.asset.AssetArchive).assets) as Record<string, pulumi.asset.FileAsset>;
  const files: Record<string, string> = {};
  for (const [name, asset] of Object.entries(assets)) {
    expect(asset).toBeInstanceOf(pulumi.asset.FileAsset);
    files[name] = (await asset.path) as string;
  }
  return files;
}

test("the archive holds exactly index.js: the built collector bundle, within 1 MB", async () => {
  const files = await archiveFiles();
  expect(Object.keys(files)).toEqual(["index.js"]);
  expect(files["index.js"]).toBe(path.join(REPO_ROOT, "bin", "lambda", "collector", "index.js"));
  const bundle = fs.readFileSync(files["index.js"]!, "utf8");
  expect(bundle.length).toBeLessThanOrEqual(1_000_000);
  // It is the collector (its configuration variables and log events), bundled (no local require left).
  expect(bundle).toContain("JIRA_CONNECTOR_REFRESH_TOKEN_SECRET_ARN");
  expect(bundle).toContain("collector.run.failed");
  expect(bundle).not.toMatch(/require\("\.\.?\//);
  // The AWS SDK stays external (the runtime provides it); nothing else is required at run time but Node built-ins
  // and node-fetch's optional `encoding` (inside a try/catch, only for the unused `textConverted()`).
  const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
  const builtins: string[] = require("module").builtinModules;
  for (const name of required) {
    expect([name, /^(@aws-sdk\/client-(s3|secrets-manager)|node:.*)$/.test(name) || builtins.includes(name) || name === "encoding"]).toEqual([name, true]);
  }
  expect(required).toContain("@aws-sdk/client-secrets-manager");
});

test("the bundle loads alone (no node_modules), exports the handler, and runs the collector's entry", async () => {
  const files = await archiveFiles();
  fs.copyFileSync(files["index.js"]!, path.join(scratch, "index.js"));
  const script = `
    const m = require("./index.js");
    console.log(JSON.stringify({ exports: Object.keys(m), handler: typeof m.handler }));
    m.handler({}, {}).then(
      () => console.log(JSON.stringify({ outcome: "resolved" })),
      (e) => console.log(JSON.stringify({ outcome: e.name, problems: e.problems.length })),
    );`;
  // An empty environment: the entry validates its configuration before touching AWS or Atlassian.
  const out = execFileSync(process.execPath, ["-e", script], { cwd: scratch, env: { PATH: process.env.PATH ?? "" }, encoding: "utf8", timeout: 20_000 });
  const [loaded, ran] = out.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  expect(loaded).toEqual({ exports: ["handler"], handler: "function" });
  // The five required variables (the refresh-token secret's is optional: a scoped-token connector has none).
  expect(ran).toEqual({ outcome: "CollectorConfigurationError", problems: 5 });
});
