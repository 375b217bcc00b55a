/**
 * What Athena runs: the statements that create the base views and the fleet views over the Glue tables (one
 * statement per query execution, in dependency order), and the fleet report's queries. The view bodies are the
 * same text the laptop runs in DuckDB (base-views.ts, views.ts); only user_product_lines has an Athena form.
 */
import { SHARED_BASE_VIEWS, SNAPSHOT_ID } from "./base-views";
import { REPORT_QUERIES } from "./report-queries";
import { FILE_TABLES } from "./table-columns";
import { FLEET_VIEWS } from "./views";

export interface AthenaStatement {
  /** The named query's name: the order to run them in, then what it does. */
  name: string;
  description: string;
  sql: string;
}

/**
 * user_product_lines in Athena: Trino unnests an array of rows into one column per field (DuckDB's `unnest` gives
 * one struct per row instead: base-tables.ts). The one view written per engine.
 */
export const ATHENA_USER_PRODUCT_LINES = `SELECT connector, ${SNAPSHOT_ID} AS snapshot_id, accountid AS account_id, p.key AS product_key, p.via AS via
  FROM ${FILE_TABLES.users.table} CROSS JOIN UNNEST(products) AS p(key, via)`;

/** The views Athena needs, base views first (views.ts reads them). */
export const ATHENA_VIEWS: readonly { name: string; sql: string }[] = [
  ...SHARED_BASE_VIEWS,
  { name: "user_product_lines", sql: ATHENA_USER_PRODUCT_LINES },
  ...FLEET_VIEWS.map((v) => ({ name: v.name, sql: v.sql })),
];

/** `CREATE OR REPLACE VIEW` per view, numbered so the console lists them in the order to run them. */
export function athenaViewStatements(): AthenaStatement[] {
  return ATHENA_VIEWS.map((view, i) => ({
    name: `${String(i + 1).padStart(2, "0")}-create-view-${view.name}`,
    description: `Creates or replaces the fleet view ${view.name} (run the numbered create-view queries in order after each deploy)`,
    sql: `CREATE OR REPLACE VIEW ${view.name} AS\n${view.sql}`,
  }));
}

/** The fleet report's queries, as `fleet-report` runs them. */
export function athenaReportStatements(): AthenaStatement[] {
  return Object.values(REPORT_QUERIES).map((q) => ({ name: `report-${q.name}`, description: q.description, sql: q.sql }));
}
