import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectConnector } from "../../collector/collect";
import { LocalDirectorySink } from "../../collector/snapshot";
import { createFileStore } from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";

/**
 * A run the emulator rate-limits mid-way through the group-member reads: the seat report must say it is incomplete —
 * seats used from Atlassian's own counts, how many holders were identified — never "0 seats used, all clear".
 */
let emulator: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users: 400, issues: 60, auditRecords: 100 }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "partial-report-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("group members rate-limited after a few pages: seat-report.json is partial and honest", async () => {
  const site = emulator.site("acme");
  const tokenStore = createFileStore({ path: path.join(dir, "token.json") });
  const now = new Date(emulator.clock.now()).toISOString();
  await tokenStore.compareAndSwap(undefined, { refreshToken: emulator.grant().refreshToken, rotatedAt: now, familyStartedAt: now });
  // The hourly quota runs out after three group/member pages: the gate stops instead of waiting 30 minutes.
  emulator.faults.add({ match: { path: "/rest/api/3/group/member" }, after: 3, times: Infinity, action: { kind: "rate-limit", retryAfterSeconds: 1800, reason: "jira-quota-global-based" } });
  try {
    const result = await collectConnector(
      {
        connectorName: "acme",
        site: "acme",
        cloudId: site.cloudId,
        oauth: { clientId: emulator.app().clientId, clientSecret: emulator.app().clientSecret },
        license: { email: site.admin.email, apiToken: site.admin.apiToken },
      },
      { tokenStore, sink: new LocalDirectorySink(dir), runId: "partial", now: () => new Date(emulator.clock.now()), atlassian: { env: emulator.env } },
    );
    expect(result.complete).toBe(false);
    expect(result.latestUpdated).toBe(false);
    const report = JSON.parse(fs.readFileSync(path.join(dir, result.snapshotPrefix, "seat-report.json"), "utf8"));
    expect(report.partial).toBe(true);
    expect(report.partialReasons.join(" ")).toMatch(/group membership: jira-software-users: Atlassian rate-limited/);
    // A product whose granting groups were not all read counts Atlassian's figure and says how many holders it knows.
    const incomplete = report.products.filter((p: { holdersComplete: boolean }) => !p.holdersComplete);
    expect(incomplete.map((p: { productKey: string }) => p.productKey)).toContain("jira-software");
    for (const role of site.applicationRoles) {
      const product = report.products.find((p: { productKey: string }) => p.productKey === role.key);
      expect(product.seatsUsed).toBe(role.userCount);
      if (product.holdersComplete) expect(product).toMatchObject({ seatsUsedSource: "group-members", holdersIdentified: role.userCount });
      else {
        expect(product.seatsUsedSource).toBe("atlassian-count");
        expect(product.holdersIdentified).toBeLessThan(role.userCount);
      }
    }
    const paidUsed = site.applicationRoles.filter((r) => site.license.applications.find((a) => a.id === r.key)?.plan !== "FREE").reduce((n, r) => n + r.userCount, 0);
    expect(report.totals.seatsUsed).toBe(paidUsed);
    expect(report.headline).toMatch(new RegExp(`^incomplete: ${paidUsed} seats used per Atlassian, ${report.totals.holdersIdentified} holders identified`));
    expect(JSON.stringify(report)).not.toMatch(/every seat holder was active|No seat holder has been inactive/);
  } finally {
    emulator.faults.clear();
  }
}, 30_000);
