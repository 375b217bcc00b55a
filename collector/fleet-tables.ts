import type { ApplicationRole } from "../atlassian/jira/schemas";
import type { SeatReport } from "./decisions/seat-report";
import type { SnapshotWriter } from "./snapshot/writer";

/**
 * The seat report again, one record per line (people.ndjson.gz, products.ndjson.gz), for the fleet views (the writer
 * copies them to fleet-tables/ for Athena as they are written), and the product roles to fleet-tables/roles/ (the
 * laptop reads those from subscriptions.json). Flat fields and scalar arrays only, so the views' UNNEST is the same
 * in both engines.
 */
export async function writeFleetTables(writer: SnapshotWriter, report: SeatReport, roles: readonly ApplicationRole[]): Promise<void> {
  // subscriptions.json's roles, one per line: the product each granting group grants, for the seat_holders view.
  await writer.fleetRecords("roles", roles.map(roleRecord));
  const people = writer.fleetTable<Record<string, unknown>>("people.ndjson.gz");
  await people.writeEach(
    (function* () {
      for (const p of report.people) {
        yield {
          accountId: p.accountId,
          displayName: p.displayName,
          evidence: p.evidence,
          lastActivityAt: p.lastActivityAt,
          lastActivitySource: p.lastActivitySource,
          monthlyCost: p.monthlyCost,
          productKeys: p.seats.map((seat) => seat.productKey),
        };
      }
    })(),
  );
  await people.close();
  const products = writer.fleetTable<Record<string, unknown>>("products.ndjson.gz");
  await products.writeEach(
    report.products.map((p) => ({
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
    })),
  );
  await products.close();
}

/** A roles record: the fields of fleet/table-columns.ts `roles`, from one subscriptions.json role. */
export const roleRecord = (role: ApplicationRole): Record<string, unknown> => ({ productKey: role.key, productName: role.name, grantingGroups: role.groups });
