/** `jira-connector query` in-process over an emulated fleet: formats, read-only refusals and named errors. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { childEnv, runCli, runInProcess } from "../cli/helpers";
import { renderQueryResult } from "../../cli/query/format";
import { startFleet, type Fleet } from "./fixture";

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet();
  await fleet.collectAll();
}, 120_000);
afterAll(async () => fleet?.close());

const SEATS = "SELECT connector, product_key, seats_used FROM products WHERE is_latest ORDER BY connector, product_key";

test("--format table, csv and --json print the same rows", async () => {
  const json = await runInProcess(["query", SEATS, "--snapshots", fleet.dir, "--json"], {});
  expect(json.code).toBe(0);
  const doc = JSON.parse(json.stdout);
  expect(doc).toMatchObject({ ok: true, columns: ["connector", "product_key", "seats_used"], rowCount: 9 });
  const acmeSoftware = fleet.emu.site("acme").applicationRoles.find((r) => r.key === "jira-software")!;
  expect(doc.rows).toContainEqual({ connector: "acme", product_key: "jira-software", seats_used: acmeSoftware.numberOfSeats - acmeSoftware.remainingSeats });

  const csv = await runInProcess(["query", SEATS, "--snapshots", fleet.dir, "--format", "csv"], {});
  expect(csv.stdout.split("\r\n").filter(Boolean)).toEqual(["connector,product_key,seats_used", ...doc.rows.map((r: Record<string, unknown>) => `${r.connector},${r.product_key},${r.seats_used}`)]);

  const table = await runInProcess(["query", SEATS, "--snapshots", fleet.dir], {});
  expect(table.stdout.split("\n")[0]).toMatch(/^connector\s+product_key\s+seats_used$/);
  expect(table.stdout).toMatch(/\(9 rows\)\n$/);
});

test("statements that are not queries are refused, and nothing is written into the folder", async () => {
  const before = fs.readdirSync(fleet.dir, { recursive: true }).sort();
  for (const sql of [`COPY (SELECT 1) TO '${fleet.dir}/x.csv'`, "CREATE TABLE t AS SELECT 1", "SET enable_external_access = true"]) {
    const run = await runInProcess(["query", sql, "--snapshots", fleet.dir, "--json"], {});
    expect([sql, run.code, JSON.parse(run.stdout).error.code]).toEqual([sql, 2, "FLEET_READ_ONLY"]);
  }
  // DuckDB's sandbox: files outside the snapshot folder are out of reach even from a SELECT.
  const outside = await runInProcess(["query", "SELECT * FROM read_text('/etc/hostname')", "--snapshots", fleet.dir, "--json"], {});
  expect(JSON.parse(outside.stdout).error).toMatchObject({ code: "FLEET_BAD_SQL", message: expect.stringMatching(/disabled by configuration/) });
  expect(fs.readdirSync(fleet.dir, { recursive: true }).sort()).toEqual(before);
});

test("bad SQL, two statements, a missing folder and a folder without snapshots are named errors with the fix", async () => {
  const bad = await runInProcess(["query", "SELEC 1", "--snapshots", fleet.dir], {});
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/the query failed: .*syntax error.* fix the SQL; the views are .*inactive_seats/);
  const two = await runInProcess(["query", "SELECT 1; SELECT 2", "--snapshots", fleet.dir, "--json"], {});
  expect(JSON.parse(two.stdout).error).toMatchObject({ code: "FLEET_BAD_SQL", message: expect.stringMatching(/exactly one statement \(got 2\)/) });
  const missing = await runInProcess(["query", "SELECT 1", "--snapshots", path.join(fleet.dir, "nope"), "--json"], {});
  expect(JSON.parse(missing.stdout).error.code).toBe("FLEET_FOLDER_MISSING");
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-empty-"));
  try {
    const none = await runInProcess(["query", "SELECT 1", "--snapshots", empty], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/holds no snapshots .* run `jira-connector collect --out/);
  } finally {
    fs.rmSync(empty, { recursive: true });
  }
  const noFlag = await runInProcess(["query", "SELECT 1", "--json"], {});
  expect(JSON.parse(noFlag.stdout).error.code).toBe("MISSING_OPTION");
});

test("names from Jira are printed without terminal escapes in table and CSV; JSON keeps them; CSV neutralizes formulas", () => {
  const hostile = { columns: ["display_name", "n"], rows: [{ display_name: "=HYPERLINK(\u001b[31mx\u202e)", n: -3 }] };
  const table = renderQueryResult(hostile, "table");
  expect(table).not.toMatch(/[\u001b\u202e]/);
  const csv = renderQueryResult(hostile, "csv");
  expect(csv).not.toMatch(/[\u001b\u202e]/);
  expect(csv.split("\r\n")[1]).toBe("'=HYPERLINK(x),-3");
  expect(JSON.parse(renderQueryResult(hostile, "json")).rows[0].display_name).toBe(hostile.rows[0].display_name);
});

test("the README's Fleet examples run against the fleet and return rows", async () => {
  const readme = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Fleet"), readme.indexOf("## Sandbox"));
  const queries = [...section.matchAll(/^jira-connector query "([^"]+)" --snapshots \.\/snapshots(.*)$/gm)].map((m) => [m[1]!, ...m[2]!.trim().split(/\s+/).filter(Boolean)]);
  expect(queries.length).toBeGreaterThanOrEqual(4);
  for (const [sql, ...rest] of queries) {
    const run = await runInProcess(["query", sql!, "--snapshots", fleet.dir, ...rest], {});
    expect([sql, run.code, run.stderr]).toEqual([sql, 0, ""]);
    expect(run.stdout.trim().split(/\r?\n/).length).toBeGreaterThan(1);
  }
});

test("through the built binary: the native DuckDB binding loads and the JSON document is the same as in-process", async () => {
  const built = await runCli(["query", SEATS, "--snapshots", fleet.dir, "--json"], childEnv({}));
  expect([built.code, built.stderr]).toEqual([0, ""]);
  const inProcess = await runInProcess(["query", SEATS, "--snapshots", fleet.dir, "--json"], {});
  expect(JSON.parse(built.stdout)).toEqual(JSON.parse(inProcess.stdout));
});

test("--memory-limit caps DuckDB: the setting is in force, a query beyond it is FLEET_OUT_OF_MEMORY, a bad value a named error", async () => {
  const setting = await runInProcess(["query", "SELECT current_setting('memory_limit') AS limit_", "--snapshots", fleet.dir, "--memory-limit", "256MiB", "--json"], {});
  expect(setting.code).toBe(0);
  expect(JSON.parse(setting.stdout).rows[0].limit_).toMatch(/^256(\.0)? ?MiB$/);
  // One aggregate value of ~250 MB cannot be spilled to disk: beyond 64 MiB the query fails, with the fix.
  const big = await runInProcess(["query", "SELECT length(string_agg(range::VARCHAR, ',')) AS n FROM range(30000000)", "--snapshots", fleet.dir, "--memory-limit", "64MiB", "--json"], {});
  expect(big.code).toBe(2);
  expect(JSON.parse(big.stdout).error).toMatchObject({ code: "FLEET_OUT_OF_MEMORY", message: expect.stringMatching(/raise --memory-limit/) });
  for (const value of ["lots", "2", "10MB", "-1GB", "1e3GB"]) {
    const bad = await runInProcess(["query", "SELECT 1", "--snapshots", fleet.dir, "--memory-limit", value, "--json"], {});
    expect([value, bad.code, JSON.parse(bad.stdout).error.code]).toEqual([value, 2, "FLEET_MEMORY_LIMIT"]);
  }
}, 60_000);

test("a sort bigger than the memory limit spills to a private folder that is removed afterwards ", async () => {
  // A temporary directory of this test's own (os.tmpdir() follows TMPDIR): other suites' spill folders never mix in.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spill-test-"));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    const sorted = await runInProcess(["query", "SELECT max(s) AS m FROM (SELECT range::VARCHAR || 'x' AS s FROM range(20000000) ORDER BY s)", "--snapshots", fleet.dir, "--memory-limit", "64MiB", "--json"], {});
    expect(sorted.code).toBe(0);
    expect(JSON.parse(sorted.stdout).rows).toEqual([{ m: "9x" }]); // string order
    expect(fs.readdirSync(tmp)).toEqual([]);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 60_000);

// Last: it adds a second snapshot per connector.
test("--latest-only: users of the latest snapshots only, the latest's rows as without it", async () => {
  await fleet.collectAll(86_400_000);
  const count = async (sql: string, ...flags: string[]) => JSON.parse((await runInProcess(["query", sql, "--snapshots", fleet.dir, "--json", ...flags], {})).stdout).rows;
  const snapshots = "SELECT COUNT(DISTINCT snapshot_id) AS n FROM users";
  expect(await count(snapshots)).toEqual([{ n: 6 }]);
  expect(await count(snapshots, "--latest-only")).toEqual([{ n: 3 }]);
  const holders = "SELECT connector, COUNT(*) AS n FROM seat_holders WHERE is_latest GROUP BY connector ORDER BY connector";
  expect(await count(holders, "--latest-only")).toEqual(await count(holders));
});
