/**
 * The base views (manifest_files, user_lines, …) over the file tables (table-columns.ts), in SQL DuckDB and Athena
 * both accept. A file table has the file's fields, `snapshotid` and `connector`: in Athena the fleet table copies
 * carry the snapshot id in each record and the connector is the partition; DuckDB's stand-ins over the snapshot
 * folders (base-tables.ts) give the same columns from the folder names. Each table holds one file kind only (its
 * own `fleet-tables/<kind>/` prefix, or one file name), so no view filters by path. Every view here and in views.ts
 * is one text for both engines; only the file tables under them are per engine.
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

/**
 * One row per product and granting group of a snapshot: what seat_holders joins users' granting groups to. A scalar
 * array's `CROSS JOIN UNNEST … AS g(x)` is the same in both engines (an array of structs is not). DISTINCT: a group
 * listed twice in a role must not make two seat rows (the collector's product lines count it once).
 */
const PRODUCT_GROUPS = `SELECT DISTINCT r.connector, r.snapshot_id, r.product_key, g.granting_group
  FROM role_lines r CROSS JOIN UNNEST(r.granting_groups) AS g(granting_group)`;

/** The engine-neutral base views, in the order views.ts needs them. */
export const SHARED_BASE_VIEWS: readonly { name: string; sql: string }[] = [
  ...BASE_VIEWS.map((v) => ({ name: v.name, sql: baseViewSql(v.kind) })),
  { name: "product_groups", sql: PRODUCT_GROUPS },
];
