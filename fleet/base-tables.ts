/**
 * The DuckDB-specific layer: one view per snapshot file kind standing in for Athena's Glue table of the same name
 * and columns (table-columns.ts), over the files where they lie (`connectors/<name>/snapshots/<collectedAt>/…`).
 * The base views on top (base-views.ts) and the fleet views (views.ts) are the SQL Athena runs too.
 *
 * Columns are declared, not inferred: a field an older collector did not write reads as NULL, and the shape does not
 * depend on which files happen to be sampled. Connector comes from the path, as Athena's partition column does; the
 * file's path is `"$path"`, Athena's name for it.
 */
import { SHARED_BASE_VIEWS, SNAPSHOT_ID } from "./base-views";
import { FILE_TABLES, duckdbType, type FileTable } from "./table-columns";

/** A SQL string literal (DuckDB and Trino both double the quote). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The connector: the folder under connectors/ (Athena's `connector` partition column). */
const CONNECTOR = {
  snapshot: "regexp_extract(filename, '/connectors/([^/]+)/snapshots/[^/]+/[^/]+$', 1)",
  connector: "regexp_extract(filename, '/connectors/([^/]+)/[^/]+$', 1)",
};

/** The stand-in for one Glue table: its fields, `connector` and `"$path"`; typed NULLs when no such file exists. */
export function fileTableSql(root: string, table: FileTable, present: ReadonlySet<string>): string {
  const glob = table.scope === "snapshot" ? `${root}/connectors/*/snapshots/*/${table.file}` : `${root}/connectors/*/${table.file}`;
  const fields = table.fields.map((x) => x.field);
  if (!present.has(table.file)) {
    // A file kind no snapshot has yet (an empty folder's activity, latest.json before a run completes) must still
    // be a table with its columns: a glob matching nothing is an error in DuckDB.
    const nulls = table.fields.map((x) => `NULL::${duckdbType(x.type)} AS ${x.field}`);
    return `SELECT ${[...nulls, 'NULL::VARCHAR AS connector', 'NULL::VARCHAR AS "$path"'].join(", ")} WHERE false`;
  }
  const columns = table.fields.map((x) => `${x.field}: ${sqlString(duckdbType(x.type))}`).join(", ");
  const read = table.lines
    ? `read_ndjson(${sqlString(glob)}, compression = 'gzip', filename = true, columns = {${columns}})`
    : `read_json(${sqlString(glob)}, format = 'auto', filename = true, columns = {${columns}})`;
  return `SELECT ${fields.join(", ")}, ${CONNECTOR[table.scope]} AS connector, filename AS "$path" FROM ${read}`;
}

/** DuckDB's user_product_lines: `unnest` of a struct list gives one struct per row (Athena's form: athena-sql.ts). */
const USER_PRODUCT_LINES = `SELECT connector, snapshot_id, account_id, p.key AS product_key, p.via AS via
  FROM (SELECT connector, ${SNAPSHOT_ID} AS snapshot_id, accountid AS account_id, unnest(products) AS p
        FROM ${FILE_TABLES.users.table})`;

/** The file tables, then the base views, in creation order, for a fleet folder (absolute path, no trailing slash). */
export function baseTables(root: string, present: ReadonlySet<string>): { name: string; sql: string }[] {
  const files = Object.values(FILE_TABLES).map((table) => ({ name: table.table, sql: fileTableSql(root, table, present) }));
  const userProducts = { name: "user_product_lines", sql: USER_PRODUCT_LINES };
  return [...files, ...SHARED_BASE_VIEWS, userProducts];
}
