/**
 * Terminal and CLI safety: names Atlassian serves (display names, groups, products) cannot drive the admin's
 * terminal through any printed report or CSV, and usage errors never echo a value typed on the command line.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { jsonLine, safeLine, safeText } from "../../cli/format/sanitize";
import { csvField } from "../../cli/report/csv";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { childEnv, runCli, runInProcess } from "./helpers";

// Clear screen, an OSC 8 hyperlink, an 8-bit CSI (red) and a right-to-left override.
const HOSTILE = "\u001b[2J\u001b]8;;https://evil.test\u0007click\u001b]8;;\u0007\u009b31m\u202eEvil";
/** Anything a terminal would act on: C0 but tab/LF (CR only before LF), DEL, C1, bidi controls. */
// eslint-disable-next-line no-control-regex -- the characters under test
const UNSAFE = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

test("safeText removes escape sequences, C1 controls and bidi overrides; jsonLine keeps the data as valid JSON", () => {
  expect(safeLine(`${HOSTILE} Name`)).toBe("clickEvil Name");
  expect(safeText("a\n\tb\r\nc\u0007d\re")).toBe("a\n\tb\r\nc d e");
  expect(safeLine("a\nb\tc")).toBe("a b c");
  const line = jsonLine({ name: HOSTILE });
  expect(line).not.toMatch(UNSAFE);
  expect(JSON.parse(line)).toEqual({ name: HOSTILE });
  // An escape hiding a formula is stripped and the formula still neutralized.
  expect(csvField("\u001b[0m=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
});

describe("against the emulator", () => {
  let emu: AtlassianEmulator;
  let tmp: string;
  beforeAll(async () => {
    emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 30, issues: 40, auditRecords: 60 }] });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-terminal-safety-"));
    // Atlassian-controlled names, made hostile: every person and every product.
    const site = emu.site("acme");
    site.users.forEach((user, i) => (user.displayName = `${HOSTILE} Person ${i}`));
    for (const r of site.applicationRoles) r.name = `${HOSTILE} ${r.name}`;
    // And every group that grants a product (the report names granting groups): renamed everywhere the emulator
    // looks a group up, as a site admin could name it.
    for (const role of site.applicationRoles) {
      for (const name of role.groups) {
        const group = site.groupsByName.get(name);
        if (!group || group.name.startsWith(HOSTILE)) continue;
        site.groupsByName.delete(name);
        group.name = `${HOSTILE} ${name}`;
        site.groupsByName.set(group.name, group);
      }
    }
    for (const role of site.applicationRoles) {
      role.groups = role.groups.map((g) => (g.startsWith(HOSTILE) ? g : `${HOSTILE} ${g}`));
      role.defaultGroups = role.defaultGroups.map((g) => (g.startsWith(HOSTILE) ? g : `${HOSTILE} ${g}`));
    }
  });
  afterAll(async () => {
    await emu.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("collect, report, report --csv and report --json print hostile names safely", async () => {
    const site = emu.site("acme");
    const env = childEnv({
      ...emu.env,
      XDG_CONFIG_HOME: path.join(tmp, "config"),
      JIRA_CONNECTOR_CLIENT_ID: emu.app().clientId,
      JIRA_CONNECTOR_CLIENT_SECRET: emu.app().clientSecret,
      JIRA_CONNECTOR_REFRESH_TOKEN: emu.grant({ sites: ["acme"] }).refreshToken,
      JIRA_CONNECTOR_LICENSE_EMAIL: site.admin.email,
      JIRA_CONNECTOR_API_TOKEN: site.admin.apiToken,
    });
    const out = path.join(tmp, "out");
    const collected = await runCli(["collect", "--out", out, "--site", "acme"], env);
    expect(collected.stdout).toMatch(/clickEvil Person \d+/);
    expect(collected.stdout + collected.stderr).not.toMatch(UNSAFE);

    const snapshot = path.join(out, "connectors", "acme", "snapshots", fs.readdirSync(path.join(out, "connectors", "acme", "snapshots"))[0]);
    const csv = path.join(tmp, "seats.csv");
    const report = await runCli(["report", snapshot, "--csv", csv], env);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/clickEvil Person \d+/);
    expect(report.stdout).toMatch(/clickEvil Jira/);
    expect(report.stdout).toMatch(/clickEvil [a-z-]+-users|clickEvil site-admins/);
    expect(report.stdout + report.stderr).not.toMatch(UNSAFE);
    const csvText = fs.readFileSync(csv, "utf8");
    expect(csvText).toMatch(/clickEvil Person \d+/);
    expect(csvText).not.toMatch(UNSAFE);

    const json = await runCli(["report", snapshot, "--json"], env);
    expect(json.stdout).not.toMatch(UNSAFE);
    // JSON keeps the data (escaped): a consumer parses back what Atlassian served.
    expect(JSON.parse(json.stdout).report.people[0].displayName).toMatch(/^\u001b\[2J.*\u202eEvil Person/);
  }, 60_000);
});

describe("usage errors never echo a value", () => {
  const SECRET = "rt-SECRET-value-0123456789abcdef";

  test("an unknown option with =value names the option only", async () => {
    const run = await runInProcess(["check", `--refresh-tokn=${SECRET}`], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option '--refresh-tokn'/);
    expect(run.stdout + run.stderr).not.toContain("SECRET");
  });

  test("an unknown short option, an unknown command and a bad port do not print what was typed", async () => {
    for (const args of [["check", `-z${SECRET}`], [SECRET], ["sandbox", "--port", SECRET]]) {
      const run = await runInProcess(args, {});
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).not.toContain("SECRET");
    }
  });

  test("with --json anywhere, commander's own errors are the JSON error document on stdout, exit 2", async () => {
    for (const args of [["--json", "check", `--refresh-tokn=${SECRET}`], ["report", "--json"], ["cloud-id", "--json", `--site=${SECRET}`, "--bogus"]]) {
      const run = await runInProcess(args, {});
      expect(run.code).toBe(2);
      expect(run.stderr).toBe("");
      const doc = JSON.parse(run.stdout);
      expect(doc).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
      expect(run.stdout).not.toContain("SECRET");
    }
  });
});
