/** The fleet report's queries (fleet/report-queries.ts, also saved in Athena by ConnectorFleet) over the fleet views. */
import type { Fleet } from "../../fleet/open";
import type { FleetProgress } from "../../fleet/progress";
import { REPORT_QUERIES } from "../../fleet/report-queries";
import { fleetReportModel, type FleetReportModel, type HolderRow, type InactiveRow, type ProductRow, type TrendRow } from "./model";

/** The report's four queries, in order; `progress` hears each one's stage (`query 2/4: seat holders`). */
export async function loadFleetReport(fleet: Fleet, progress?: FleetProgress): Promise<FleetReportModel> {
  const stages = ["seats per product", "seat holders", "seats not shown active", "seats over time"];
  let step = 0;
  const rows = async <T>(sql: string) => (await fleet.query(sql, progress, `query ${step + 1}/4: ${stages[step++]}`)).rows as unknown as T[];
  return fleetReportModel({
    products: await rows<ProductRow>(REPORT_QUERIES.products.sql),
    holders: await rows<HolderRow>(REPORT_QUERIES.holders.sql),
    inactive: await rows<InactiveRow>(REPORT_QUERIES.inactive.sql),
    trend: await rows<TrendRow>(REPORT_QUERIES.trend.sql),
  });
}
