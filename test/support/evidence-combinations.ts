/**
 * One collection per credential combination (OAuth only; OAuth + the license API token; + the org key) against an
 * emulated site, and the classification the emulator's ground truth implies for every seat holder. Shared by the
 * ground-truth test and `npm run bench:evidence`, so the figures the bench prints are the ones the test checks.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectConnector, type CollectionResult, type CollectorSettings } from "../../collector/collect";
import type { EvidenceStrength } from "../../collector/decisions/evidence";
import { LocalDirectorySink } from "../../collector/snapshot";
import { createFileStore } from "../../token-store";
import { ACTION_SOURCES, type ActionSource, type AtlassianEmulator, type EmulatedSite, startAtlassianEmulator } from "./atlassian-emulator";


export type Combination = "oauth" | "oauth+token" | "oauth+token+org";
export const COMBINATIONS: readonly Combination[] = ["oauth", "oauth+token", "oauth+token+org"];

/** The Jira sources each combination reaches with the connector's 13 scopes (README, "Who is inactive"). */
const VISIBLE: Record<Combination, readonly ActionSource[]> = {
  oauth: ["audit", "issue-created"],
  "oauth+token": ACTION_SOURCES,
  "oauth+token+org": ACTION_SOURCES,
};

const DAY_MS = 86_400_000;

/**
 * The site both the test and the bench collect: `users` seeded users, generous rate limits, and a frozen clock so
 * the window boundary and the seeded actions keep their distance however long the runs take.
 */
export async function startEvidenceSite(users: number): Promise<{ emulator: AtlassianEmulator; dir: string; close(): Promise<void> }> {
  const emulator = await startAtlassianEmulator({ sites: [{ name: "big", users, auditRecords: 2000 }], burst: { perSecond: 100_000 }, pointsPerHour: 10_000_000 });
  emulator.clock.freeze();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evidence-"));
  return {
    emulator,
    dir,
    close: async () => {
      await emulator.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function collectWith(emulator: AtlassianEmulator, siteName: string, combination: Combination, dir: string): Promise<CollectionResult> {
  const site = emulator.site(siteName);
  const name = `${siteName}-${combination.replace(/\+/g, "-")}`;
  const tokenStore = createFileStore({ path: path.join(dir, `${name}.token.json`) });
  const at = new Date(emulator.clock.now()).toISOString();
  await tokenStore.compareAndSwap(undefined, { refreshToken: emulator.grant({ sites: [siteName] }).refreshToken, rotatedAt: at, familyStartedAt: at });
  const settings: CollectorSettings = {
    connectorName: name,
    site: siteName,
    cloudId: site.cloudId,
    oauth: { clientId: emulator.app().clientId, clientSecret: emulator.app().clientSecret },
    ...(combination !== "oauth" ? { license: { email: site.admin.email, apiToken: site.admin.apiToken } } : {}),
    ...(combination === "oauth+token+org" ? { org: { orgId: site.orgId, apiKey: site.orgApiKey } } : {}),
  };
  fs.mkdirSync(dir, { recursive: true });
  return collectConnector(settings, { tokenStore, sink: new LocalDirectorySink(dir), runId: name, now: () => new Date(emulator.clock.now()), atlassian: { env: emulator.env } });
}

/**
 * What the truth says each holder of `productKey` is, for a window starting at `windowStartMs`: active when a
 * visible source saw them act since then (org dates count from 00:00 UTC of their day, as the API gives days);
 * inactive when the org key is configured and the org directory knows them; otherwise unknown.
 */
export function expectedStrength(site: EmulatedSite, combination: Combination, accountId: string, windowStartMs: number): EvidenceStrength {
  const entry = site.activityTruth().get(accountId);
  if (!entry) throw new Error(`no truth for ${accountId}`);
  const acted = VISIBLE[combination].some((s) => (entry.lastAction[s] ?? -Infinity) >= windowStartMs);
  const withOrg = combination === "oauth+token+org";
  const viewed = withOrg && Object.values(entry.orgLastActive ?? {}).some((t) => t !== null && Math.floor(t / DAY_MS) * DAY_MS >= windowStartMs);
  if (acted || viewed) return "active";
  return withOrg && entry.orgLastActive !== null ? "inactive" : "unknown";
}

/** Holders of each product per the seed: active `atlassian` accounts in a granting group. */
export function truthHolders(site: EmulatedSite): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const role of site.applicationRoles) {
    const holders = new Set<string>();
    for (const group of site.groups) if (role.groups.includes(group.name)) for (const m of group.members) if (m.active && m.accountType === "atlassian") holders.add(m.accountId);
    out.set(role.key, holders);
  }
  return out;
}

/** Distinct holders by strength, as the report counts them. */
export function shares(result: CollectionResult): Record<EvidenceStrength, number> {
  const t = result.report.totals;
  return { active: t.activePeople, inactive: t.inactivePeople, unknown: t.unknownPeople };
}

/**
 * Collects with `combination` and checks every holder's strength, per product and per person, against the truth;
 * OAuth alone or with the token can prove no one inactive, and with the org key no one stays unknown.
 */
export async function expectTruthfulClassification(emulator: AtlassianEmulator, combination: Combination, dir: string): Promise<void> {
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
}
