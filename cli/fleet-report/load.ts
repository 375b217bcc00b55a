/** The fleet report's queries over the fleet views (DuckDB only: the report runs on the laptop). */
import type { Fleet } from "../../fleet/open";
import type { FleetProgress } from "../../fleet/progress";
import { fleetReportModel, type FleetReportModel, type HolderRow, type InactiveRow, type ProductRow, type TrendRow } from "./model";

/** The report's four queries, in order; `progress` hears each one's stage (`query 2/4: seat holders`). */
export async function loadFleetReport(fleet: Fleet, progress?: FleetProgress): Promise<FleetReportModel> {
  const stages = ["seats per product", "seat holders", "seats not shown active", "seats over time"];
  let step = 0;
  const rows = async <T>(sql: string) => (await fleet.query(sql, progress, `query ${step + 1}/4: ${stages[step++]}`)).rows as unknown as T[];
  return fleetReportModel({
    products: await rows<ProductRow>(
      "SELECT connector, product_key, product_name, billable, seats_purchased, seats_used, inactive_holders, unknown_holders FROM products WHERE is_latest ORDER BY connector, product_key",
    ),
    holders: await rows<HolderRow>(
      `SELECT DISTINCT h.connector, h.account_id, u.display_name FROM seat_holders h
       JOIN users u ON u.connector = h.connector AND u.snapshot_id = h.snapshot_id AND u.account_id = h.account_id
       WHERE h.is_latest ORDER BY h.account_id, h.connector`,
    ),
    inactive: await rows<InactiveRow>("SELECT connector, account_id, evidence, person_monthly_cost FROM inactive_seats WHERE is_latest ORDER BY connector, account_id"),
    trend: await rows<TrendRow>(
      "SELECT connector, collected_at, SUM(seats_used) AS seats_used, SUM(seats_purchased) AS seats_purchased FROM products WHERE billable GROUP BY connector, collected_at ORDER BY connector, collected_at",
    ),
  });
}
