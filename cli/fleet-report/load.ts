/** The fleet report's queries (fleet/report-queries.ts, also saved in Athena by ConnectorFleet) over the fleet views. */
import type { Fleet } from "../../fleet/open";
import { REPORT_QUERIES } from "../../fleet/report-queries";
import { fleetReportModel, type FleetReportModel, type HolderRow, type InactiveRow, type ProductRow, type TrendRow } from "./model";

export async function loadFleetReport(fleet: Fleet): Promise<FleetReportModel> {
  const rows = async <T>(sql: string) => (await fleet.query(sql)).rows as unknown as T[];
  return fleetReportModel({
    products: await rows<ProductRow>(REPORT_QUERIES.products.sql),
    holders: await rows<HolderRow>(REPORT_QUERIES.holders.sql),
    inactive: await rows<InactiveRow>(REPORT_QUERIES.inactive.sql),
    trend: await rows<TrendRow>(REPORT_QUERIES.trend.sql),
  });
}
