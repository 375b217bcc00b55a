/** The fleet views over three emulated sites, two complete snapshots each, against the emulator's own truth. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gunzipSync } from "zlib";
import { ACTION_SOURCES, latestVisible } from "../support/atlassian-emulator";
import { openFleet, type Fleet as OpenFleet } from "../../fleet/open";
import { SHARED_BASE_VIEWS } from "../../fleet/base-views";
import { FLEET_VIEWS } from "../../fleet/views";
import { REPORT_QUERIES } from "../../fleet/report-queries";
import { FLEET_SITES, startFleet, type Fleet } from "./fixture";

const DAY = 86_400_000;
let fleet: Fleet;
let db: OpenFleet;
beforeAll(async () => {
  fleet = await startFleet();
  await fleet.collectAll();
  await fleet.collectAll(DAY);
  db = await openFleet(fleet.dir);
}, 120_000);
afterAll(async () => {
  db?.close();
  await fleet?.close();
});

/** Active, human members of the groups that grant each product: who holds a seat, per the emulator. */
function holders(site: string): Map<string, Set<string>> {
  const s = fleet.emu.site(site);
  const byProduct = new Map<string, Set<string>>();
  for (const role of s.applicationRoles) {
    const people = new Set<string>();
    for (const group of role.groups) for (const u of s.groupsByName.get(group)?.members ?? []) if (u.active && u.accountType === "atlassian") people.add(u.accountId);
    byProduct.set(role.key, people);
  }
  return byProduct;
}

test("every view exists with its documented columns", async () => {
  for (const view of FLEET_VIEWS) {
    const described = await db.query(`DESCRIBE ${view.name}`);
    expect([view.name, described.rows.map((r) => r.column_name)]).toEqual([view.name, [...view.columns]]);
  }
});

test("connectors and snapshots: two complete snapshots per site, the newest one flagged latest, as latest.json says", async () => {
  const connectors = await db.query("SELECT connector, snapshots, latest_snapshot_id FROM connectors ORDER BY connector");
  expect(connectors.rows.map((r) => [r.connector, r.snapshots])).toEqual(FLEET_SITES.map((s) => [s, 2]));
  for (const row of connectors.rows) {
    const latest = JSON.parse(fs.readFileSync(path.join(fleet.dir, "connectors", String(row.connector), "latest.json"), "utf8"));
    expect(row.latest_snapshot_id).toBe(latest.snapshotId);
  }
  const flags = await db.query("SELECT connector, SUM(CASE WHEN is_latest THEN 1 ELSE 0 END) AS latest FROM snapshots GROUP BY connector ORDER BY connector");
  expect(flags.rows.map((r) => Number(r.latest))).toEqual([1, 1, 1]);
});

test("products: seats purchased and used per site and product are the emulator's application roles", async () => {
  const result = await db.query("SELECT connector, product_key, seats_purchased, seats_used FROM products WHERE is_latest ORDER BY connector, product_key");
  const expected = FLEET_SITES.flatMap((site) =>
    [...fleet.emu.site(site).applicationRoles]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((role) => ({ connector: site, product_key: role.key, seats_purchased: role.numberOfSeats, seats_used: holders(site).get(role.key)!.size })),
  );
  expect(result.rows).toEqual(expected);
  // The same truth from the people side: distinct seat holders per product.
  const fromHolders = await db.query("SELECT connector, product_key, COUNT(DISTINCT account_id) AS n FROM seat_holders WHERE is_latest GROUP BY connector, product_key ORDER BY connector, product_key");
  expect(fromHolders.rows.map((r) => r.n)).toEqual(expected.map((e) => e.seats_used));
});

test("seat_holders: the admin's one Atlassian account holds every product on all three sites, granted by site-admins too", async () => {
  const admin = fleet.emu.site("acme").admin.accountId;
  for (const site of FLEET_SITES) expect(fleet.emu.site(site).admin.accountId).toBe(admin);
  const everywhere = await db.query(
    "SELECT account_id FROM seat_holders WHERE is_latest GROUP BY account_id HAVING COUNT(DISTINCT connector) = 3 ORDER BY account_id",
  );
  const truth = [...holders("acme").values()].flatMap((s) => [...s]).filter((id) => FLEET_SITES.every((site) => [...holders(site).values()].some((p) => p.has(id))));
  expect(everywhere.rows.map((r) => r.account_id)).toEqual([...new Set(truth)].sort());
  expect(everywhere.rows.map((r) => r.account_id)).toContain(admin);
  const groups = await db.query(`SELECT DISTINCT granting_group FROM seat_holders WHERE is_latest AND account_id = '${admin}' AND connector = 'globex' ORDER BY 1`);
  expect(groups.rows.map((r) => r.granting_group)).toContain("site-admins");
});

test("seat_holders: per snapshot, exactly the collector's own product lines (users' products[].via), from granting groups and roles", async () => {
  const expected: string[] = [];
  for (const connector of FLEET_SITES) {
    for (const id of fs.readdirSync(path.join(fleet.dir, "connectors", connector, "snapshots"))) {
      const text = gunzipSync(fs.readFileSync(path.join(fleet.dir, "connectors", connector, "snapshots", id, "users.ndjson.gz"))).toString("utf8");
      for (const line of text.split("\n").filter(Boolean)) {
        const u = JSON.parse(line) as { accountId: string; active: boolean; accountType: string; products: { key: string; via: string[] }[] };
        if (!u.active || u.accountType !== "atlassian") continue;
        for (const p of u.products) for (const g of p.via) expected.push([connector, id, u.accountId, p.key, g].join(" "));
      }
    }
  }
  const rows = (await db.query("SELECT connector, snapshot_id, account_id, product_key, granting_group FROM seat_holders")).rows;
  expect(expected.length).toBeGreaterThan(0);
  expect(rows.map((r) => [r.connector, r.snapshot_id, r.account_id, r.product_key, r.granting_group].join(" ")).sort()).toEqual(expected.sort());
});

test("inactive_seats: only seat holders, never anyone the emulator shows acting within the 90-day window", async () => {
  const rows = (await db.query("SELECT connector, collected_at, account_id, product_key, evidence, evidence_strength FROM inactive_seats WHERE is_latest")).rows;
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    const site = String(row.connector);
    expect(holders(site).get(String(row.product_key))?.has(String(row.account_id))).toBe(true);
    const truth = fleet.emu.site(site).activityTruth().get(String(row.account_id));
    const seen = truth ? latestVisible(truth, ACTION_SOURCES) : null;
    const windowStart = Date.parse(String(row.collected_at)) - 90 * DAY;
    expect({ account: row.account_id, recent: seen !== null && seen >= windowStart }).toEqual({ account: row.account_id, recent: false });
    expect(row.evidence_strength).toBe(row.evidence === "inactive" ? "removable" : "not proven idle");
  }
  // Costs where prices are known (acme), NULL elsewhere; the same figures as the seat report.
  expect(rows.some((r) => r.connector === "acme")).toBe(true);
  const costs = (await db.query("SELECT DISTINCT connector, account_id, person_monthly_cost FROM inactive_seats WHERE is_latest")).rows;
  for (const c of costs) expect([c.connector, c.person_monthly_cost === null]).toEqual([c.connector, c.connector !== "acme"]);
  const acmeLatest = JSON.parse(fs.readFileSync(path.join(fleet.dir, "connectors", "acme", "latest.json"), "utf8"));
  const acmeReport = JSON.parse(fs.readFileSync(path.join(fleet.dir, acmeLatest.snapshotPrefix, "seat-report.json"), "utf8"));
  expect(costs.filter((c) => c.connector === "acme").map((c) => [c.account_id, c.person_monthly_cost]).sort()).toEqual(
    acmeReport.people.map((p: { accountId: string; monthlyCost: number }) => [p.accountId, p.monthlyCost]).sort(),
  );
  // Per site, the view lists exactly the seat report's people.
  for (const site of FLEET_SITES) {
    const latest = JSON.parse(fs.readFileSync(path.join(fleet.dir, "connectors", site, "latest.json"), "utf8"));
    const report = JSON.parse(fs.readFileSync(path.join(fleet.dir, latest.snapshotPrefix, "seat-report.json"), "utf8"));
    const expected = report.people.flatMap((p: { accountId: string; seats: { productKey: string }[] }) => p.seats.map((s) => `${p.accountId} ${s.productKey}`)).sort();
    expect(rows.filter((r) => r.connector === site).map((r) => `${r.account_id} ${r.product_key}`).sort()).toEqual(expected);
  }
});

test("activity and users: one row per line of each snapshot's files", async () => {
  const users = await db.query("SELECT connector, COUNT(*) AS n FROM users WHERE is_latest GROUP BY connector ORDER BY connector");
  expect(users.rows.map((r) => r.n)).toEqual(FLEET_SITES.map((s) => fleet.emu.site(s).users.length));
  const activity = await db.query("SELECT connector, snapshot_id, COUNT(*) AS n FROM activity WHERE is_latest GROUP BY connector, snapshot_id ORDER BY connector");
  for (const row of activity.rows) {
    const lines = gunzipSync(fs.readFileSync(path.join(fleet.dir, "connectors", String(row.connector), "snapshots", String(row.snapshot_id), "activity.ndjson.gz"))).toString("utf8").split("\n").filter(Boolean);
    expect(row.n).toBe(lines.length);
  }
  expect(activity.rows).toHaveLength(3);
});

test("a partial snapshot (complete: false) is in no view and never the latest, even when newer", async () => {
  const latest = JSON.parse(fs.readFileSync(path.join(fleet.dir, "connectors", "acme", "latest.json"), "utf8"));
  const source = path.join(fleet.dir, latest.snapshotPrefix);
  const partialId = "2099-01-01T00-00-00.000Z";
  const partial = path.join(fleet.dir, "connectors", "acme", "snapshots", partialId);
  fs.cpSync(source, partial, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(partial, "manifest.json"), "utf8"));
  fs.writeFileSync(path.join(partial, "manifest.json"), JSON.stringify({ ...manifest, complete: false, collectedAt: "2099-01-01T00:00:00.000Z", snapshotId: partialId }));
  const again = await openFleet(fleet.dir);
  try {
    for (const view of ["snapshots", "products", "users", "seat_holders", "activity", "inactive_seats"]) {
      const rows = (await again.query(`SELECT COUNT(*) AS n FROM ${view} WHERE snapshot_id = '${partialId}'`)).rows;
      expect([view, rows[0]!.n]).toEqual([view, 0]);
    }
    expect((await again.query("SELECT snapshots, latest_snapshot_id FROM connectors WHERE connector = 'acme'")).rows).toEqual([{ snapshots: 2, latest_snapshot_id: latest.snapshotId }]);
  } finally {
    again.close();
    fs.rmSync(partial, { recursive: true });
  }
});

test("a folder without latest.json (a copied snapshot): the views open, and its newest complete snapshot is the latest", async () => {
  const latest = JSON.parse(fs.readFileSync(path.join(fleet.dir, "connectors", "acme", "latest.json"), "utf8"));
  const alone = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-no-latest-"));
  try {
    fs.cpSync(path.join(fleet.dir, latest.snapshotPrefix), path.join(alone, latest.snapshotPrefix), { recursive: true });
    const db2 = await openFleet(alone);
    try {
      // Latest is derived from the manifests (as in Athena, which has no latest.json table), not read from a pointer.
      expect((await db2.query("SELECT COUNT(*) AS n, SUM(CASE WHEN is_latest THEN 1 ELSE 0 END) AS latest FROM snapshots")).rows).toEqual([{ n: 1, latest: 1 }]);
      expect((await db2.query("SELECT latest_snapshot_id FROM connectors")).rows).toEqual([{ latest_snapshot_id: latest.snapshotId }]);
    } finally {
      db2.close();
    }
  } finally {
    fs.rmSync(alone, { recursive: true, force: true });
  }
});

test("a snapshot of an older collector (no people/products NDJSON, no roles copy) has users and seat holders but no products or inactive_seats rows", async () => {
  const latest = JSON.parse(fs.readFileSync(path.join(fleet.dir, "connectors", "globex", "latest.json"), "utf8"));
  const oldId = "2020-01-01T00-00-00.000Z";
  const old = path.join(fleet.dir, "connectors", "globex", "snapshots", oldId);
  fs.cpSync(path.join(fleet.dir, latest.snapshotPrefix), old, { recursive: true });
  for (const file of ["people.ndjson.gz", "products.ndjson.gz"]) fs.rmSync(path.join(old, file));
  const manifest = JSON.parse(fs.readFileSync(path.join(old, "manifest.json"), "utf8"));
  fs.writeFileSync(path.join(old, "manifest.json"), JSON.stringify({ ...manifest, collectedAt: "2020-01-01T00:00:00.000Z", snapshotId: oldId }));
  const again = await openFleet(fleet.dir);
  try {
    const count = async (view: string) => (await again.query(`SELECT COUNT(*) AS n FROM ${view} WHERE snapshot_id = '${oldId}'`)).rows[0]!.n;
    expect(await count("snapshots")).toBe(1);
    expect(await count("users")).toBe(fleet.emu.site("globex").users.length);
    // The laptop reads roles from subscriptions.json, which every collector wrote.
    const holdersThen = (await again.query(`SELECT COUNT(*) AS n FROM seat_holders WHERE snapshot_id = '${latest.snapshotId}'`)).rows[0]!.n;
    expect([await count("seat_holders"), Number(holdersThen) > 0]).toEqual([holdersThen, true]);
    expect(await count("products")).toBe(0);
    expect(await count("inactive_seats")).toBe(0);
  } finally {
    again.close();
    fs.rmSync(old, { recursive: true });
  }
});

test("the view bodies stay in the DuckDB ∩ Trino subset: no DuckDB-only syntax, UNNEST only as CROSS JOIN UNNEST … AS t(x)", () => {
  const duckdbOnly = [/::/, /->>?/, /\blist_\w+\s*\(/i, /\bread_(n?d?json|text|csv|parquet)\b/i, /\bstruct_/i, /\[/, /\bregexp_extract\b/i, /\bstring_agg\b/i, /\bQUALIFY\b/i, /\bEXCLUDE\b/i];
  for (const view of [...SHARED_BASE_VIEWS, ...FLEET_VIEWS]) {
    for (const pattern of duckdbOnly) expect([view.name, pattern.test(view.sql)]).toEqual([view.name, false]);
    for (const use of view.sql.match(/\S+\s+UNNEST\s*\([^)]*\)\s+AS\s+\w+\(\w+\)/gi) ?? []) expect(use).toMatch(/^JOIN UNNEST/i);
    expect((view.sql.match(/UNNEST/gi) ?? []).length).toBe((view.sql.match(/CROSS JOIN UNNEST\s*\([\w.]+\)\s+AS\s+\w+\(\w+\)/gi) ?? []).length);
  }
});

test("latestOnly reads the big files of the latest snapshots only: the report's queries answer exactly as over every file", async () => {
  // An older collector's latest snapshot without activity: a listed file that is missing must not fail the open.
  const latest = JSON.parse(fs.readFileSync(path.join(fleet.dir, "connectors", "initech", "latest.json"), "utf8"));
  const activity = path.join(fleet.dir, latest.snapshotPrefix, "activity.ndjson.gz");
  const kept = fs.readFileSync(activity);
  fs.rmSync(activity);
  const full = await openFleet(fleet.dir);
  const narrow = await openFleet(fleet.dir, { latestOnly: true });
  try {
    for (const query of Object.values(REPORT_QUERIES)) expect([query.name, (await narrow.query(query.sql)).rows]).toEqual([query.name, (await full.query(query.sql)).rows]);
    for (const view of ["users", "seat_holders", "inactive_seats"]) {
      const latestRows = `SELECT COUNT(*) AS n FROM ${view} WHERE is_latest`;
      expect([view, (await narrow.query(latestRows)).rows]).toEqual([view, (await full.query(latestRows)).rows]);
      expect([view, (await narrow.query(`SELECT COUNT(*) AS n FROM ${view} WHERE NOT is_latest`)).rows]).toEqual([view, [{ n: 0 }]]);
    }
    // Every connector's latest users are read; two snapshots each in the full view.
    expect((await narrow.query("SELECT COUNT(DISTINCT snapshot_id) AS n FROM users")).rows).toEqual([{ n: FLEET_SITES.length }]);
    expect((await full.query("SELECT COUNT(DISTINCT snapshot_id) AS n FROM users")).rows).toEqual([{ n: 2 * FLEET_SITES.length }]);
    expect((await narrow.query("SELECT COUNT(*) AS n FROM activity WHERE connector = 'initech'")).rows).toEqual([{ n: 0 }]);
    // Products and manifests stay whole: trends over snapshots are unchanged.
    expect((await narrow.query("SELECT COUNT(*) AS n FROM products WHERE NOT is_latest")).rows).toEqual((await full.query("SELECT COUNT(*) AS n FROM products WHERE NOT is_latest")).rows);
  } finally {
    narrow.close();
    full.close();
    fs.writeFileSync(activity, kept);
  }
});
