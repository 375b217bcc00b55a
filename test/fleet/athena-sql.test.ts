/**
 * What Athena gets is what the laptop runs: the Glue tables' columns are the fields the collector writes, and every
 * named query ConnectorFleet saves (the views' CREATE OR REPLACE VIEW, the fleet report's queries) runs in DuckDB
 * over the fixture's snapshots — with the Glue tables stood in for by DuckDB views of the same names and columns —
 * and gives what `fleet-report`'s own path gives.
 */
import * as fs from "fs";
import * as path from "path";
import { gunzipSync } from "zlib";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { athenaReportStatements, athenaViewStatements } from "../../fleet/athena-sql";
import { fileTableSql, baseTables } from "../../fleet/base-tables";
import { openFleet, type Fleet as OpenFleet } from "../../fleet/open";
import { REPORT_QUERIES } from "../../fleet/report-queries";
import { BASE_VIEWS, FILE_TABLES } from "../../fleet/table-columns";
import { SHARED_BASE_VIEWS } from "../../fleet/base-views";
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

/** Every stored file of a kind, parsed: one record per line (NDJSON) or one document. */
function records(file: string, scope: "snapshot" | "connector"): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const connector of fs.readdirSync(path.join(fleet.dir, "connectors"))) {
    const dirs = scope === "connector" ? [path.join(fleet.dir, "connectors", connector)] : fs.readdirSync(path.join(fleet.dir, "connectors", connector, "snapshots")).map((s) => path.join(fleet.dir, "connectors", connector, "snapshots", s));
    for (const dir of dirs) {
      const at = path.join(dir, file);
      if (!fs.existsSync(at)) continue;
      const text = file.endsWith(".gz") ? gunzipSync(fs.readFileSync(at)).toString("utf8") : fs.readFileSync(at, "utf8");
      if (file.endsWith(".ndjson.gz")) out.push(...text.split("\n").filter(Boolean).map((line) => JSON.parse(line)));
      else out.push(JSON.parse(text));
    }
  }
  return out;
}

test.each(Object.entries(FILE_TABLES))("%s: the table's columns are the fields the collector writes, top level", (_, table) => {
  const found = records(table.file, table.scope);
  expect(found.length).toBeGreaterThan(0);
  // NDJSON records carry exactly the declared fields; a manifest or pointer document carries more (read-only here).
  const declared = table.fields.map((x) => x.field).sort();
  for (const record of found) {
    const keys = Object.keys(record);
    if (table.lines) expect(keys.sort()).toEqual(declared);
    else expect(declared.filter((k) => !keys.includes(k))).toEqual([]);
  }
});

test("the DuckDB stand-ins have the Glue tables' columns (plus the partition column and \"$path\")", async () => {
  const present = new Set(Object.values(FILE_TABLES).map((t) => t.file));
  for (const table of Object.values(FILE_TABLES)) {
    await athena.run(`CREATE VIEW ${table.table} AS ${fileTableSql(root(), table, present)}`);
    const described = await rows(`DESCRIBE ${table.table}`);
    expect(described.map((r) => String(r.column_name).toLowerCase())).toEqual([...table.fields.map((x) => x.field.toLowerCase()), "connector", "$path"]);
  }
});

test("every create-view named query runs in DuckDB as Athena gets it (user_product_lines: its DuckDB form, the one per-engine view)", async () => {
  const duckdbForm = baseTables(root(), new Set()).find((t) => t.name === "user_product_lines")!.sql;
  for (const statement of athenaViewStatements()) {
    const sql = statement.name.endsWith("-create-view-user_product_lines") ? `CREATE OR REPLACE VIEW user_product_lines AS\n${duckdbForm}` : statement.sql;
    await athena.run(sql);
  }
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

test("a table reading its connector's whole folder, as Athena's does, keeps its own file kind by \"$path\"", async () => {
  // Athena lists every file under a partition's location; the stand-ins above glob one file name. Here each NDJSON
  // table reads all NDJSON files (users, activity, people, products, checkpoints) and the base view must still
  // give exactly the laptop's rows.
  const whole = await instance.connect();
  try {
    for (const table of Object.values(FILE_TABLES)) {
      const sql = table.lines ? fileTableSql(root(), { ...table, file: "*.ndjson.gz" }, new Set(["*.ndjson.gz"])) : fileTableSql(root(), table, new Set([table.file]));
      await whole.run(`CREATE OR REPLACE TEMP VIEW ${table.table} AS ${sql}`);
    }
    for (const { name, sql } of SHARED_BASE_VIEWS) {
      const mixed = (await whole.runAndReadAll(`SELECT COUNT(*) AS n FROM (${sql.replace(/ WHERE .*$/s, "")})`)).getRowObjectsJson()[0]!.n;
      const own = (await whole.runAndReadAll(`SELECT * FROM (${sql}) ORDER BY ALL`)).getRowObjectsJson();
      const laptopRows = (await athena.runAndReadAll(`SELECT * FROM ${name} ORDER BY ALL`)).getRowObjectsJson();
      expect([name, own]).toEqual([name, laptopRows]);
      if (FILE_TABLES[BASE_VIEWS.find((v) => v.name === name)!.kind].lines) expect(Number(mixed)).toBeGreaterThan(own.length);
    }
  } finally {
    whole.closeSync();
  }
});

test("the named queries stay in the DuckDB ∩ Trino subset (no DuckDB-only syntax)", () => {
  const duckdbOnly = [/::/, /->>?/, /\blist_\w+\s*\(/i, /\bread_(n?d?json|text|csv|parquet)\b/i, /\bstruct_/i, /\[/, /\bstring_agg\b/i, /\bQUALIFY\b/i, /\bEXCLUDE\b/i, /\bunnest\s*\([^)]*\)\s+AS\s+\w+\s*(,|FROM|$)/i, /\bfilename\b/];
  for (const statement of [...athenaViewStatements(), ...athenaReportStatements()]) {
    // String literals (the regular expressions' brackets) are not syntax.
    const sql = statement.sql.replace(/'(?:[^']|'')*'/g, "''");
    for (const pattern of duckdbOnly) expect([statement.name, String(pattern), pattern.test(sql)]).toEqual([statement.name, String(pattern), false]);
    // Trino's UNNEST is a relation: only as CROSS JOIN UNNEST(…) AS t(columns).
    expect((statement.sql.match(/UNNEST/gi) ?? []).length).toBe((statement.sql.match(/CROSS JOIN UNNEST\s*\([\w.]+\)\s+AS\s+\w+\([\w, ]+\)/gi) ?? []).length);
  }
});
