/**
 * The fleet bench's data: N connectors × U users × S weekly snapshots, written with the collector's own pieces —
 * the emulator's seeded sites (`generateSite`: users, groups, roles, licence, behaviour plans), the collector's
 * decisions (`seatHolders`, `seatReport`) and its snapshot writer (`SnapshotWriter`, `writeFleetTables`) into a
 * `collect --out`-shaped folder — so the files are what a real collection writes, without 600 emulated runs.
 *
 * What varies, so the queries have work to do: a third of each site's people are drawn from one shared pool
 * (the same Atlassian account, name and email on several sites), the site grows by 10 % over the snapshots (people
 * join their groups), and each person's last activity moves with the snapshot's date (contributors recently,
 * lapsed and idle people long ago or never). Half the sites have an org key (never-seen holders are then
 * "inactive", else "unknown"); a third are priced.
 */
import * as fs from "fs";
import * as path from "path";
import type { ApplicationRole } from "../atlassian";
import { generateSite, type SeedUser } from "../sandbox/emulator/seed-data";
import { FIRST_NAMES, LAST_NAMES } from "../sandbox/emulator/names";
import { hashString } from "../sandbox/emulator/random";
import { seatHolders } from "../collector/decisions/seat-holders";
import { seatReport } from "../collector/decisions/seat-report";
import { planEvidence } from "../collector/decisions/evidence";
import type { UserActivity } from "../collector/decisions/activity";
import { LocalDirectorySink } from "../collector/snapshot";
import { SnapshotWriter } from "../collector/snapshot/writer";
import { writeFleetTables } from "../collector/fleet-tables";

export interface FleetShape {
  connectors: number;
  users: number;
  snapshots: number;
  seed: number;
}

const DAY = 86_400_000;
/** The newest snapshot's instant: fixed, so a cached folder is the same data on every machine. */
const NEWEST = Date.parse("2026-11-30T06:00:00.000Z");

/** A folder name that changes whenever the data would (bump the version when this generator changes). */
export const shapeKey = (s: FleetShape) => `v1-c${s.connectors}-u${s.users}-s${s.snapshots}-seed${s.seed}`;

/** A stable number in [0, 1) from a key: per-person, per-snapshot choices without a shared PRNG stream. */
const unit = (key: string) => hashString(key) / 4294967296;

/** The shared pool's people: one account ID, name and email wherever they appear. */
function poolPerson(seed: number, k: number): { accountId: string; displayName: string; email: string } {
  const first = FIRST_NAMES[k % FIRST_NAMES.length]!;
  const last = LAST_NAMES[Math.floor(k / FIRST_NAMES.length) % LAST_NAMES.length]!;
  return { accountId: `5pool${seed.toString(16)}${k.toString(16).padStart(16, "0")}`.slice(0, 24), displayName: `${first} ${last}`, email: `${first}.${last}.${k}@pool.example.com`.toLowerCase() };
}

/** Writes every connector's snapshots under `dir` (which must be empty or absent); returns files and bytes. */
export async function generateFleet(dir: string, shape: FleetShape, log: (line: string) => void = () => undefined): Promise<{ files: number; bytes: number }> {
  const sink = new LocalDirectorySink(dir);
  const poolSize = Math.max(1, Math.round(shape.users * 2));
  for (let c = 0; c < shape.connectors; c++) {
    const name = `site-${String(c).padStart(3, "0")}`;
    const site = generateSite(shape.seed, { name, users: shape.users, issues: 200, auditRecords: 50 }, NEWEST);
    const taken = new Set(site.users.map((u) => u.accountId));
    // A third of the people (never the first two, who are already the emulator's shared admin and member).
    for (let i = 2; i < site.users.length; i += 3) {
      const user = site.users[i]!;
      if (user.accountType !== "atlassian") continue;
      const person = poolPerson(shape.seed, hashString(`${c}:${i}`) % poolSize);
      if (taken.has(person.accountId)) continue;
      taken.add(person.accountId);
      site.activity.plans.set(person.accountId, site.activity.plans.get(user.accountId)!);
      Object.assign(user, { accountId: person.accountId, displayName: person.displayName, email: person.email });
    }
    const org = c % 2 === 0;
    const pricing = c % 3 === 0 ? { currency: "USD", monthlyPerSeat: { "jira-software": 8.6, "jira-servicedesk": 23.5 } } : undefined;
    for (let s = 0; s < shape.snapshots; s++) {
      const at = NEWEST - (shape.snapshots - 1 - s) * 7 * DAY;
      // The site grows 10 % over the period: later indices have not joined yet in early snapshots.
      const present = Math.round(site.users.length * (0.9 + (0.1 * (s + 1)) / shape.snapshots));
      await writeSnapshot(sink, name, new Date(at), site.users.slice(0, present), site.applicationRoles as unknown as ApplicationRole[], site.license, site.activity.plans, { org, pricing, newest: s === shape.snapshots - 1 });
    }
    log(`  ${name}: ${shape.snapshots} snapshot(s)`);
  }
  return countFiles(dir);
}

type Plans = ReturnType<typeof generateSite>["activity"]["plans"];

async function writeSnapshot(
  sink: LocalDirectorySink,
  name: string,
  at: Date,
  users: SeedUser[],
  roles: ApplicationRole[],
  license: { applications: { id: string; plan: string }[] },
  plans: Plans,
  options: { org: boolean; newest: boolean; pricing: { currency: string; monthlyPerSeat: Record<string, number> } | undefined },
): Promise<void> {
  const now = at.getTime();
  const present = new Set(users.map((u) => u.accountId));
  const memberships = new Map<string, string[]>();
  for (const role of roles) for (const group of role.groups) memberships.set(group, []);
  for (const user of users) for (const g of user.groups) memberships.get(g.name)?.push(user.accountId);
  const activity = new Map<string, UserActivity>();
  for (const user of users) {
    const plan = plans.get(user.accountId);
    if (!plan || user.accountType !== "atlassian") continue;
    // With an org key, page views count too (readers act on nothing but do view pages).
    const views = options.org ? Object.values(plan.pageViews).filter((v): v is number => v !== null) : [];
    const latest = Math.max(plan.last ?? -Infinity, ...views);
    if (latest === -Infinity) continue;
    // The plan's last activity is as of the newest snapshot; earlier snapshots see an earlier one.
    const regular = plan.profile === "contributor" || plan.profile === "reader";
    const last = latest <= now ? latest : now - (regular ? unit(`${user.accountId}:${now}`) * 20 : 90 + unit(`${user.accountId}:${now}`) * 60) * DAY;
    const source = latest === plan.last ? "audit" : "org-last-active";
    activity.set(user.accountId, { lastActivityAt: new Date(Math.floor(last)).toISOString(), lastActivitySource: source, detail: source === "audit" ? "audit: User logged in" : "org: last active date" });
  }
  const holders = seatHolders(roles, memberships, new Map(users.map((u) => [u.accountId, { accountId: u.accountId, accountType: u.accountType, active: u.active, displayName: u.displayName, emailAddress: u.emailVisible ? (u.email ?? null) : null }])));
  const report = seatReport({
    roles,
    holders,
    activity,
    asOf: at,
    license: license as never,
    evidence: planEvidence({ kind: "api-token" }, options.org),
    ...(options.org ? { pageViewsCover: present } : {}),
    ...(options.pricing ? { pricing: options.pricing } : {}),
  });
  const writer = new SnapshotWriter(sink, name, at);
  const productsByGroup = new Map<string, string[]>();
  for (const role of roles) for (const g of role.groups) productsByGroup.set(g, [...(productsByGroup.get(g) ?? []), role.key]);
  // The same record shape as collector/user-stream.ts writes.
  const out = writer.users<Record<string, unknown>>();
  for (const user of users) {
    const groups = user.groups.map((g) => g.name).filter((g) => productsByGroup.has(g)).sort();
    const products = [...new Set(groups.flatMap((g) => productsByGroup.get(g)!))].sort();
    const seen = activity.get(user.accountId);
    await out.write({
      accountId: user.accountId,
      accountType: user.accountType,
      active: user.active,
      displayName: user.displayName,
      emailAddress: user.emailVisible ? (user.email ?? null) : null,
      grantingGroups: groups,
      products: products.map((key) => ({ key, via: groups.filter((g) => productsByGroup.get(g)!.includes(key)) })),
      lastActivityAt: seen?.lastActivityAt ?? null,
      lastActivitySource: seen?.lastActivitySource ?? "none",
    });
  }
  await out.close();
  const activityOut = writer.activity<Record<string, unknown>>();
  for (const [accountId, seen] of activity) await activityOut.write({ accountId, ...seen });
  await activityOut.close();
  await writer.writeJson("subscriptions.json", { connectorName: name, roles, license });
  // seat-report.json in full (pretty-printed, ~4 MB at 10k users) only in each connector's newest snapshot, the one
  // `report` reads; older ones keep the figures without the per-person lists. No fleet view reads this file, and
  // 600 full copies would be 2.4 GB of cache for nothing.
  const { people, removalPlan, ...figures } = report;
  await writer.writeJson("seat-report.json", { connectorName: name, ...(options.newest ? { ...figures, people, removalPlan } : { ...figures, peopleInFleetTable: people.length }) });
  await writeFleetTables(writer, report, roles);
  await writer.finish({ complete: true, reasons: [], generatedBy: "bench/fleet-generate.ts" });
}

function countFiles(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}
