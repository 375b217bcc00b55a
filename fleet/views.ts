/**
 * The fleet views, defined once over the base views (base-views.ts). Kept to SQL that DuckDB and Athena (Trino)
 * both accept — CAST, CASE, COALESCE, standard joins, `CROSS JOIN UNNEST(array) AS t(x)` of a scalar array — so the
 * same text is created in Athena (athena-sql.ts) over the same base views. Timestamps stay ISO
 * 8601 strings (UTC, so string order is time order): Trino cannot CAST a `…Z` string to TIMESTAMP, DuckDB can, and
 * a query may do it.
 */

export interface FleetView {
  name: string;
  /** One line per column, for `--help`-like listings and the README. */
  columns: readonly string[];
  sql: string;
}

// Only complete snapshots count: a partial one's figures are lower bounds, never a fleet total. The latest is the
// newest complete one per connector, derived here rather than read from latest.json, which has no fleet table copy
// (it is rewritten in place; Athena's partitions are per snapshot). That is what the collector points latest.json
// at, save for two runs finishing at the same instant (collector/snapshot/writer.ts), where this is the right one.
// collected_at is fixed-width UTC ISO 8601, so MAX of the strings is the newest.
const COMPLETE = `SELECT m.connector, m.snapshot_id, m.collected_at, m.finished_at,
    CASE WHEN m.collected_at = n.newest THEN true ELSE false END AS is_latest
  FROM manifest_files m
  JOIN (SELECT connector, MAX(collected_at) AS newest FROM manifest_files WHERE complete = true GROUP BY connector) n ON n.connector = m.connector
  WHERE m.complete = true`;

export const FLEET_VIEWS: readonly FleetView[] = [
  {
    name: "snapshots",
    columns: ["connector", "snapshot_id", "collected_at", "finished_at", "is_latest"],
    sql: COMPLETE,
  },
  {
    name: "connectors",
    columns: ["connector", "snapshots", "first_collected_at", "latest_collected_at", "latest_snapshot_id"],
    sql: `SELECT s.connector, COUNT(*) AS snapshots, MIN(s.collected_at) AS first_collected_at, MAX(s.collected_at) AS latest_collected_at,
    MAX(CASE WHEN s.is_latest THEN s.snapshot_id END) AS latest_snapshot_id
  FROM snapshots s GROUP BY s.connector`,
  },
  {
    name: "products",
    columns: ["connector", "snapshot_id", "collected_at", "is_latest", "product_key", "product_name", "plan", "billable", "seats_purchased", "seats_used", "holders_identified", "active_holders", "inactive_holders", "unknown_holders"],
    sql: `SELECT s.connector, s.snapshot_id, s.collected_at, s.is_latest, p.product_key, p.product_name, p.plan, p.billable,
    p.seats_purchased, p.seats_used, p.holders_identified, p.active_holders, p.inactive_holders, p.unknown_holders
  FROM snapshots s JOIN product_lines p ON p.connector = s.connector AND p.snapshot_id = s.snapshot_id`,
  },
  {
    name: "users",
    columns: ["connector", "snapshot_id", "collected_at", "is_latest", "account_id", "account_type", "active", "display_name", "email", "last_activity_at", "last_activity_source"],
    sql: `SELECT s.connector, s.snapshot_id, s.collected_at, s.is_latest, u.account_id, u.account_type, u.active, u.display_name, u.email,
    u.last_activity_at, u.last_activity_source
  FROM snapshots s JOIN user_lines u ON u.connector = s.connector AND u.snapshot_id = s.snapshot_id`,
  },
  {
    // A user's granting group grants the products whose role lists it, in that snapshot. Deactivated, app and
    // customer accounts in a granting group hold no seat (Atlassian does not count them).
    name: "seat_holders",
    columns: ["connector", "snapshot_id", "collected_at", "is_latest", "account_id", "product_key", "granting_group"],
    sql: `SELECT s.connector, s.snapshot_id, s.collected_at, s.is_latest, u.account_id, pg.product_key, g.granting_group
  FROM snapshots s
  JOIN user_lines u ON u.connector = s.connector AND u.snapshot_id = s.snapshot_id
  CROSS JOIN UNNEST(u.granting_groups) AS g(granting_group)
  JOIN product_groups pg ON pg.connector = u.connector AND pg.snapshot_id = u.snapshot_id AND pg.granting_group = g.granting_group
  WHERE u.active = true AND u.account_type = 'atlassian'`,
  },
  {
    name: "activity",
    columns: ["connector", "snapshot_id", "collected_at", "is_latest", "account_id", "source", "last_activity_at", "detail"],
    sql: `SELECT s.connector, s.snapshot_id, s.collected_at, s.is_latest, a.account_id, a.source, a.last_activity_at, a.detail
  FROM snapshots s JOIN activity_lines a ON a.connector = s.connector AND a.snapshot_id = s.snapshot_id`,
  },
  {
    // The seat report lists only holders not shown active; `inactive` is proven idle, `unknown` is not.
    name: "inactive_seats",
    columns: ["connector", "snapshot_id", "collected_at", "is_latest", "account_id", "display_name", "product_key", "evidence", "evidence_strength", "last_activity_at", "last_activity_source", "person_monthly_cost"],
    sql: `SELECT s.connector, s.snapshot_id, s.collected_at, s.is_latest, pl.account_id, pl.display_name, k.product_key, pl.evidence,
    CASE pl.evidence WHEN 'inactive' THEN 'removable' WHEN 'unknown' THEN 'not proven idle' ELSE 'other' END AS evidence_strength,
    pl.last_activity_at, pl.last_activity_source, CAST(pl.monthly_cost AS DOUBLE) AS person_monthly_cost
  FROM snapshots s JOIN people_lines pl ON pl.connector = s.connector AND pl.snapshot_id = s.snapshot_id
  CROSS JOIN UNNEST(pl.product_keys) AS k(product_key)
  WHERE pl.evidence <> 'active'`,
  },
];
