/**
 * Older snapshots' seat reports (written before evidence strengths) lack most of what the report shows. Rather than
 * refuse them — they are the history, and someone may report an old snapshot — they are filled in here, honestly:
 * an old "inactive" holder only lacked a recorded action (no page-view source was read), which is *unknown* today,
 * never *inactive*; so an upgraded report has no removal plan. Pure.
 */
import type { PersonFinding } from "../../collector/decisions/seat-people";
import type { ProductSeatReport, SeatReport } from "../../collector/decisions/seat-report";

/** A seat report as found on disk: the new shape, or an older one missing any of the fields added since. */
export type StoredSeatReport = Partial<Omit<SeatReport, "products" | "totals">> & {
  asOf: string;
  inactivityDays: number;
  windowStart: string;
  partial: boolean;
  partialReasons: string[];
  caveats: string[];
  products: (Partial<ProductSeatReport> & Pick<ProductSeatReport, "productKey" | "productName" | "seatsUsed"> & { inactiveHolders?: Partial<ProductSeatReport["inactiveHolders"][number]>[] })[];
  totals: Partial<SeatReport["totals"]> & { seatsPurchased: number; seatsUsed: number; seatsRemaining: number };
};

export const OLD_SNAPSHOT_WARNING =
  "This snapshot was written by an older collector that did not record evidence strength: its holders without a recorded action are shown as unknown (not proven idle), and there is no removal plan. Collect again for a current report.";

/** True when the document has the fields of the current shape (a headline and per-product evidence counts). */
export function isCurrentShape(report: StoredSeatReport): boolean {
  return typeof report.headline === "string" && report.products.every((p) => p.holdersByEvidence !== undefined);
}

export function upgradeSeatReport<T extends StoredSeatReport>(stored: T): Omit<T, keyof SeatReport> & SeatReport {
  if (isCurrentShape(stored)) return stored as unknown as Omit<T, keyof SeatReport> & SeatReport;
  const products = stored.products.map((p): ProductSeatReport => {
    const holders = (p.inactiveHolders ?? []).map((h) => ({
      accountId: h.accountId ?? h.displayName ?? "unknown",
      displayName: h.displayName ?? h.accountId ?? "unknown",
      emailAddress: h.emailAddress ?? null,
      evidence: h.evidence ?? ("unknown" as const),
      lastActivityAt: h.lastActivityAt ?? null,
      lastActivitySource: h.lastActivitySource ?? null,
      note: h.note ?? "",
      groups: h.groups ?? [],
    }));
    const complete = p.holdersComplete ?? !stored.partial;
    const identified = p.holdersIdentified ?? p.seatsUsed;
    return {
      productKey: p.productKey,
      productName: p.productName,
      plan: p.plan ?? null,
      billable: p.billable ?? p.plan !== "FREE",
      hasUnlimitedSeats: p.hasUnlimitedSeats ?? false,
      seatsPurchased: p.seatsPurchased ?? null,
      seatsUsed: p.seatsUsed,
      seatsUsedSource: p.seatsUsedSource ?? "group-members",
      holdersIdentified: identified,
      holdersComplete: complete,
      atlassianUserCount: p.atlassianUserCount ?? null,
      userCountMismatch: p.userCountMismatch ?? false,
      seatsRemaining: p.seatsRemaining ?? null,
      atlassianRemainingSeats: p.atlassianRemainingSeats ?? null,
      holdersByEvidence: p.holdersByEvidence ?? {
        active: Math.max(0, identified - holders.length),
        inactive: holders.filter((h) => h.evidence === "inactive").length,
        unknown: holders.filter((h) => h.evidence !== "inactive").length,
      },
      inactiveHolders: holders,
      excludedMembers: p.excludedMembers ?? { inactive: 0, app: 0, customer: 0, "other-account-type": 0 },
      cost: p.cost ?? null,
    };
  });
  const people = stored.people ?? peopleOf(products);
  const t = stored.totals;
  const billed = products.filter((p) => p.billable);
  const totals: SeatReport["totals"] = {
    seatsPurchased: t.seatsPurchased,
    unlimitedProducts: t.unlimitedProducts ?? billed.filter((p) => p.seatsPurchased === null).length,
    freeProducts: t.freeProducts ?? products.length - billed.length,
    seatsUsed: t.seatsUsed,
    seatsRemaining: t.seatsRemaining,
    freeSeatsUsed: t.freeSeatsUsed ?? products.filter((p) => !p.billable).reduce((n, p) => n + p.seatsUsed, 0),
    holdersIdentified: t.holdersIdentified ?? billed.reduce((n, p) => n + p.holdersIdentified, 0),
    distinctHolders: t.distinctHolders ?? 0,
    billableHolders: t.billableHolders ?? t.distinctHolders ?? 0,
    activePeople: t.activePeople ?? Math.max(0, (t.billableHolders ?? t.distinctHolders ?? 0) - people.length),
    inactivePeople: people.filter((p) => p.evidence === "inactive").length,
    unknownPeople: people.filter((p) => p.evidence === "unknown").length,
    // An old `inactiveSeats` counted holders without a recorded action: unknown today, so recomputed.
    inactiveSeats: billed.reduce((n, p) => n + p.holdersByEvidence.inactive, 0),
    unknownSeats: billed.reduce((n, p) => n + p.holdersByEvidence.unknown, 0),
  };
  const headline =
    stored.headline ??
    `${stored.partial ? "incomplete: " : ""}${totals.seatsUsed} seats used of ${totals.seatsPurchased} purchased; ${totals.unknownPeople} holder(s) without a recorded action cannot be classified (older snapshot)`;
  return {
    ...stored,
    headline,
    warnings: [...(stored.warnings ?? []), ...(stored.headline === undefined ? [OLD_SNAPSHOT_WARNING] : [])],
    evidence: stored.evidence ?? [],
    products,
    people,
    removalPlan: stored.removalPlan ?? { basis: "an older snapshot: no holder is proven inactive", entries: [], warnings: [] },
    totals,
    cost: stored.cost ?? null,
  } as unknown as Omit<T, keyof SeatReport> & SeatReport;
}

/** One row per person from per-product holders (billable products only), as the collector builds them. */
function peopleOf(products: readonly ProductSeatReport[]): PersonFinding[] {
  const people = new Map<string, PersonFinding>();
  for (const p of products) {
    if (!p.billable) continue;
    for (const h of p.inactiveHolders) {
      const person = people.get(h.accountId) ?? {
        accountId: h.accountId,
        displayName: h.displayName,
        emailAddress: h.emailAddress,
        evidence: h.evidence,
        lastActivityAt: h.lastActivityAt,
        lastActivitySource: h.lastActivitySource,
        lastActivityDetail: null,
        seats: [],
        monthlyCost: null,
      };
      person.seats.push({ productKey: p.productKey, productName: p.productName, groups: h.groups });
      people.set(h.accountId, person);
    }
  }
  return [...people.values()];
}
