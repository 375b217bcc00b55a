import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createFileStore } from "../../token-store";
import { collectConnector } from "../../collector/collect";
import { LocalDirectorySink, readNdjsonGzip } from "../../collector/snapshot";
import { startAtlassianEmulator } from "../support/atlassian-emulator";

/** 10k users: every user, every seat holder and every product count match the emulator's data exactly. */
test("10k-user site: snapshot equals the emulator's ground truth", async () => {
  const emulator = await startAtlassianEmulator({ sites: [{ name: "big", users: 10_000, issues: 500, auditRecords: 2000 }], burst: { perSecond: 100_000 } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collect-10k-"));
  try {
    const site = emulator.site("big");
    const tokenStore = createFileStore({ path: path.join(dir, "token.json") });
    const stamp = new Date(emulator.clock.now()).toISOString();
    await tokenStore.compareAndSwap(undefined, { refreshToken: emulator.grant({ sites: ["big"] }).refreshToken, rotatedAt: stamp, familyStartedAt: stamp });
    const result = await collectConnector(
      {
        connectorName: "big",
        site: "big",
        cloudId: site.cloudId,
        oauth: { clientId: emulator.app().clientId, clientSecret: emulator.app().clientSecret },
        license: { email: site.admin.email, apiToken: site.admin.apiToken },
      },
      { tokenStore, sink: new LocalDirectorySink(dir), runId: "10k", now: () => new Date(emulator.clock.now()), atlassian: { env: emulator.env } },
    );
    expect(result.complete).toBe(true);
    const users: { accountId: string; products: { key: string }[]; active: boolean; accountType: string }[] = [];
    for await (const row of readNdjsonGzip(fs.readFileSync(path.join(dir, result.snapshotPrefix, "users.ndjson.gz")))) users.push(row as never);
    expect(users).toHaveLength(10_000);
    expect(new Set(users.map((u) => u.accountId)).size).toBe(10_000);
    for (const role of site.applicationRoles) {
      const expected = new Set<string>();
      for (const group of site.groups) {
        if (role.groups.includes(group.name)) for (const m of group.members) if (m.active && m.accountType === "atlassian") expected.add(m.accountId);
      }
      const product = result.report.products.find((p) => p.productKey === role.key)!;
      expect({ key: role.key, used: product.seatsUsed }).toEqual({ key: role.key, used: expected.size });
      expect(product.seatsUsed).toBe(role.userCount);
      const holders = users.filter((u) => u.active && u.accountType === "atlassian" && u.products.some((p) => p.key === role.key));
      expect(new Set(holders.map((u) => u.accountId))).toEqual(expected);
    }
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
