/**
 * The seat report: per product, seats paid for, used and left; every holder's evidence strength (active, inactive,
 * unknown — see evidence.ts); one row per person not shown active, with the groups that grant their seats; idle
 * cost when prices are known; and a headline that says plainly when the figures are incomplete. Pure: built from
 * `seatHolders`, the activity map and what the collector could read.
 */
import type { ApplicationRole, InstanceLicense } from "../../atlassian";
import { CONNECTOR_SCOPES } from "../../atlassian/scopes";
import type { ActivitySource, UserActivity } from "./activity";
import { classifyHolder, type EvidenceSource, type EvidenceStrength, planEvidence } from "./evidence";
import type { SeatPricing } from "./pricing";
import { costSummary, type CostSummary, productCost, type ProductCost, seatsMonthlyCost } from "./seat-cost";
import { compare, type ExclusionReason, type ProductSeatHolders } from "./seat-holders";
import { type HolderFinding, type PersonFinding, removalPlan, type RemovalPlan, sortByReclaimOrder } from "./seat-people";
import { caveats, headline, warnings } from "./seat-report-text";
import { DAY_MS, toIso } from "./time";

export const DEFAULT_INACTIVITY_DAYS = 90;

export interface SeatReportInput {
  roles: readonly ApplicationRole[];
  holders: readonly ProductSeatHolders[];
  activity: ReadonlyMap<string, UserActivity>;
  asOf: Date;
  inactivityDays?: number;
  license?: InstanceLicense;
  /** The earliest instant the action evidence covers (e.g. the first run's audit lookback); default: the window start. */
  activityEvidenceSince?: Date;
  /** What the run read; default: audit records and issues, no org dates. */
  evidence?: readonly EvidenceSource[];
  /** Accounts a page-view source (the org directory) answered for in this run. */
  pageViewsCover?: ReadonlySet<string>;
  pricing?: SeatPricing;
  /** Passed through from the collector: what was not fetched, and whether activity fetching was incomplete. */
  partial?: { reasons?: readonly string[]; activityIncomplete?: boolean };
}

export interface InactiveSeatHolder extends HolderFinding {
  /** What the evidence was, or why there is none. */
  note: string;
  /** Granting groups that make the account billable for this product. */
  groups: string[];
}

export interface ProductSeatReport {
  productKey: string;
  productName: string;
  plan: string | null;
  /** False on a FREE plan: not in seats purchased, not in cost. */
  billable: boolean;
  hasUnlimitedSeats: boolean;
  /** `numberOfSeats`; null when unlimited (or not reported). */
  seatsPurchased: number | null;
  /** The best figure: our count when every granting group was read, else Atlassian's `userCount`. */
  seatsUsed: number;
  seatsUsedSource: "group-members" | "atlassian-count";
  /** Holders we identified by name (a lower bound of seats used when `holdersComplete` is false). */
  holdersIdentified: number;
  holdersComplete: boolean;
  atlassianUserCount: number | null;
  /** Both counts known and different: stale Atlassian cache, or a membership we could not see. */
  userCountMismatch: boolean;
  /** purchased − used (negative when over-allocated); null when unlimited. */
  seatsRemaining: number | null;
  atlassianRemainingSeats: number | null;
  holdersByEvidence: Record<EvidenceStrength, number>;
  /** Identified holders not shown active: inactive first, then unknown; never seen first, then oldest. */
  inactiveHolders: InactiveSeatHolder[];
  excludedMembers: Record<ExclusionReason, number>;
  cost: ProductCost | null;
}

export interface SeatReport {
  asOf: string;
  inactivityDays: number;
  /** Activity at or after this instant counts as recent. */
  windowStart: string;
  /** One line a person can act on; begins with "incomplete:" when figures are missing. */
  headline: string;
  /** Lead the report: most holders unclassifiable, sources missing. */
  warnings: string[];
  evidence: EvidenceSource[];
  products: ProductSeatReport[];
  /** People holding billable seats who were not shown active: one row each, with all their seats. */
  people: PersonFinding[];
  removalPlan: RemovalPlan;
  totals: {
    /** Billable products with a seat limit. */
    seatsPurchased: number;
    unlimitedProducts: number;
    freeProducts: number;
    /** Billable products' best figures summed: each product is billed separately (one person in two is two seats). */
    seatsUsed: number;
    seatsRemaining: number;
    /** Seats used on FREE plans (not billed). */
    freeSeatsUsed: number;
    holdersIdentified: number;
    /** People holding a seat of any product, and of a billable one; the three counts below add up to the latter. */
    distinctHolders: number;
    billableHolders: number;
    activePeople: number;
    inactivePeople: number;
    unknownPeople: number;
    inactiveSeats: number;
    unknownSeats: number;
  };
  cost: CostSummary | null;
  /** True when any input was incomplete: counts may be low and holders not shown active may have been active. */
  partial: boolean;
  partialReasons: string[];
  /** Limits of the evidence that hold even on a complete run. */
  caveats: string[];
}

export function seatReport(input: SeatReportInput): SeatReport {
  const inactivityDays = input.inactivityDays ?? DEFAULT_INACTIVITY_DAYS;
  const asOf = input.asOf.getTime();
  const windowStart = asOf - inactivityDays * DAY_MS;
  const asOfIso = toIso(asOf);
  const evidenceSince = toIso(input.activityEvidenceSince?.getTime() ?? windowStart);
  const evidence = [...(input.evidence ?? planEvidence({ kind: "oauth", grantedScopes: CONNECTOR_SCOPES }, false))];
  const cover = input.pageViewsCover ?? new Set<string>();
  // One string per kind for every holder never seen (most of them on a big site), not one copy each.
  const neverSeen = {
    inactive: "no activity since the window start; the org's last-active dates show none",
    unknown: `no recorded action since ${evidenceSince}; no configured source sees page views`,
  };
  const reasons = [...(input.partial?.reasons ?? [])];
  const holdersByKey = new Map(input.holders.map((h) => [h.productKey, h]));
  const planOf = new Map((input.license?.applications ?? []).map((a) => [a.id, a.plan]));
  const strengthOf = new Map<string, EvidenceStrength>();
  const strength = (accountId: string) => {
    let s = strengthOf.get(accountId);
    if (s === undefined) strengthOf.set(accountId, (s = classifyHolder(input.activity.get(accountId), windowStart, cover.has(accountId))));
    return s;
  };
  const people = new Map<string, PersonFinding>();

  const products = [...input.roles].sort((a, b) => compare(a.key, b.key)).map((role): ProductSeatReport => {
    const seats = holdersByKey.get(role.key);
    if (!seats) reasons.push(`${role.key}: seat holders were not computed`);
    if (seats?.missingGroups.length) reasons.push(`${role.key}: members of ${seats.missingGroups.join(", ")} not fetched`);
    if (seats?.unresolved.length) reasons.push(`${role.key}: ${seats.unresolved.length} group member(s) missing from the user listing, not counted`);
    const holders = seats?.holders ?? [];
    const complete = seats !== undefined && seats.missingGroups.length === 0 && seats.unresolved.length === 0;
    const atlassianCount = role.userCount ?? null;
    const useAtlassian = !complete && atlassianCount !== null;
    const used = useAtlassian ? atlassianCount : holders.length;
    const plan = planOf.get(role.key) ?? null;
    const billable = plan !== "FREE";
    const purchased = role.hasUnlimitedSeats ? null : (role.numberOfSeats ?? null);
    const byEvidence: Record<EvidenceStrength, number> = { active: 0, inactive: 0, unknown: 0 };
    const inactiveHolders: InactiveSeatHolder[] = [];
    for (const h of holders) {
      const s = strength(h.accountId);
      byEvidence[s]++;
      if (s === "active") continue;
      const seen = input.activity.get(h.accountId);
      const lastActivityAt = seen?.lastActivityAt ?? null;
      const lastActivitySource = seen?.lastActivitySource ?? null;
      const note = seen ? `last activity ${seen.lastActivityAt} (${seen.detail}), ${Math.floor((asOf - Date.parse(seen.lastActivityAt)) / DAY_MS)} days before ${asOfIso}` : neverSeen[s];
      // Literal objects with every field, not spreads: spread copies fall into V8's dictionary mode, and at 100k
      // holders that made the report ten times its size (116 MB instead of ~11).
      inactiveHolders.push({ accountId: h.accountId, displayName: h.displayName, emailAddress: h.emailAddress, evidence: s, lastActivityAt, lastActivitySource, note, groups: h.groups });
      if (!billable) continue;
      const person: PersonFinding = people.get(h.accountId) ?? {
        accountId: h.accountId,
        displayName: h.displayName,
        emailAddress: h.emailAddress,
        evidence: s,
        lastActivityAt,
        lastActivitySource,
        lastActivityDetail: seen?.detail ?? null,
        seats: [],
        monthlyCost: null,
      };
      person.seats.push({ productKey: role.key, productName: role.name, groups: h.groups });
      people.set(h.accountId, person);
    }
    sortByReclaimOrder(inactiveHolders);
    const excludedMembers: Record<ExclusionReason, number> = { inactive: 0, app: 0, customer: 0, "other-account-type": 0 };
    for (const e of seats?.excluded ?? []) excludedMembers[e.reason]++;
    return {
      productKey: role.key,
      productName: role.name,
      plan,
      billable,
      hasUnlimitedSeats: role.hasUnlimitedSeats,
      seatsPurchased: purchased,
      seatsUsed: used,
      seatsUsedSource: useAtlassian ? "atlassian-count" : "group-members",
      holdersIdentified: holders.length,
      holdersComplete: complete,
      atlassianUserCount: atlassianCount,
      userCountMismatch: atlassianCount !== null && complete && atlassianCount !== holders.length,
      seatsRemaining: purchased === null ? null : purchased - used,
      atlassianRemainingSeats: role.hasUnlimitedSeats ? null : (role.remainingSeats ?? null),
      holdersByEvidence: byEvidence,
      inactiveHolders,
      excludedMembers,
      cost: productCost(input.pricing, role.key, billable, byEvidence),
    };
  });

  if (input.partial?.activityIncomplete) reasons.push("activity data is incomplete: some holders not shown active may have been active");
  const billed = products.filter((p) => p.billable);
  const limited = billed.filter((p) => p.seatsPurchased !== null);
  const distinct = new Set(products.flatMap((p) => holdersByKey.get(p.productKey)?.holders.map((h) => h.accountId) ?? []));
  // People are counted among holders of billable seats (a FREE plan's seat costs nothing to keep).
  const billableHolders = new Set(billed.flatMap((p) => holdersByKey.get(p.productKey)?.holders.map((h) => h.accountId) ?? []));
  const count = (s: EvidenceStrength) => [...billableHolders].filter((id) => strength(id) === s).length;
  const peopleRows = sortByReclaimOrder([...people.values()]);
  for (const person of peopleRows) person.monthlyCost = seatsMonthlyCost(input.pricing, person.seats.map((seat) => seat.productKey));
  const totals: SeatReport["totals"] = {
    seatsPurchased: sum(limited.map((p) => p.seatsPurchased!)),
    unlimitedProducts: billed.length - limited.length,
    freeProducts: products.length - billed.length,
    seatsUsed: sum(billed.map((p) => p.seatsUsed)),
    seatsRemaining: sum(limited.map((p) => p.seatsRemaining!)),
    freeSeatsUsed: sum(products.filter((p) => !p.billable).map((p) => p.seatsUsed)),
    holdersIdentified: sum(billed.map((p) => p.holdersIdentified)),
    distinctHolders: distinct.size,
    billableHolders: billableHolders.size,
    activePeople: count("active"),
    inactivePeople: count("inactive"),
    unknownPeople: count("unknown"),
    inactiveSeats: sum(billed.map((p) => p.holdersByEvidence.inactive)),
    unknownSeats: sum(billed.map((p) => p.holdersByEvidence.unknown)),
  };
  const cost = costSummary(input.pricing, products.map((p) => ({ productKey: p.productKey, billable: p.billable, cost: p.cost, notActiveSeats: p.inactiveHolders.length })));
  const partial = reasons.length > 0;
  return {
    asOf: toIso(asOf),
    inactivityDays,
    windowStart: toIso(windowStart),
    headline: headline(totals, products, cost, partial, input.partial?.activityIncomplete === true),
    warnings: warnings(totals, evidence),
    evidence,
    products,
    people: peopleRows,
    removalPlan: removalPlan(peopleRows, toIso(windowStart)),
    totals,
    cost,
    partial,
    partialReasons: reasons,
    caveats: caveats(evidence),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
