/**
 * What Athena runs: the statements that create the base views and the fleet views over the Glue tables (one
 * statement per query execution, in dependency order), and the fleet report's queries. The view bodies are the
 * same text the laptop runs in DuckDB (base-views.ts, views.ts): only the tables under them differ (Glue tables
 * here, DuckDB stand-ins on the laptop: base-tables.ts).
 */
import { SHARED_BASE_VIEWS } from "./base-views";
import { REPORT_QUERIES } from "./report-queries";
import { FLEET_VIEWS } from "./views";

export interface AthenaStatement {
  /** The named query's name: the order to run them in, then what it does. */
  name: string;
  description: string;
  sql: string;
}

/** The views Athena needs, base views first (views.ts reads them). */
export const ATHENA_VIEWS: readonly { name: string; sql: string }[] = [
  ...SHARED_BASE_VIEWS,
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
