/**
 * One collection per credential combination (OAuth only; OAuth + the license API token; + the org key) against an
 * emulated site, and the classification the emulator's ground truth implies for every seat holder. Shared by the
 * ground-truth test and `npm run bench:evidence`, so the figures the bench prints are the ones the test checks.
 */
import * as fs from "fs";
import * as path from "path";
import { collectConnector, type CollectionResult, type CollectorSettings } from "../../collector/collect";
import type { EvidenceStrength } from "../../collector/decisions/evidence";
import { LocalDirectorySink } from "../../collector/snapshot";
import { createFileStore } from "../../token-store";
import { ACTION_SOURCES, type ActionSource, type AtlassianEmulator, type EmulatedSite } from "./atlassian-emulator";

export type Combination = "oauth" | "oauth+token" | "oauth+token+org";
export const COMBINATIONS: readonly Combination[] = ["oauth", "oauth+token", "oauth+token+org"];

/** The Jira sources each combination reaches with the connector's 13 scopes (README, "Who is inactive"). */
const VISIBLE: Record<Combination, readonly ActionSource[]> = {
  oauth: ["audit", "issue-created"],
  "oauth+token": ACTION_SOURCES,
  "oauth+token+org": ACTION_SOURCES,
};

const DAY_MS = 86_400_000;

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
