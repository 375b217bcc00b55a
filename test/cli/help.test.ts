/** Every command has --help and --json; the package's `bin` is the built binary; usage errors exit 2. */
import * as fs from "fs";
import * as path from "path";
import { BIN, childEnv, runCli, runInProcess } from "./helpers";

const COMMANDS = ["authorize", "cloud-id", "check", "collect", "report", "query", "fleet-report", "sandbox", "demo"];

test("package.json maps jira-connector to the built binary, which starts with a shebang", async () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));
  expect(path.resolve(__dirname, "../..", pkg.bin["jira-connector"])).toBe(BIN);
  const result = await runCli(["--help"], childEnv({}));
  expect(result.code).toBe(0);
  for (const command of COMMANDS) expect(result.stdout).toContain(command);
  expect(fs.readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
});

test.each(COMMANDS)("%s --help documents --json and exits 0", async (command) => {
  const result = await runInProcess([command, "--help"], {});
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/--json/);
  expect(result.stdout).toMatch(new RegExp(`Usage: jira-connector ${command}`));
});

test("an unknown command or option is a usage error (exit 2) pointing at --help", async () => {
  const unknown = await runInProcess(["frobnicate"], {});
  expect(unknown.code).toBe(2);
  // What was typed is not echoed: it may be a pasted secret.
  expect(unknown.stderr).toMatch(/unknown command\b/);
  expect(unknown.stderr).not.toContain("frobnicate");
  const option = await runInProcess(["cloud-id", "acme", "--bogus"], {});
  expect(option.code).toBe(2);
  expect(option.stderr).toMatch(/unknown option '--bogus'[\s\S]*--help/);
});

test("--version and -V print the package.json version, from the built binary too", async () => {
  const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));
  for (const flag of ["--version", "-V"]) {
    const result = await runInProcess([flag], {});
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
  }
  const built = await runCli(["--version"], childEnv({}));
  expect(built).toMatchObject({ code: 0, stdout: `${version}\n` });
  expect((await runInProcess(["--help"], {})).stdout).toMatch(/-V, --version\s+print the jira-connectors version/);
});
