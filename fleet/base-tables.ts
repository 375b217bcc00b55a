/**
 * The file-reading layer: one DuckDB view per snapshot file kind, over the files where they lie
 * (`connectors/<name>/snapshots/<collectedAt>/…`). This is the only DuckDB-specific SQL: in Athena each of these
 * becomes a Glue table (or a Trino view) with the same columns, and views.ts runs unchanged on top.
 *
 * Columns are declared, not inferred: a field an older collector did not write reads as NULL, and the shape does not
 * depend on which files happen to be sampled. Connector and snapshot come from the path (hive-style position, not
 * `key=value`, so they are cut out of `filename`).
 */

/** A SQL string literal (DuckDB and Trino both double the quote). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const PATH_COLUMNS =
  "regexp_extract(filename, '/connectors/([^/]+)/snapshots/([^/]+)/[^/]+$', 1) AS connector, " +
  "regexp_extract(filename, '/connectors/([^/]+)/snapshots/([^/]+)/[^/]+$', 2) AS snapshot_id";

/** The base views' names and bodies for a fleet folder (absolute path, no trailing slash). */
export function baseTables(root: string, present: ReadonlySet<string>): { name: string; sql: string }[] {
  const files = (file: string) => sqlString(`${root}/connectors/*/snapshots/*/${file}`);
  const json = (file: string, columns: string) => `read_json(${files(file)}, format = 'auto', filename = true, columns = {${columns}})`;
  const ndjson = (file: string, columns: string) => `read_ndjson(${files(file)}, compression = 'gzip', filename = true, columns = {${columns}})`;
  // A file kind no snapshot has yet (e.g. an empty folder's activity) must still be a table with its columns.
  const orEmpty = (file: string, body: string, empty: string) => (present.has(file) ? body : `SELECT ${empty} WHERE false`);
  const tables: { name: string; sql: string }[] = [
    {
      name: "manifest_files",
      sql: `SELECT ${PATH_COLUMNS}, collectedAt AS collected_at, finishedAt AS finished_at, complete
        FROM ${json("manifest.json", "collectedAt: 'VARCHAR', finishedAt: 'VARCHAR', complete: 'BOOLEAN'")}`,
    },
    {
      // No connector has a latest.json until one of its runs completes: then no snapshot is the latest.
      name: "latest_files",
      sql: orEmpty(
        "latest.json",
        `SELECT connectorName AS connector, snapshotId AS snapshot_id
        FROM read_json(${sqlString(`${root}/connectors/*/latest.json`)}, format = 'auto', columns = {connectorName: 'VARCHAR', snapshotId: 'VARCHAR'})`,
        "NULL::VARCHAR AS connector, NULL::VARCHAR AS snapshot_id",
      ),
    },
    {
      name: "user_lines",
      sql: orEmpty(
        "users.ndjson.gz",
        `SELECT ${PATH_COLUMNS}, accountId AS account_id, accountType AS account_type, active, displayName AS display_name,
          emailAddress AS email, lastActivityAt AS last_activity_at, lastActivitySource AS last_activity_source
        FROM ${ndjson("users.ndjson.gz", "accountId: 'VARCHAR', accountType: 'VARCHAR', active: 'BOOLEAN', displayName: 'VARCHAR', emailAddress: 'VARCHAR', lastActivityAt: 'VARCHAR', lastActivitySource: 'VARCHAR'")}`,
        "NULL::VARCHAR AS connector, NULL::VARCHAR AS snapshot_id, NULL::VARCHAR AS account_id, NULL::VARCHAR AS account_type, NULL::BOOLEAN AS active, NULL::VARCHAR AS display_name, NULL::VARCHAR AS email, NULL::VARCHAR AS last_activity_at, NULL::VARCHAR AS last_activity_source",
      ),
    },
    {
      // One row per user × product; Trino: `CROSS JOIN UNNEST(products) AS p(key, via)` over the users table.
      name: "user_product_lines",
      sql: orEmpty(
        "users.ndjson.gz",
        `SELECT connector, snapshot_id, account_id, p.key AS product_key, p.via AS via
        FROM (SELECT ${PATH_COLUMNS}, accountId AS account_id, unnest(products) AS p
              FROM ${ndjson("users.ndjson.gz", "accountId: 'VARCHAR', products: 'STRUCT(key VARCHAR, via VARCHAR[])[]'")})`,
        "NULL::VARCHAR AS connector, NULL::VARCHAR AS snapshot_id, NULL::VARCHAR AS account_id, NULL::VARCHAR AS product_key, NULL::VARCHAR[] AS via",
      ),
    },
    {
      name: "activity_lines",
      sql: orEmpty(
        "activity.ndjson.gz",
        `SELECT ${PATH_COLUMNS}, accountId AS account_id, lastActivityAt AS last_activity_at, lastActivitySource AS source, detail
        FROM ${ndjson("activity.ndjson.gz", "accountId: 'VARCHAR', lastActivityAt: 'VARCHAR', lastActivitySource: 'VARCHAR', detail: 'VARCHAR'")}`,
        "NULL::VARCHAR AS connector, NULL::VARCHAR AS snapshot_id, NULL::VARCHAR AS account_id, NULL::VARCHAR AS last_activity_at, NULL::VARCHAR AS source, NULL::VARCHAR AS detail",
      ),
    },
    {
      // products.ndjson.gz / people.ndjson.gz: the seat report one record per line (seat-report.json is one
      // pretty-printed document, which Athena's SerDe cannot read). Older snapshots lack them: no rows there.
      name: "product_lines",
      sql: orEmpty(
        "products.ndjson.gz",
        `SELECT ${PATH_COLUMNS}, productKey AS product_key, productName AS product_name, plan, billable, seatsPurchased AS seats_purchased,
          seatsUsed AS seats_used, holdersIdentified AS holders_identified, activeHolders AS active_holders, inactiveHolders AS inactive_holders,
          unknownHolders AS unknown_holders
        FROM ${ndjson("products.ndjson.gz", "productKey: 'VARCHAR', productName: 'VARCHAR', plan: 'VARCHAR', billable: 'BOOLEAN', seatsPurchased: 'BIGINT', seatsUsed: 'BIGINT', holdersIdentified: 'BIGINT', activeHolders: 'BIGINT', inactiveHolders: 'BIGINT', unknownHolders: 'BIGINT'")}`,
        "NULL::VARCHAR AS connector, NULL::VARCHAR AS snapshot_id, NULL::VARCHAR AS product_key, NULL::VARCHAR AS product_name, NULL::VARCHAR AS plan, NULL::BOOLEAN AS billable, NULL::BIGINT AS seats_purchased, NULL::BIGINT AS seats_used, NULL::BIGINT AS holders_identified, NULL::BIGINT AS active_holders, NULL::BIGINT AS inactive_holders, NULL::BIGINT AS unknown_holders",
      ),
    },
    {
      // One row per person of the seat report's `people[]` (the holders not shown active); seats as product keys.
      name: "people_lines",
      sql: orEmpty(
        "people.ndjson.gz",
        `SELECT ${PATH_COLUMNS}, accountId AS account_id, displayName AS display_name, evidence, lastActivityAt AS last_activity_at,
          lastActivitySource AS last_activity_source, monthlyCost AS monthly_cost, productKeys AS product_keys
        FROM ${ndjson("people.ndjson.gz", "accountId: 'VARCHAR', displayName: 'VARCHAR', evidence: 'VARCHAR', lastActivityAt: 'VARCHAR', lastActivitySource: 'VARCHAR', monthlyCost: 'DOUBLE', productKeys: 'VARCHAR[]'")}`,
        "NULL::VARCHAR AS connector, NULL::VARCHAR AS snapshot_id, NULL::VARCHAR AS account_id, NULL::VARCHAR AS display_name, NULL::VARCHAR AS evidence, NULL::VARCHAR AS last_activity_at, NULL::VARCHAR AS last_activity_source, NULL::DOUBLE AS monthly_cost, NULL::VARCHAR[] AS product_keys",
      ),
    },
  ];
  return tables;
}
