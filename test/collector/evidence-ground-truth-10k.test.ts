import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { EvidenceStrength } from "../../collector/decisions/evidence";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { COMBINATIONS, collectWith, expectedStrength, truthHolders } from "../support/evidence-combinations";

/**
 * A 10k-user site collected with each credential combination: every seat holder's evidence strength (active,
 * inactive, unknown) must be what the emulator's seeded behaviour implies for the sources that combination reaches.
 */
let emulator: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  // A frozen clock: the window boundary and the seeded actions keep their distance however long the runs take.
  emulator = await startAtlassianEmulator({ sites: [{ name: "big", users: 10_000, auditRecords: 2000 }], burst: { perSecond: 100_000 }, pointsPerHour: 10_000_000 });
  emulator.clock.freeze();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "evidence-10k-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.each(COMBINATIONS)("%s: every holder's classification matches the emulator's truth", async (combination) => {
  const site = emulator.site("big");
  const result = await collectWith(emulator, "big", combination, dir);
  expect(result.reasons).toEqual([]);
  const windowStart = Date.parse(result.report.windowStart);
  const holders = truthHolders(site);
  const counts: Record<EvidenceStrength, number> = { active: 0, inactive: 0, unknown: 0 };
  for (const product of result.report.products) {
    const expected = new Map<string, EvidenceStrength>();
    for (const id of holders.get(product.productKey)!) expected.set(id, expectedStrength(site, combination, id, windowStart));
    const notActive = new Map([...expected].filter(([, s]) => s !== "active"));
    const listed = new Map(product.inactiveHolders.map((h) => [h.accountId, h.evidence as EvidenceStrength]));
    // Compared as sorted lists so a failure names the accounts that differ.
    expect([...listed].sort()).toEqual([...notActive].sort());
    expect(product.holdersByEvidence).toEqual({
      active: [...expected.values()].filter((s) => s === "active").length,
      inactive: [...expected.values()].filter((s) => s === "inactive").length,
      unknown: [...expected.values()].filter((s) => s === "unknown").length,
    });
  }
  const billable = result.report.products.filter((p) => p.billable).map((p) => p.productKey);
  const distinct = new Set(billable.flatMap((key) => [...holders.get(key)!]));
  for (const id of distinct) counts[expectedStrength(site, combination, id, windowStart)]++;
  expect({ active: result.report.totals.activePeople, inactive: result.report.totals.inactivePeople, unknown: result.report.totals.unknownPeople }).toEqual(counts);
  expect(result.report.people.map((p) => [p.accountId, p.evidence]).sort()).toEqual([...distinct].map((id) => [id, expectedStrength(site, combination, id, windowStart)]).filter(([, s]) => s !== "active").sort());
  // Each combination classifies something: OAuth alone cannot prove anyone inactive; with the org key most are classified.
  if (combination === "oauth+token+org") {
    expect(counts.inactive).toBeGreaterThan(0);
    expect(counts.unknown).toBe(0);
  } else expect(counts.inactive).toBe(0);
}, 120_000);
