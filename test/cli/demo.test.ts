/**
 * `jira-connector demo` through the built binary: from nothing to an HTML seat report in one command, and again in
 * the same directory. Durations are printed, never asserted (no timed assertions).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { childEnv, runCli } from "./helpers";

let tmp: string;
beforeAll(() => void (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-demo-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("demo runs sandbox, authorize, check, collect and report, and writes the HTML report", async () => {
  const out = path.join(tmp, "demo");
  const started = Date.now();
  // A real site's settings in the caller's environment must not leak into the demo.
  const result = await runCli(["demo", "--out", out, "--users", "30"], childEnv({ JIRA_CONNECTOR_SCOPED_API_TOKEN: "not-for-the-demo" }));
  console.log(`[demo] wall clock ${Date.now() - started} ms\n${result.stdout.split("\n").filter((l) => /^\s+\w+\s+[\d.]+ s/.test(l)).join("\n")}`);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  for (const step of ["sandbox", "authorize", "check", "collect", "report"]) expect(result.stdout).toMatch(new RegExp(`^  ${step}\\s+\\d+\\.\\d s  \\S`, "m"));
  expect(result.stdout).toMatch(/approved automatically by the sandbox/);
  // Only `sandbox` prints the sandbox's (fake) credentials; the demo keeps them to itself.
  expect(result.stdout).not.toContain("emulator-client-secret");
  expect(result.stdout).toMatch(/^Seat report — connector acme/m);
  const html = path.join(out, "report.html");
  expect(result.stdout).toContain(`Open the report: ${html}\n`);
  expect(fs.readFileSync(html, "utf8")).toMatch(/^<!DOCTYPE html>[\s\S]*acme[\s\S]*<\/html>\s*$/i);
});

test("demo --json, run again in the same directory: a second snapshot and a fresh report", async () => {
  const out = path.join(tmp, "again");
  const first = await runCli(["demo", "--out", out, "--users", "10", "--json"], childEnv({}));
  expect(first.code).toBe(0);
  const second = await runCli(["demo", "--out", out, "--users", "10", "--json"], childEnv({}));
  expect(second.code).toBe(0);
  const doc = JSON.parse(second.stdout);
  console.log(`[demo --json] totalMs ${doc.totalMs}: ${doc.steps.map((s: { step: string; ms: number }) => `${s.step} ${s.ms} ms`).join(", ")}`);
  expect(doc).toMatchObject({ ok: true, html: path.join(out, "report.html") });
  expect(doc.steps.map((s: { step: string }) => s.step)).toEqual(["sandbox", "authorize", "check", "collect", "report"]);
  expect(fs.existsSync(doc.html)).toBe(true);
  expect(fs.readdirSync(path.join(out, "snapshots/connectors/acme/snapshots")).filter((d) => /^\d{4}-/.test(d))).toHaveLength(2);
});
