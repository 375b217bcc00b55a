/**
 * The base views (manifest_files, user_lines, …) over the file tables (table-columns.ts), in SQL DuckDB and Athena
 * both accept. A file table has the file's fields, `connector`, and `"$path"` — Athena's pseudo-column holding the
 * object's S3 URI; DuckDB's stand-in (base-tables.ts) gives `filename` that name — so the snapshot id and the file
 * kind come from the path the same way in both engines.
 *
 * The `"$path"` filter matters in Athena only: a table's location is the connector's folder, which holds every file
 * kind (S3 has no per-file-name location), so each table lists all of them and keeps its own. Only users' `products`
 * flattening differs per engine (user_product_lines: base-tables.ts for DuckDB, athena-sql.ts for Athena).
 */
import { BASE_VIEWS, FILE_TABLES, plainFields, type FileKind } from "./table-columns";

/** Glue and Athena lowercase every column name; the SerDes and DuckDB match the camelCase JSON fields to it. */
export const columnName = (field: string): string => field.toLowerCase();

/** The snapshot id: the folder the file lies in (`…/snapshots/<id>/<file>`). */
export const SNAPSHOT_ID = `regexp_extract("$path", '/snapshots/([^/]+)/[^/]+$', 1)`;

/** The files of this kind only (the slash keeps checkpoint-users.ndjson.gz out of users). */
const ofKind = (kind: FileKind) => `"$path" LIKE '%/${FILE_TABLES[kind].file}'`;

export function baseViewSql(kind: FileKind): string {
  const { table, scope } = FILE_TABLES[kind];
  const columns = plainFields(kind).map((x) => `${columnName(x.field)} AS ${x.column}`);
  // latest.json names its connector and snapshot itself; a snapshot file's come from its path.
  const keys = scope === "snapshot" ? ["connector", `${SNAPSHOT_ID} AS snapshot_id`] : [];
  return `SELECT ${[...keys, ...columns].join(", ")} FROM ${table} WHERE ${ofKind(kind)}`;
}

/** The engine-neutral base views, in the order views.ts needs them. */
export const SHARED_BASE_VIEWS: readonly { name: string; sql: string }[] = BASE_VIEWS.map((v) => ({ name: v.name, sql: baseViewSql(v.kind) }));
