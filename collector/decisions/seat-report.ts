/**
 * The seat report: per product, seats paid for, used and left, and the holders who have not used Jira within the
 * inactivity window — with the group(s) to remove them from. Pure: built from `seatHolders` and the activity map.
 */
import type { ApplicationRole, InstanceLicense } from "../../atlassian";
import type { ActivitySource, UserActivity } from "./activity";
import { compare, type ExclusionReason, type ProductSeatHolders } from "./seat-holders";
import { DAY_MS, toIso } from "./time";

export const DEFAULT_INACTIVITY_DAYS = 90;

export interface SeatReportInput {
  roles: readonly ApplicationRole[];
  holders: readonly ProductSeatHolders[];
  activity: ReadonlyMap<string, UserActivity>;
  asOf: Date;
  inactivityDays?: number;
  license?: InstanceLicense;
  /** The earliest instant the activity evidence covers (e.g. the JQL bound); default: the window start. */
  activityEvidenceSince?: Date;
  /** Whether org last-active dates were among the sources (they are the only page-view signal). */
  orgLastActiveUsed?: boolean;
  /** Passed through from the collector: what was not fetched, and whether activity fetching was incomplete. */
  partial?: { reasons?: readonly string[]; activityIncomplete?: boolean };
}

export interface InactiveSeatHolder {
  accountId: string;
  displayName: string;
  emailAddress: string | null;
  /** Null: no activity seen at all in the evidence we have (see `note`). */
  lastActivityAt: string | null;
  lastActivitySource: ActivitySource | null;
  note: string;
  /** Granting groups that make the account billable for this product. */
  groups: string[];
}

export interface ProductSeatReport {
  productKey: string;
  productName: string;
  plan: string | null;
  hasUnlimitedSeats: boolean;
  /** `numberOfSeats`; null when unlimited (or not reported). */
  seatsPurchased: number | null;
  /** Our count: active atlassian accounts in a granting group. */
  seatsUsed: number;
  /** Atlassian's own `userCount`, side by side with ours. */
  atlassianUserCount: number | null;
  /** Both counts known and different: stale Atlassian cache, or a membership we could not see. */
  userCountMismatch: boolean;
  /** purchased − used (negative when over-allocated); null when unlimited. */
  seatsRemaining: number | null;
  atlassianRemainingSeats: number | null;
  /** Sorted: never seen first, then oldest activity first, then accountId. */
  inactiveHolders: InactiveSeatHolder[];
  /** Members of granting groups that take no seat, by reason. */
  excludedMembers: Record<ExclusionReason, number>;
}

export interface SeatReport {
  asOf: string;
  inactivityDays: number;
  /** Activity at or after this instant counts as recent. */
  windowStart: string;
  products: ProductSeatReport[];
  totals: {
    /** Sum over products with a seat limit. */
    seatsPurchased: number;
    unlimitedProducts: number;
    /** Per-product seats summed: each product is billed separately, so one person in two products is two seats. */
    seatsUsed: number;
    seatsRemaining: number;
    distinctHolders: number;
    inactiveSeats: number;
    distinctInactiveHolders: number;
  };
  /** True when any input was incomplete: counts may be low and inactive holders may have been active. */
  partial: boolean;
  partialReasons: string[];
  /** Limits of the evidence that hold even on a complete run. */
  caveats: string[];
}

/** Builds the seat report. A holder is inactive when their last activity is before `asOf − inactivityDays`. */
export function seatReport(input: SeatReportInput): SeatReport {
  const inactivityDays = input.inactivityDays ?? DEFAULT_INACTIVITY_DAYS;
  const asOf = input.asOf.getTime();
  const windowStart = asOf - inactivityDays * DAY_MS;
  const evidenceSince = toIso(input.activityEvidenceSince?.getTime() ?? windowStart);
  // One string for every holder never seen (most of them on a big site), not one copy each.
  const neverSeenNote = `no activity seen since ${evidenceSince}; unknown before ${evidenceSince}`;
  const reasons = [...(input.partial?.reasons ?? [])];
  const holdersByKey = new Map(input.holders.map((h) => [h.productKey, h]));
  const planOf = new Map((input.license?.applications ?? []).map((a) => [a.id, a.plan]));

  const products = [...input.roles]
    .sort((a, b) => compare(a.key, b.key))
    .map((role): ProductSeatReport => {
      const seats = holdersByKey.get(role.key);
      if (!seats) reasons.push(`${role.key}: seat holders were not computed`);
      if (seats?.missingGroups.length) {
        reasons.push(`${role.key}: members of ${seats.missingGroups.join(", ")} not fetched; seats used is a lower bound`);
      }
      if (seats?.unresolved.length) {
        reasons.push(`${role.key}: ${seats.unresolved.length} group member(s) missing from the user listing, not counted`);
      }
      const holders = seats?.holders ?? [];
      const purchased = role.hasUnlimitedSeats ? null : (role.numberOfSeats ?? null);
      const atlassianCount = role.userCount ?? null;
      const inactiveHolders = holders
        .map((h): InactiveSeatHolder | undefined => {
          const seen = input.activity.get(h.accountId);
          const at = seen ? Date.parse(seen.lastActivityAt) : undefined;
          // Inclusive: activity exactly `inactivityDays` ago is still within the window.
          if (at !== undefined && at >= windowStart) return undefined;
          return {
            accountId: h.accountId,
            displayName: h.displayName,
            emailAddress: h.emailAddress,
            lastActivityAt: seen?.lastActivityAt ?? null,
            lastActivitySource: seen?.lastActivitySource ?? null,
            note: seen
              ? `last activity ${seen.lastActivityAt} (${seen.detail}), ${Math.floor((asOf - at!) / DAY_MS)} days before ${toIso(asOf)}`
              : neverSeenNote,
            groups: h.groups,
          };
        })
        .filter((h): h is InactiveSeatHolder => h !== undefined)
        .sort(byReclaimPriority);
      const excludedMembers: Record<ExclusionReason, number> = { inactive: 0, app: 0, customer: 0, "other-account-type": 0 };
      for (const e of seats?.excluded ?? []) excludedMembers[e.reason]++;
      return {
        productKey: role.key,
        productName: role.name,
        plan: planOf.get(role.key) ?? null,
        hasUnlimitedSeats: role.hasUnlimitedSeats,
        seatsPurchased: purchased,
        seatsUsed: holders.length,
        atlassianUserCount: atlassianCount,
        userCountMismatch: atlassianCount !== null && seats !== undefined && atlassianCount !== holders.length,
        seatsRemaining: purchased === null ? null : purchased - holders.length,
        atlassianRemainingSeats: role.hasUnlimitedSeats ? null : (role.remainingSeats ?? null),
        inactiveHolders,
        excludedMembers,
      };
    });

  if (input.partial?.activityIncomplete) {
    reasons.push("activity data is incomplete: some holders listed as inactive may have been active");
  }
  const caveats: string[] = [];
  if (!input.orgLastActiveUsed) {
    caveats.push(
      "activity comes from audit records and issues only: people who only view, comment on or transition issues " +
        "leave no trace there and may be listed as inactive; org last-active dates would show them",
    );
  }
  const limited = products.filter((p) => p.seatsPurchased !== null);
  return {
    asOf: toIso(asOf),
    inactivityDays,
    windowStart: toIso(windowStart),
    products,
    totals: {
      seatsPurchased: sum(limited.map((p) => p.seatsPurchased!)),
      unlimitedProducts: products.length - limited.length,
      seatsUsed: sum(products.map((p) => p.seatsUsed)),
      seatsRemaining: sum(limited.map((p) => p.seatsRemaining!)),
      distinctHolders: new Set(products.flatMap((p) => holdersByKey.get(p.productKey)?.holders.map((h) => h.accountId) ?? [])).size,
      inactiveSeats: sum(products.map((p) => p.inactiveHolders.length)),
      distinctInactiveHolders: new Set(products.flatMap((p) => p.inactiveHolders.map((h) => h.accountId))).size,
    },
    partial: reasons.length > 0,
    partialReasons: reasons,
    caveats,
  };
}

/** Never seen first (most likely unused), then the longest-idle, then accountId for a total order. */
function byReclaimPriority(a: InactiveSeatHolder, b: InactiveSeatHolder): number {
  if (a.lastActivityAt !== b.lastActivityAt) {
    if (a.lastActivityAt === null) return -1;
    if (b.lastActivityAt === null) return 1;
    return Date.parse(a.lastActivityAt) - Date.parse(b.lastActivityAt);
  }
  return compare(a.accountId, b.accountId);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
