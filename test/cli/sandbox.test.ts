/**
 * `jira-connector sandbox` through the built binary: it prints the environment, fake credentials and commands that
 * work as printed, serves the admin controls, and stops cleanly on SIGINT/SIGTERM.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startSandbox } from "../../sandbox/start";
import { childEnv, freePort, runCli, startCli, type Running } from "./helpers";

let tmp: string;
const children: Running[] = [];
beforeAll(() => void (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-sandbox-"))));
// A failed assertion must not leave a sandbox running.
afterEach(() => children.splice(0).forEach((r) => r.child.exitCode === null && r.child.kill("SIGKILL")));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sandbox(args: string[]): Running {
  const running = startCli(["sandbox", "--port", "0", ...args], childEnv({}));
  children.push(running);
  return running;
}

/** Splits one printed command line into arguments (the printer quotes with single quotes only). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

function exportsOf(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
}

const line = (text: string, prefix: string) => text.split("\n").find((l) => l.startsWith(prefix))!;

async function stopped(running: Running, signal: NodeJS.Signals) {
  running.child.kill(signal);
  return running.done;
}

test("prints env, credentials and commands for every site; SIGINT stops it (exit 0)", async () => {
  const running = sandbox(["--sites", "acme,globex", "--users", "12"]);
  await running.waitForStdout(/Ctrl-C stops it\.\n/);
  const finished = await stopped(running, "SIGINT");
  expect([finished.code, finished.stderr]).toEqual([0, "Sandbox stopped.\n"]);
  const out = finished.stdout;
  expect(out).toMatch(/^Sandbox Atlassian \(emulated; nothing leaves this machine\) on http:\/\/127\.0\.0\.1:\d+$/m);
  expect(out).toMatch(/site acme: 12 users/);
  expect(out).toMatch(/site globex: 12 users/);
  expect(Object.keys(exportsOf(out)).sort()).toEqual(["JIRA_CONNECTOR_API_URL", "JIRA_CONNECTOR_AUTH_URL", "JIRA_CONNECTOR_SITE_URL"]);
  expect(out).toMatch(/consent is approved automatically/);
  for (const command of ["jira-connector authorize", "jira-connector check --site acme --client-id", "jira-connector collect --site acme --out ./sandbox-out --token-file ./sandbox-tokens/acme.json --client-id", "jira-connector report", "jira-connector check --site acme --scoped-api-token"]) {
    expect(out).toContain(command);
  }
  expect(out).toMatch(/# Site globex\nemail: .+\nclassic API token: .+\nscoped API token: .+/);
});

test("the printed scoped-token check and collect pass against the running sandbox; SIGTERM stops it", async () => {
  const running = sandbox(["--users", "12"]);
  const out = (await running.waitForStdout(/Ctrl-C stops it\.\n/)).input!;
  const env = childEnv(exportsOf(out));
  const check = await runCli(words(line(out, "jira-connector check --site acme --scoped-api-token")).slice(1).concat("--json"), env);
  expect(check.code).toBe(0);
  expect(JSON.parse(check.stdout)).toMatchObject({ ok: true });
  const collect = words(line(out, "jira-connector collect --site acme --out ./sandbox-scoped")).slice(1).map((w) => (w === "./sandbox-scoped" ? path.join(tmp, "scoped") : w));
  const collected = await runCli(collect, env);
  expect(collected.code).toBe(0);
  const finished = await stopped(running, "SIGTERM");
  expect(finished.code).toBe(0);
  expect(finished.stderr).toBe("Sandbox stopped.\n");
});

test("the printed OAuth commands work as printed: authorize (consent followed like a browser would), check, collect, report", async () => {
  const callbackPort = await freePort();
  const running = sandbox(["--users", "12", "--callback-port", String(callbackPort)]);
  const out = (await running.waitForStdout(/Ctrl-C stops it\.\n/)).input!;
  const env = childEnv(exportsOf(out));
  const inTmp = (w: string) => w.replace(/^\.\/sandbox-out/, path.join(tmp, "oauth")).replace(/^\.\/sandbox-tokens/, path.join(tmp, "oauth-tokens"));
  const authorizeLine = line(out, "REFRESH_TOKEN=$(jira-connector authorize ");
  const authorize = startCli(words(authorizeLine.slice("REFRESH_TOKEN=$(".length, -1)).slice(1), env);
  const [consentUrl] = await authorize.waitForStderr(/http:\/\/127\.0\.0\.1:\d+\/auth\/authorize\?\S+/);
  // What `curl -sL` (or the browser) does: the sandbox approves and redirects to authorize's callback.
  expect((await fetch(consentUrl)).status).toBe(200);
  const authorized = await authorize.done;
  expect(authorized.code).toBe(0);
  const refreshToken = authorized.stdout.trim();
  const check = words(line(out, "jira-connector check --site acme --client-id")).slice(1).map((w) => (w === '"$REFRESH_TOKEN"' ? refreshToken : inTmp(w)));
  const checked = await runCli(check, env);
  // --yes: the token file is this local connector's own store; check still says so on stderr.
  expect(checked.code).toBe(0);
  expect(checked.stderr).toMatch(/^Warning: the refresh token is presented now and its rotated successor is saved only in \S+oauth-tokens\/acme\.json/);
  expect(checked.stdout).toMatch(/All checks passed/);
  const collected = await runCli(words(line(out, "jira-connector collect --site acme --out ./sandbox-out")).slice(1).map(inTmp), env);
  expect(collected.code).toBe(0);
  const reported = await runCli(words(line(out, "jira-connector report ./sandbox-out")).slice(1).map(inTmp), env);
  expect(reported.code).toBe(0);
  expect(fs.existsSync(path.join(tmp, "oauth", "report.html"))).toBe(true);
});

test("--json prints one document with the env, the app and each site's tokens", async () => {
  const running = sandbox(["--sites", "acme", "--users", "5", "--json"]);
  const doc = JSON.parse((await running.waitForStdout(/^\{.*\}\n/))[0]);
  expect(doc).toMatchObject({ ok: true, env: { JIRA_CONNECTOR_AUTH_URL: expect.stringMatching(/\/auth$/) }, oauthApp: { clientId: expect.any(String), clientSecret: expect.any(String) } });
  expect(doc.sites[0]).toMatchObject({ name: "acme", users: 5, admin: { apiToken: expect.any(String) }, scoped: { apiToken: expect.any(String), expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) } });
  const admin = await fetch(`${doc.adminUrl}/clock`);
  expect(admin.status).toBe(200);
  expect((await stopped(running, "SIGINT")).code).toBe(0);
});

test("a busy --port is one actionable line (exit 1); bad --sites is a usage error (exit 2)", async () => {
  const other = await startSandbox();
  try {
    const port = new URL(other.url).port;
    const busy = await runCli(["sandbox", "--port", port], childEnv({}));
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe(`jira-connector: port ${port} on 127.0.0.1 is busy: pass --port <n>, or --port 0 to let the OS choose.\n`);
  } finally {
    await other.close();
  }
  const bad = await runCli(["sandbox", "--sites", "acme,Not A Site"], childEnv({}));
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--sites must be comma-separated site names/);
});
