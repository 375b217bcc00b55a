import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { createFileStore } from "../../token-store";
import { collectConnector, type CollectorSettings } from "../../collector/collect";
import { LocalDirectorySink } from "../../collector/snapshot";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { emulatorConnector } from "../support/emulator-connector";

/** The optional org Admin API source: last-active dates (page views) join the activity evidence. */

let emulator: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users: 80, issues: 60, auditRecords: 100 }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-activity-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function collect(name: string, apiKey: string) {
  const connector = await emulatorConnector(emulator, dir, name);
  const { site, tokenStore } = connector;
  const settings: CollectorSettings = { ...connector.settings, org: { orgId: site.orgId, apiKey } };
  emulator.clearRequests();
  const result = await collectConnector(settings, { tokenStore, sink: new LocalDirectorySink(path.join(dir, name)), runId: name, now: () => new Date(emulator.clock.now()), atlassian: { env: emulator.env } });
  const snapshot = path.join(dir, name, result.snapshotPrefix);
  const files = fs.readdirSync(snapshot).map((f) => (f.endsWith(".gz") ? zlib.gunzipSync(fs.readFileSync(path.join(snapshot, f))).toString() : fs.readFileSync(path.join(snapshot, f), "utf8")));
  return { site, result, everything: files.join("\n"), manifest: JSON.parse(fs.readFileSync(path.join(snapshot, "manifest.json"), "utf8")) };
}

test("with an org API key, holders' last activity includes their page views; the read-only caveat goes away", async () => {
  const { site, result, everything, manifest } = await collect("with-org", emulator.site("acme").orgApiKey);
  expect(result.complete).toBe(true);
  const orgRequests = emulator.requests.filter((r) => r.path.startsWith(`/admin/v1/orgs/${site.orgId}/directory/users/`));
  // One request per member of a granting group, and no more.
  const members = new Set(site.groups.filter((g: { name: string }) => site.applicationRoles.some((r: { groups: string[] }) => r.groups.includes(g.name))).flatMap((g: { members: { accountId: string }[] }) => g.members.map((m) => m.accountId)));
  expect(orgRequests).toHaveLength(members.size);
  expect(manifest.entities.orgLastActive.accountsInDirectory).toBeGreaterThan(0);
  expect(everything).toContain('"lastActivitySource":"org-last-active"');
  expect(result.report.caveats.join(" ")).not.toMatch(/'unknown', not 'inactive'/);
  expect(result.report.evidence.find((s) => s.source === "org-last-active")?.status).toBe("read");
  expect(everything.includes(site.orgApiKey)).toBe(false);
});

test("a rejected org API key: the snapshot is partial with an actionable reason, and the key is never shown", async () => {
  const { result, everything } = await collect("bad-org-key", "orgkey-not-the-right-one");
  expect(result.complete).toBe(false);
  expect(result.latestUpdated).toBe(false);
  expect(result.reasons.join()).toMatch(/org last-active dates: the organization API key was rejected \(HTTP 401\).*Atlassian Administration/);
  expect(result.report.caveats.join(" ")).toMatch(/'unknown', not 'inactive'/);
  expect(`${everything}${result.reasons.join()}`.includes("orgkey-not-the-right-one")).toBe(false);
});

test("an org that does not manage the site (answers never mention it): no one is proven inactive, the run is partial", async () => {
  const twoOrgs = await startAtlassianEmulator({ sites: [{ name: "acme", users: 40 }, { name: "other", users: 40, orgId: "0b9c7c6e-2f0a-4c55-9d35-6a0c8f1d2e3f" }] });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "org-other-"));
  try {
    const site = twoOrgs.site("acme");
    const other = twoOrgs.site("other");
    const tokenStore = createFileStore({ path: path.join(out, "token.json") });
    const at = new Date(twoOrgs.clock.now()).toISOString();
    await tokenStore.compareAndSwap(undefined, { refreshToken: twoOrgs.grant().refreshToken, rotatedAt: at, familyStartedAt: at });
    const result = await collectConnector(
      {
        connectorName: "acme",
        site: "acme",
        cloudId: site.cloudId,
        oauth: { clientId: twoOrgs.app().clientId, clientSecret: twoOrgs.app().clientSecret },
        license: { email: site.admin.email, apiToken: site.admin.apiToken },
        org: { orgId: other.orgId, apiKey: other.orgApiKey },
      },
      { tokenStore, sink: new LocalDirectorySink(out), runId: "other-org", now: () => new Date(twoOrgs.clock.now()), atlassian: { env: twoOrgs.env } },
    );
    expect(result.complete).toBe(false);
    expect(result.reasons.join(" ")).toMatch(new RegExp(`organization ${other.orgId} answered for \\d+ account\\(s\\) but never mentions this site`));
    expect(result.report.totals.inactivePeople).toBe(0);
    expect(result.report.evidence.find((s) => s.source === "org-last-active")?.status).toBe("failed");
  } finally {
    await twoOrgs.close();
    fs.rmSync(out, { recursive: true, force: true });
  }
});
