/** `jira-connector collect --deadline`: validated as a usage error; reached, the snapshot is partial and says why. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { assertBuilt, childEnv, runCli, runInProcess } from "./helpers";

let emu: AtlassianEmulator;
let tmp: string;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 30, issues: 20, auditRecords: 40 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-deadline-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test.each(["soon", "-5m", "0s", "2020-01-01T00:00:00Z", "2031-05-07T08:09:00"])("--deadline %s is a named usage error that does not echo the value", async (value) => {
  const result = await runInProcess(["collect", "--out", path.join(tmp, "x"), "--site", "acme", "--client-id", "x", "--client-secret", "y", "--deadline", value, "--json"], emu.env);
  expect(result.code).toBe(2);
  const error = JSON.parse(result.stdout).error;
  expect(error).toMatchObject({ code: "INVALID_DEADLINE", message: expect.stringMatching(/^--deadline /) });
  expect(error.message).not.toContain(value);
});

test("the deadline reached while users/search hangs: exit 1, a partial snapshot whose first reason is the deadline, report says PARTIAL", async () => {
  assertBuilt();
  const site = emu.site("acme");
  const grant = emu.grant({ sites: ["acme"] });
  const out = path.join(tmp, "out");
  // The users listing never answers: only the deadline ends it (the reads before it take well under a second).
  emu.faults.add({ match: { path: /\/rest\/api\/3\/users\/search$/ }, times: Infinity, action: { kind: "hang" } });
  const env = childEnv({
    ...emu.env,
    XDG_CONFIG_HOME: path.join(tmp, "config"),
    JIRA_CONNECTOR_CLIENT_ID: emu.app().clientId,
    JIRA_CONNECTOR_CLIENT_SECRET: emu.app().clientSecret,
    JIRA_CONNECTOR_REFRESH_TOKEN: grant.refreshToken,
    JIRA_CONNECTOR_LICENSE_EMAIL: site.admin.email,
    JIRA_CONNECTOR_API_TOKEN: site.admin.apiToken,
  });
  const collected = await runCli(["collect", "--out", out, "--site", "acme", "--deadline", "5s", "--json"], env);
  emu.faults.clear();
  expect(collected.code).toBe(1);
  const summary = JSON.parse(collected.stdout);
  expect(summary).toMatchObject({ ok: true, complete: false, latestUpdated: false });
  expect(summary.reasons[0]).toMatch(/^run deadline reached after 5 s/);
  expect(summary.reasons).toContainEqual(expect.stringMatching(/^users: GET \/rest\/api\/3\/users\/search: not started, the run deadline/));
  const manifest = JSON.parse(fs.readFileSync(path.join(summary.snapshotDir, "manifest.json"), "utf8"));
  expect(manifest).toMatchObject({ complete: false, deadline: { reached: true } });
  const report = await runInProcess(["report", summary.snapshotDir], {});
  expect(report.stdout).toMatch(/\nPARTIAL: run deadline reached after 5 s/);
}, 30_000);
