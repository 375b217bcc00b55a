/**
 * The snapshot files the fleet views read, each declared once: its file name in a snapshot folder, its fleet table
 * kind (the `fleet-tables/<kind>/` copy Athena reads: collector/snapshot/layout.ts), and its top-level JSON fields
 * with a type. DuckDB's `read_json(…, columns = {…})` lists and typed NULLs (base-tables.ts), the Glue tables'
 * columns (components/fleet-catalog.ts) and the base views (base-views.ts) are all derived from this, so the laptop
 * and AWS read the same fields with the same types, and a field added here reaches both.
 *
 * Every table also has `snapshotId` (the copies carry it in each record; on the laptop it comes from the folder)
 * and `connector` (Athena's partition column; on the laptop the folder). Latest is derived from the manifests
 * (views.ts), so latest.json has no table.
 *
 * Field names are the collector's (camelCase). Glue lowercases column names and the JSON SerDes match fields
 * case-insensitively, so `accountId` is column `accountid` in Athena; DuckDB identifiers are case-insensitive too.
 */
import { FLEET_FILES, MANIFEST_FILE, SNAPSHOT_FILES, type FleetTableKind } from "../collector/snapshot/layout";

/** The types the files use, in Hive/Glue spelling (what a Glue column's `type` holds). */
export type FieldType = "string" | "boolean" | "bigint" | "double" | "array<string>" | "array<struct<key:string,via:array<string>>>";

export interface Field {
  /** The JSON field, as the collector writes it. */
  field: string;
  /** The base view's column (snake_case), or undefined when no base view exposes the field as a plain column. */
  column?: string;
  type: FieldType;
  /** Its name in the snapshot folder's file, when the copy renames it (subscriptions.json roles' `key`). */
  source?: string;
}

export interface FileTable {
  /** The Glue table's name (and the name of its stand-in when Athena's SQL is run in DuckDB). */
  table: string;
  /** The file in `connectors/<name>/snapshots/<id>/` (what the laptop reads). */
  file: string;
  /** The folder under `fleet-tables/` (what Athena reads): always gzip NDJSON, one record per line. */
  kind: FleetTableKind;
  /** Whether the snapshot folder's file is NDJSON (gzip), or one pretty-printed document (manifest.json). */
  lines: boolean;
  /** The document's array field whose elements are the records (subscriptions.json's `roles`), if not the document. */
  within?: string;
  fields: readonly Field[];
}

const f = (field: string, type: FieldType, column?: string, source?: string): Field => ({ field, type, column, ...(source ? { source } : {}) });

export const FILE_TABLES = {
  manifests: {
    table: "snapshot_manifests",
    file: MANIFEST_FILE,
    kind: "manifests",
    lines: false,
    fields: [f("collectedAt", "string", "collected_at"), f("finishedAt", "string", "finished_at"), f("complete", "boolean", "complete")],
  },
  users: {
    table: "snapshot_users",
    file: SNAPSHOT_FILES.users,
    kind: "users",
    lines: true,
    fields: [
      f("accountId", "string", "account_id"),
      f("accountType", "string", "account_type"),
      f("active", "boolean", "active"),
      f("displayName", "string", "display_name"),
      f("emailAddress", "string", "email"),
      // Joined to roles' granting groups for seat_holders (the same UNNEST in both engines).
      f("grantingGroups", "array<string>", "granting_groups"),
      f("lastActivityAt", "string", "last_activity_at"),
      f("lastActivitySource", "string", "last_activity_source"),
      // No view reads it (an array of structs unnests differently per engine; seat_holders joins grantingGroups to
      // roles instead); declared so the table is the whole record.
      f("products", "array<struct<key:string,via:array<string>>>"),
    ],
  },
  activity: {
    table: "snapshot_activity",
    file: SNAPSHOT_FILES.activity,
    kind: "activity",
    lines: true,
    fields: [
      f("accountId", "string", "account_id"),
      f("lastActivityAt", "string", "last_activity_at"),
      f("lastActivitySource", "string", "source"),
      f("detail", "string", "detail"),
    ],
  },
  products: {
    table: "snapshot_products",
    file: FLEET_FILES.products,
    kind: "products",
    lines: true,
    fields: [
      f("productKey", "string", "product_key"),
      f("productName", "string", "product_name"),
      f("plan", "string", "plan"),
      f("billable", "boolean", "billable"),
      f("seatsPurchased", "bigint", "seats_purchased"),
      f("seatsUsed", "bigint", "seats_used"),
      f("holdersIdentified", "bigint", "holders_identified"),
      f("activeHolders", "bigint", "active_holders"),
      f("inactiveHolders", "bigint", "inactive_holders"),
      f("unknownHolders", "bigint", "unknown_holders"),
    ],
  },
  people: {
    table: "snapshot_people",
    file: FLEET_FILES.people,
    kind: "people",
    lines: true,
    fields: [
      f("accountId", "string", "account_id"),
      f("displayName", "string", "display_name"),
      f("evidence", "string", "evidence"),
      f("lastActivityAt", "string", "last_activity_at"),
      f("lastActivitySource", "string", "last_activity_source"),
      f("monthlyCost", "double", "monthly_cost"),
      f("productKeys", "array<string>", "product_keys"),
    ],
  },
  roles: {
    // Every snapshot's subscriptions.json has its roles (older collectors' too): the laptop reads them there; the
    // collector copies them to fleet-tables/roles/, one per line, for Athena's line-based SerDe.
    table: "snapshot_roles",
    file: SNAPSHOT_FILES.subscriptions,
    kind: "roles",
    lines: false,
    within: "roles",
    fields: [f("productKey", "string", "product_key", "key"), f("productName", "string", "product_name", "name"), f("grantingGroups", "array<string>", "granting_groups", "groups")],
  },
} as const satisfies Record<string, FileTable>;

export type FileKind = keyof typeof FILE_TABLES;

/** The field every table has besides its own: the snapshot (folder name) the record belongs to. */
export const SNAPSHOT_ID_FIELD = "snapshotId";

/**
 * The base views the fleet views read (views.ts), each over one file kind: its plain columns in order, after the
 * connector and snapshot id.
 */
export const BASE_VIEWS: readonly { name: string; kind: FileKind }[] = [
  { name: "manifest_files", kind: "manifests" },
  { name: "user_lines", kind: "users" },
  { name: "activity_lines", kind: "activity" },
  { name: "product_lines", kind: "products" },
  { name: "people_lines", kind: "people" },
  { name: "role_lines", kind: "roles" },
];

/** The fields a base view exposes as columns, in order. */
export const plainFields = (kind: FileKind): Field[] => (FILE_TABLES[kind].fields as readonly Field[]).filter((x) => x.column !== undefined);

const DUCKDB_TYPES: Record<FieldType, string> = {
  string: "VARCHAR",
  boolean: "BOOLEAN",
  bigint: "BIGINT",
  double: "DOUBLE",
  "array<string>": "VARCHAR[]",
  "array<struct<key:string,via:array<string>>>": "STRUCT(key VARCHAR, via VARCHAR[])[]",
};

export const duckdbType = (type: FieldType): string => DUCKDB_TYPES[type];
