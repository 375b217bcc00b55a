/** The fleet report in the terminal. Pure; names come from Jira, so every cell goes through the table's sanitizing. */
import { safeLine } from "../format/sanitize";
import { renderTable } from "../format/table";
import type { FleetReportModel } from "./model";

const money = (n: number | null) => (n === null ? "—" : n.toFixed(2));

export function renderFleetReport(model: FleetReportModel): string {
  const out: string[] = [`Fleet report — ${model.connectors.length} connector(s): ${model.connectors.map(safeLine).join(", ")}`, ""];
  out.push("Seats per site and product (newest complete snapshot):");
  out.push(
    renderTable(
      [{ header: "site" }, { header: "product", max: 40 }, { header: "purchased", align: "right" }, { header: "used", align: "right" }, { header: "inactive", align: "right" }, { header: "unknown", align: "right" }],
      model.products.map((p) => [p.connector, `${p.product_name ?? p.product_key}${p.billable === false ? " (free)" : ""}`, p.seats_purchased, p.seats_used, p.inactive_holders, p.unknown_holders]),
    ),
  );
  out.push("Monthly cost of seats not shown active (— : no prices in that snapshot):");
  out.push(renderTable([{ header: "site" }, { header: "inactive (idle)", align: "right" }, { header: "unknown (unverified)", align: "right" }], model.idleCost.map((c) => [c.connector, money(c.inactiveMonthly), money(c.unknownMonthly)])));
  out.push(`People holding seats on several sites: ${model.multiSite.length}`);
  if (model.multiSite.length > 0) out.push(renderTable([{ header: "person", max: 40 }, { header: "account ID" }, { header: "sites" }], model.multiSite.map((p) => [p.displayName, p.accountId, p.sites.join(", ")])));
  out.push(`People not shown active on any site where they hold a seat: ${model.idleEverywhere.length} (unknown = not proven idle; never remove on that alone)`);
  if (model.idleEverywhere.length > 0) {
    out.push(renderTable([{ header: "person", max: 40 }, { header: "account ID" }, { header: "evidence" }, { header: "sites" }], model.idleEverywhere.map((p) => [p.displayName, p.accountId, p.evidence, p.sites.join(", ")])));
  }
  out.push("Billable seats used over time:");
  out.push(renderTable([{ header: "site" }, { header: "collected at" }, { header: "used", align: "right" }, { header: "purchased", align: "right" }], model.trend.map((t) => [t.connector, t.collected_at, t.seats_used, t.seats_purchased])));
  return out.join("\n");
}
