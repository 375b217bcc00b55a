import type { SeatReport } from "./decisions/seat-report";
import type { SnapshotWriter } from "./snapshot/writer";

/**
 * The seat report again, one record per line (people.ndjson.gz, products.ndjson.gz), for the fleet views (the writer
 * copies them to fleet-tables/ for Athena as they are written). Flat fields and scalar arrays only, so the views' UNNEST is the same in both engines.
 */
export async function writeFleetTables(writer: SnapshotWriter, report: SeatReport): Promise<void> {
  const people = writer.fleetTable<Record<string, unknown>>("people.ndjson.gz");
  for (const p of report.people) {
    await people.write({
      accountId: p.accountId,
      displayName: p.displayName,
      evidence: p.evidence,
      lastActivityAt: p.lastActivityAt,
      lastActivitySource: p.lastActivitySource,
      monthlyCost: p.monthlyCost,
      productKeys: p.seats.map((seat) => seat.productKey),
    });
  }
  await people.close();
  const products = writer.fleetTable<Record<string, unknown>>("products.ndjson.gz");
  for (const p of report.products) {
    await products.write({
      productKey: p.productKey,
      productName: p.productName,
      plan: p.plan,
      billable: p.billable,
      seatsPurchased: p.seatsPurchased,
      seatsUsed: p.seatsUsed,
      holdersIdentified: p.holdersIdentified,
      activeHolders: p.holdersByEvidence.active,
      inactiveHolders: p.holdersByEvidence.inactive,
      unknownHolders: p.holdersByEvidence.unknown,
    });
  }
  await products.close();
}
