/**
 * The DuckDB-specific layer: one view per file kind standing in for Athena's Glue table of the same name and
 * columns (table-columns.ts). The laptop reads the snapshot folders (`connectors/<name>/snapshots/<id>/<file>`), the
 * collector's truth, which every collector version wrote and which a copy of the bucket's `connectors/` tree holds;
 * `fleetTableSql` reads the `fleet-tables/` copies as Athena does (the tests run Athena's SQL over it). The base
 * views on top (base-views.ts) and the fleet views (views.ts) are the SQL Athena runs too: engine-specific SQL
 * (read_json, struct unnesting) stays in this layer.
 *
 * Columns are declared, not inferred: a field an older collector did not write reads as NULL, and the shape does not
 * depend on which files happen to be sampled.
 */
import { FLEET_TABLES_PREFIX } from "../collector/snapshot/layout";
import { SHARED_BASE_VIEWS } from "./base-views";
import { FILE_TABLES, duckdbType, SNAPSHOT_ID_FIELD, type Field, type FileTable } from "./table-columns";

/** A SQL string literal (DuckDB and Trino both double the quote). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The columns every table has: the snapshot id, then the file's own fields. */
export const tableFields = (table: FileTable): Field[] => [{ field: SNAPSHOT_ID_FIELD, type: "string" }, ...table.fields];

const columnsArg = (fields: readonly Field[]) => `columns = {${fields.map((x) => `${x.field}: ${sqlString(duckdbType(x.type))}`).join(", ")}}`;

/** A table of a kind no file has yet (an empty folder's activity): still its columns, as a glob matching nothing is an error. */
function noRows(fields: readonly Field[], extra: string[]): string {
  const nulls = fields.map((x) => `NULL::${duckdbType(x.type)} AS ${x.field}`);
  return `SELECT ${[...nulls, ...extra.map((c) => `NULL::VARCHAR AS ${c}`)].join(", ")} WHERE false`;
}

/**
 * The laptop's stand-in for one Glue table: over the snapshot folders, snapshot id and connector from the path.
 * `files`: only these (absolute paths of this table's file in chosen snapshots) instead of every snapshot's.
 */
export function fileTableSql(root: string, table: FileTable, present: ReadonlySet<string>, files?: readonly string[]): string {
  const own = table.fields;
  if (!present.has(table.file) || files?.length === 0) return noRows(tableFields(table), ["connector"]);
  const glob = files ? `[${files.map(sqlString).join(", ")}]` : sqlString(`${root}/connectors/*/snapshots/*/${table.file}`);
  const snapshotId = `regexp_extract(filename, '/snapshots/([^/]+)/[^/]+$', 1) AS ${SNAPSHOT_ID_FIELD}`;
  const connector = `regexp_extract(filename, '/connectors/([^/]+)/snapshots/[^/]+/[^/]+$', 1) AS connector`;
  if (table.within !== undefined) {
    // One row per element of the document's array (`unnest` of a struct list gives a struct per row), its fields
    // renamed to the copy's.
    const struct = `STRUCT(${own.map((x) => `${x.source ?? x.field} ${duckdbType(x.type)}`).join(", ")})[]`;
    const read = `read_json(${glob}, format = 'auto', filename = true, columns = {${table.within}: ${sqlString(struct)}})`;
    const fields = own.map((x) => `r.${x.source ?? x.field} AS ${x.field}`);
    return `SELECT ${[snapshotId, ...fields, connector].join(", ")} FROM (SELECT filename, unnest(${table.within}) AS r FROM ${read})`;
  }
  const read = table.lines
    ? `read_ndjson(${glob}, compression = 'gzip', filename = true, ${columnsArg(own)})`
    : `read_json(${glob}, format = 'auto', filename = true, ${columnsArg(own)})`;
  return `SELECT ${[snapshotId, ...own.map((x) => x.field), connector].join(", ")} FROM ${read}`;
}

/**
 * Athena's view of one Glue table in DuckDB: every `fleet-tables/<kind>/connector=…/day=…/*.ndjson.gz` under `root`,
 * with the Hive partitions as the string columns `connector` and `day` (as Glue declares them).
 */
export function fleetTableSql(root: string, table: FileTable, present = true): string {
  if (!present) return noRows(tableFields(table), ["connector", "day"]);
  const glob = sqlString(`${root}/${FLEET_TABLES_PREFIX}${table.kind}/**/*.ndjson.gz`);
  const hive = `hive_partitioning = true, hive_types = {'connector': 'VARCHAR', 'day': 'VARCHAR'}`;
  return `SELECT ${[...tableFields(table).map((x) => x.field), "connector", "day"].join(", ")} FROM read_ndjson(${glob}, compression = 'gzip', ${hive}, ${columnsArg(tableFields(table))})`;
}

/** The file tables, then the base views, in creation order, for a fleet folder (absolute path, no trailing slash). */
export function baseTables(root: string, present: ReadonlySet<string>): { name: string; sql: string }[] {
  const files = Object.values(FILE_TABLES).map((table) => ({ name: table.table, sql: fileTableSql(root, table, present) }));
  return [...files, ...SHARED_BASE_VIEWS];
}
