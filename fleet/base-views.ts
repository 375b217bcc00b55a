/**
 * The base views (manifest_files, user_lines, …) over the file tables (table-columns.ts), in SQL DuckDB and Athena
 * both accept. A file table has the file's fields, `snapshotid` and `connector`: in Athena the fleet table copies
 * carry the snapshot id in each record and the connector is the partition; DuckDB's stand-ins over the snapshot
 * folders (base-tables.ts) give the same columns from the folder names. Each table holds one file kind only (its
 * own `fleet-tables/<kind>/` prefix, or one file name), so no view filters by path. Only users' `products`
 * flattening differs per engine (user_product_lines: base-tables.ts for DuckDB, athena-sql.ts for Athena).
 */
import { BASE_VIEWS, FILE_TABLES, plainFields, SNAPSHOT_ID_FIELD, type FileKind } from "./table-columns";

/** Glue and Athena lowercase every column name; the SerDe and DuckDB match the camelCase JSON fields to it. */
export const columnName = (field: string): string => field.toLowerCase();

/** The snapshot id column of every file table. */
export const SNAPSHOT_ID = columnName(SNAPSHOT_ID_FIELD);

export function baseViewSql(kind: FileKind): string {
  const columns = plainFields(kind).map((x) => `${columnName(x.field)} AS ${x.column}`);
  return `SELECT ${["connector", `${SNAPSHOT_ID} AS snapshot_id`, ...columns].join(", ")} FROM ${FILE_TABLES[kind].table}`;
}

/** The engine-neutral base views, in the order views.ts needs them. */
export const SHARED_BASE_VIEWS: readonly { name: string; sql: string }[] = BASE_VIEWS.map((v) => ({ name: v.name, sql: baseViewSql(v.kind) }));
