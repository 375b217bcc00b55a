/**
 * Opens a fleet folder (a `collect --out` directory, or a copy of the S3 bucket's `connectors/` tree) as an
 * in-memory DuckDB database holding only the fleet views, and runs read-only statements against it.
 *
 * Read-only in two layers: DuckDB's own sandbox (no file access outside the folder — `enable_external_access`
 * off with the folder as the one `allowed_directories` entry — and `lock_configuration`, so a query cannot turn it
 * back on), and a statement check (exactly one SELECT or EXPLAIN, which covers WITH, DESCRIBE, SHOW, SUMMARIZE
 * and PRAGMA queries), because the sandbox alone still lets `COPY … TO` write inside the folder. The database is
 * in memory, so even a permitted statement cannot change a file.
 */
import { promises as fs, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { DuckDBInstance, StatementType, type DuckDBConnection } from "@duckdb/node-api";
import { baseTables, fileTableSql, sqlString } from "./base-tables";
import { MANIFEST_FILE } from "../collector/snapshot/layout";
import { FleetError } from "./errors";
import { FILE_TABLES } from "./table-columns";
import { FLEET_VIEWS } from "./views";
import type { FleetProgress } from "./progress";

export interface QueryResult {
  columns: string[];
  /** JSON-friendly values: BIGINT as number when safe, else string; lists and structs as arrays and objects. */
  rows: Record<string, unknown>[];
}

export interface Fleet {
  root: string;
  /** `progress` hears DuckDB's percentage while the statement runs (polled; DuckDB reports none for quick ones). */
  query(sql: string, progress?: FleetProgress, stage?: string): Promise<QueryResult>;
  close(): void;
}

/** The files the tables read besides the manifest (subscriptions.json: roles). */
const DATA_FILES = Object.values(FILE_TABLES).map((t) => t.file).filter((file) => file !== MANIFEST_FILE);

/** Which data files any snapshot under `root` holds: a glob matching nothing is an error in DuckDB. */
async function scan(root: string, progress?: FleetProgress): Promise<{ manifests: number; present: Set<string> }> {
  const present = new Set<string>();
  let manifests = 0;
  const connectors = await fs.readdir(path.join(root, "connectors")).catch(() => [] as string[]);
  for (const connector of connectors) {
    const snapshots = await fs.readdir(path.join(root, "connectors", connector, "snapshots")).catch(() => [] as string[]);
    for (const snapshot of snapshots) {
      const files = await fs.readdir(path.join(root, "connectors", connector, "snapshots", snapshot)).catch(() => [] as string[]);
      if (files.includes("manifest.json")) manifests++, present.add("manifest.json");
      progress?.({ stage: "counting snapshots", done: manifests, unit: "snapshot(s)" });
      for (const file of DATA_FILES) if (files.includes(file)) present.add(file);
    }
  }
  return { manifests, present };
}

export interface OpenFleetOptions {
  progress?: FleetProgress;
  /** DuckDB's spelling (memory-limit.ts). */
  memoryLimit?: string;
  /**
   * Read the users, activity and people files of each connector's latest complete snapshot only (`is_latest`), not
   * of every snapshot: other snapshots have no rows in those tables and the views over them. Products, manifests and
   * roles are still read whole, so trends over snapshots stay right. What `fleet-report` needs, at a fraction of
   * the memory: DuckDB cannot skip files by a join's result, so `WHERE is_latest` alone still reads every file.
   */
  latestOnly?: boolean;
}

/** The tables `latestOnly` narrows: the files that grow with a site's users. */
const LATEST_ONLY_TABLES = [FILE_TABLES.users, FILE_TABLES.activity, FILE_TABLES.people];

export async function openFleet(dir: string, options: OpenFleetOptions = {}): Promise<Fleet> {
  const root = await fs.realpath(path.resolve(dir)).catch(() => {
    throw new FleetError("FLEET_FOLDER_MISSING", `${path.resolve(dir)} does not exist: pass the folder given to \`collect --out\` (it holds connectors/<name>/snapshots/).`);
  });
  const { manifests, present } = await scan(root, options.progress);
  if (manifests === 0) {
    throw new FleetError("FLEET_NO_SNAPSHOTS", `${root} holds no snapshots (no connectors/<name>/snapshots/<collectedAt>/manifest.json): run \`jira-connector collect --out ${root} --site <site>\` first, or pass the folder that holds connectors/.`);
  }
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  // DuckDB spills big sorts and joins to `temp_directory`, by default `.tmp` in the working directory: a private
  // folder instead, removed on close, so a query never leaves files where the command was run.
  const spill = await fs.mkdtemp(path.join(os.tmpdir(), "jira-fleet-spill-"));
  const close = () => {
    connection.closeSync();
    instance.closeSync();
    rmSync(spill, { recursive: true, force: true });
  };
  try {
    options.progress?.({ stage: "creating views", done: manifests, unit: "snapshot(s)" });
    for (const table of baseTables(root, present)) await connection.run(`CREATE VIEW ${table.name} AS ${table.sql}`);
    for (const view of FLEET_VIEWS) await connection.run(`CREATE VIEW ${view.name} AS ${view.sql}`);
    if (options.latestOnly) await narrowToLatest(connection, root, present);
    // Progress is tracked only with the progress bar on; printing it stays off (DuckDB would write to stdout).
    await connection.run("SET enable_progress_bar = true; SET enable_progress_bar_print = false;");
    await connection.run(`SET temp_directory = ${sqlString(spill)};`);
    if (options.memoryLimit !== undefined) await connection.run(`SET memory_limit = ${sqlString(options.memoryLimit)};`);
    await connection.run(`SET allowed_directories = [${sqlString(`${root}/`)}]; SET enable_external_access = false; SET lock_configuration = true;`);
  } catch (error) {
    close();
    throw error;
  }
  return { root, query: (sql, progress, stage) => withProgress(connection, runReadOnly(connection, sql), progress, stage ?? "query"), close };
}

/**
 * Redefines the `LATEST_ONLY_TABLES` over the latest snapshots' files. Which snapshots are latest is the
 * `snapshots` view's own answer (from the manifests alone), so the rule is the one every query uses.
 */
async function narrowToLatest(connection: DuckDBConnection, root: string, present: ReadonlySet<string>): Promise<void> {
  const latest = (await connection.runAndReadAll("SELECT connector, snapshot_id FROM snapshots WHERE is_latest ORDER BY connector")).getRowObjectsJson() as { connector: string; snapshot_id: string }[];
  for (const table of LATEST_ONLY_TABLES) {
    const candidates = latest.map((s) => path.join(root, "connectors", s.connector, "snapshots", s.snapshot_id, table.file));
    // A snapshot of an older collector may lack a file kind: a listed file that does not exist is an error in DuckDB.
    const files = (await Promise.all(candidates.map((file) => fs.access(file).then(() => file, () => undefined)))).filter((f): f is string => f !== undefined);
    await connection.run(`CREATE OR REPLACE VIEW ${table.table} AS ${fileTableSql(root, table, present, files)}`);
  }
}

/** Polls DuckDB's query progress while `work` runs (the native call runs off the event loop, so timers fire). */
async function withProgress<T>(connection: DuckDBConnection, work: Promise<T>, progress: FleetProgress | undefined, stage: string): Promise<T> {
  if (!progress) return work;
  progress({ stage });
  const timer = setInterval(() => {
    const percent = connection.progress.percentage;
    progress(percent >= 0 ? { stage, percent } : { stage });
  }, 200);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

const READ_ONLY = new Set([StatementType.SELECT, StatementType.EXPLAIN]);

async function runReadOnly(connection: DuckDBConnection, sql: string): Promise<QueryResult> {
  let prepared;
  try {
    const statements = await connection.extractStatements(sql);
    if (statements.count !== 1) throw new FleetError("FLEET_BAD_SQL", `give exactly one statement (got ${statements.count}); run the others separately.`);
    prepared = await statements.prepare(0);
  } catch (error) {
    throw asSqlError(error);
  }
  if (!READ_ONLY.has(prepared.statementType)) {
    throw new FleetError("FLEET_READ_ONLY", `only queries run here (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN), not ${StatementType[prepared.statementType]}: the snapshots are evidence and stay as the collector wrote them.`);
  }
  try {
    const reader = await prepared.runAndReadAll();
    // getRowObjectsJson gives 64-bit integers (COUNT(*), seat counts) as strings; numbers when they fit exactly.
    const integers = reader.columnNames().filter((_, i) => /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT)$/.test(reader.columnTypes()[i].toString()));
    const rows = (reader.getRowObjectsJson() as Record<string, unknown>[]).map((row) => {
      for (const name of integers) if (typeof row[name] === "string" && Number.isSafeInteger(Number(row[name]))) row[name] = Number(row[name]);
      return row;
    });
    return { columns: reader.columnNames(), rows };
  } catch (error) {
    throw asSqlError(error);
  }
}

function asSqlError(error: unknown): Error {
  if (error instanceof FleetError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // DuckDB cannot spill here (no file access outside the snapshots): a query beyond the limit fails instead.
  if (/Out of Memory Error/i.test(message)) {
    return new FleetError("FLEET_OUT_OF_MEMORY", `the query needs more memory than DuckDB may use: ${message.split("\n")[0]} — raise --memory-limit, or narrow the query (about the latest snapshots: query --latest-only with WHERE is_latest).`);
  }
  return new FleetError("FLEET_BAD_SQL", `the query failed: ${message.split("\n")[0]} — fix the SQL; the views are ${FLEET_VIEWS.map((v) => v.name).join(", ")} (see README "Fleet").`);
}
