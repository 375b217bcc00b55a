/**
 * What Athena gets is what the laptop runs, over what the collector wrote: the collector's fleet-tables/ copies (the
 * Glue tables' objects) hold, in the Hive layout the tables project, exactly the snapshot folders' records plus their
 * snapshot id; every named query ConnectorFleet saves (the views' CREATE OR REPLACE VIEW, the fleet report's
 * queries) runs in DuckDB over those copies — the Glue tables stood in for by `read_ndjson` over
 * `fleet-tables/<kind>/connector=…/day=…/*.ndjson.gz` with Hive partitioning — and gives what `fleet-report`'s laptop path gives.
 */
import * as fs from "fs";
import * as path from "path";
import { gunzipSync } from "zlib";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { FLEET_TABLE_KINDS } from "../../collector/snapshot/layout";
import { athenaReportStatements, athenaViewStatements } from "../../fleet/athena-sql";
import { fileTableSql, fleetTableSql, tableFields } from "../../fleet/base-tables";
import { openFleet, type Fleet as OpenFleet } from "../../fleet/open";
import { REPORT_QUERIES } from "../../fleet/report-queries";
import { FILE_TABLES, type FileTable } from "../../fleet/table-columns";
import { FLEET_VIEWS } from "../../fleet/views";
import { startFleet, type Fleet } from "./fixture";

let fleet: Fleet;
let laptop: OpenFleet;
let instance: DuckDBInstance;
let athena: DuckDBConnection;
beforeAll(async () => {
  fleet = await startFleet();
  await fleet.collectAll();
  await fleet.collectAll(86_400_000);
  laptop = await openFleet(fleet.dir);
  instance = await DuckDBInstance.create(":memory:");
  athena = await instance.connect();
}, 120_000);
afterAll(async () => {
  athena?.closeSync();
  instance?.closeSync();
  laptop?.close();
  await fleet?.close();
});

const root = () => fs.realpathSync(fleet.dir);
/** Rows as openFleet gives them: 64-bit integers (counts, seat sums) as numbers. */
async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await athena.runAndReadAll(sql);
  const integers = reader.columnNames().filter((_, i) => reader.columnTypes()[i]!.toString() === "BIGINT" || reader.columnTypes()[i]!.toString() === "HUGEINT");
  return (reader.getRowObjectsJson() as Record<string, unknown>[]).map((row) => {
    for (const name of integers) if (typeof row[name] === "string") row[name] = Number(row[name]);
    return row;
  });
}

const parse = (file: string, text: string): Record<string, unknown>[] =>
  file.endsWith(".ndjson.gz") ? text.split("\n").filter(Boolean).map((line) => JSON.parse(line)) : [JSON.parse(text)];
/** The records a table holds of one snapshot file: its lines, the document, or (roles) the document's array, renamed. */
function records(table: FileTable, text: string): Record<string, unknown>[] {
  if (table.within === undefined) return parse(table.file, text);
  const elements = (JSON.parse(text) as Record<string, Record<string, unknown>[]>)[table.within]!;
  return elements.map((e) => Object.fromEntries(table.fields.map((x) => [x.field, e[x.source ?? x.field]])));
}
const read = (file: string): string => (file.endsWith(".gz") ? gunzipSync(fs.readFileSync(file)).toString("utf8") : fs.readFileSync(file, "utf8"));

/** Every snapshot the collector wrote: connector and snapshot id, from the folders. */
function snapshots(): { connector: string; id: string; dir: string }[] {
  return fs.readdirSync(path.join(fleet.dir, "connectors")).flatMap((connector) =>
    fs.readdirSync(path.join(fleet.dir, "connectors", connector, "snapshots")).map((id) => ({ connector, id, dir: path.join(fleet.dir, "connectors", connector, "snapshots", id) })));
}
const tableKey = (kind: string, connector: string, id: string) => `fleet-tables/${kind}/connector=${connector}/day=${id.slice(0, 10)}/${id}.ndjson.gz`;

test("the collector wrote one fleet table object per kind and snapshot, in the Hive layout, and nothing else under fleet-tables/", () => {
  const expected = snapshots().flatMap((s) => Object.values(FILE_TABLES).map((t) => tableKey(t.kind, s.connector, s.id)));
  expect(expected.length).toBe(3 * 2 * FLEET_TABLE_KINDS.length);
  const stored = (fs.readdirSync(path.join(fleet.dir, "fleet-tables"), { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(fleet.dir, "fleet-tables", f)).isFile())
    .map((f) => `fleet-tables/${f.split(path.sep).join("/")}`);
  expect(stored.sort()).toEqual(expected.sort());
  // day= is the snapshot's UTC date (collectedAt is the run's own clock, not the emulator's).
  for (const key of stored) expect(key.split("/")[3]).toBe(`day=${key.split("/")[4]!.slice(0, 10)}`);
});

test.each(Object.entries(FILE_TABLES as Record<string, FileTable>))("%s: the copies are the snapshot folder's records plus snapshotId, the declared fields exactly", (_, table) => {
  for (const s of snapshots()) {
    const original = records(table, read(path.join(s.dir, table.file)));
    expect(original.length).toBeGreaterThan(0);
    const copy = parse(".ndjson.gz", read(path.join(fleet.dir, tableKey(table.kind, s.connector, s.id))));
    expect(copy).toEqual(original.map((r) => ({ ...r, snapshotId: s.id })));
    const declared = tableFields(table).map((x) => x.field).sort();
    // NDJSON records carry exactly the declared fields; a manifest carries more (the SerDe ignores the rest).
    for (const record of copy) {
      if (table.lines || table.within !== undefined) expect(Object.keys(record).sort()).toEqual(declared);
      else expect(declared.filter((k) => !(k in record))).toEqual([]);
    }
  }
});

test("the DuckDB stand-ins have the Glue tables' columns and partition keys, and the laptop tables' rows", async () => {
  for (const table of Object.values(FILE_TABLES)) {
    await athena.run(`CREATE VIEW ${table.table} AS ${fleetTableSql(root(), table)}`);
    const described = await rows(`DESCRIBE ${table.table}`);
    expect(described.map((r) => String(r.column_name).toLowerCase())).toEqual([...tableFields(table).map((x) => x.field.toLowerCase()), "connector", "day"]);
    const columns = [...tableFields(table).map((x) => x.field), "connector"].join(", ");
    const fromCopies = await rows(`SELECT ${columns} FROM ${table.table} ORDER BY ALL`);
    const fromFolders = await rows(`SELECT ${columns} FROM (${fileTableSql(root(), table, new Set([table.file]))}) ORDER BY ALL`);
    expect(fromCopies.length).toBeGreaterThan(0);
    expect([table.table, fromCopies]).toEqual([table.table, fromFolders]);
    // day is the snapshot's UTC date: what a query filters on to read fewer partitions.
    expect(await rows(`SELECT COUNT(*) AS n FROM ${table.table} WHERE day <> substr(snapshotid, 1, 10)`)).toEqual([{ n: 0 }]);
  }
});

test("every create-view named query runs in DuckDB as Athena gets it, unchanged (no view is written per engine)", async () => {
  for (const statement of athenaViewStatements()) await athena.run(statement.sql);
  const views = await rows("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name");
  expect(views.length).toBe(athenaViewStatements().length + Object.keys(FILE_TABLES).length);
});

test("every fleet-report named query gives in the Athena-form views exactly what fleet-report's laptop path gives", async () => {
  const report = athenaReportStatements();
  expect(report.map((s) => s.sql)).toEqual(Object.values(REPORT_QUERIES).map((q) => q.sql));
  for (const statement of report) {
    const expected = (await laptop.query(statement.sql)).rows;
    const got = await rows(statement.sql);
    expect(got.length).toBeGreaterThan(0);
    expect([statement.name, got]).toEqual([statement.name, expected]);
  }
});

test("every fleet view has the same rows over the Athena-form base views as on the laptop", async () => {
  for (const view of FLEET_VIEWS) {
    const sql = `SELECT * FROM ${view.name} ORDER BY ALL`;
    expect([view.name, await rows(sql)]).toEqual([view.name, (await laptop.query(sql)).rows]);
  }
});

test("the named queries stay in the DuckDB ∩ Trino subset (no DuckDB-only syntax)", () => {
  const duckdbOnly = [/::/, /->>?/, /\blist_\w+\s*\(/i, /\bread_(n?d?json|text|csv|parquet)\b/i, /\bstruct_/i, /\[/, /\bstring_agg\b/i, /\bQUALIFY\b/i, /\bEXCLUDE\b/i, /"\$path"/, /\bunnest\s*\([^)]*\)\s+AS\s+\w+\s*(,|FROM|$)/i, /\bfilename\b/];
  for (const statement of [...athenaViewStatements(), ...athenaReportStatements()]) {
    // String literals (the regular expressions' brackets) are not syntax.
    const sql = statement.sql.replace(/'(?:[^']|'')*'/g, "''");
    for (const pattern of duckdbOnly) expect([statement.name, String(pattern), pattern.test(sql)]).toEqual([statement.name, String(pattern), false]);
    // Trino's UNNEST is a relation: only as CROSS JOIN UNNEST(…) AS t(columns).
    expect((statement.sql.match(/UNNEST/gi) ?? []).length).toBe((statement.sql.match(/CROSS JOIN UNNEST\s*\([\w.]+\)\s+AS\s+\w+\([\w, ]+\)/gi) ?? []).length);
  }
});
