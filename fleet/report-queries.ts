/**
 * The queries `fleet-report` runs over the fleet views, shared with the Athena named queries (ConnectorFleet) so the
 * report on the laptop and the saved query in the console are the same text. Kept to the DuckDB ∩ Trino subset of
 * views.ts (test/fleet/athena-sql.test.ts checks it).
 */
export interface ReportQuery {
  name: string;
  description: string;
  sql: string;
}

export const REPORT_QUERIES = {
  products: {
    name: "latest-products",
    description: "Seats purchased and used, and holders not shown active, per connector and product (newest complete snapshots)",
    sql: "SELECT connector, product_key, product_name, billable, seats_purchased, seats_used, inactive_holders, unknown_holders FROM products WHERE is_latest ORDER BY connector, product_key",
  },
  holders: {
    name: "latest-seat-holders",
    description: "Who holds a seat on which connector (newest complete snapshots): people on several sites appear once per site",
    sql: `SELECT DISTINCT h.connector, h.account_id, u.display_name FROM seat_holders h
       JOIN users u ON u.connector = h.connector AND u.snapshot_id = h.snapshot_id AND u.account_id = h.account_id
       WHERE h.is_latest ORDER BY h.account_id, h.connector`,
  },
  inactive: {
    name: "latest-inactive-seats",
    description: "Seat holders not shown active, with the evidence and monthly cost where priced (newest complete snapshots)",
    sql: "SELECT connector, account_id, evidence, person_monthly_cost FROM inactive_seats WHERE is_latest ORDER BY connector, account_id",
  },
  trend: {
    name: "billable-seats-over-time",
    description: "Billable seats used and purchased per connector and snapshot",
    sql: "SELECT connector, collected_at, SUM(seats_used) AS seats_used, SUM(seats_purchased) AS seats_purchased FROM products WHERE billable GROUP BY connector, collected_at ORDER BY connector, collected_at",
  },
} as const satisfies Record<string, ReportQuery>;
