/**
 * The report model: everything the terminal, HTML, CSV and removal-plan outputs show, computed once from a
 * snapshot's `seat-report.json` (older shapes upgraded, see upgrade.ts), its `users.ndjson.gz` (activity over time)
 * and the other snapshots' seat reports (seats over time). Given prices, the idle cost is recomputed from each
 * product's evidence counts. Pure.
 */
import type { ActivitySource } from "../../collector/decisions/activity";
import type { EvidenceSource, EvidenceStrength } from "../../collector/decisions/evidence";
import type { SeatPricing } from "../../collector/decisions/pricing";
import { costSummary, type CostSummary, productCost, type ProductCost, seatsMonthlyCost } from "../../collector/decisions/seat-cost";
import type { PersonFinding, RemovalPlan } from "../../collector/decisions/seat-people";
import type { SeatReport } from "../../collector/decisions/seat-report";
import { headline as seatHeadline } from "../../collector/decisions/seat-report-text";
import { activityOverTime, humanDate } from "./dates";
import { type StoredSeatReport, upgradeSeatReport } from "./upgrade";

export { activityOverTime, humanDate, relativeDays, weekStart } from "./dates";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SeatReportDocument extends SeatReport {
  connector: string;
  site?: string;
  cloudId?: string;
}

/** What the loader hands over: the current shape or an older one. */
export type StoredSeatReportDocument = StoredSeatReport & { connector: string; site?: string; cloudId?: string };

/** The fields of a `users.ndjson.gz` line the report reads. */
export interface UserLine {
  accountId: string;
  accountType?: string;
  active?: boolean;
  products?: { key: string }[];
  lastActivityAt?: string | null;
}

export interface ProductRow {
  key: string;
  name: string;
  plan: string | null;
  /** False on a FREE plan: not billed, never in cost. */
  billable: boolean;
  unlimited: boolean;
  purchased: number | null;
  used: number;
  /** `atlassian-count` when some granting group's members could not be read: Atlassian's figure, not ours. */
  usedSource: "group-members" | "atlassian-count";
  identified: number;
  holdersComplete: boolean;
  remaining: number | null;
  active: number;
  inactive: number;
  unknown: number;
  atlassianUserCount: number | null;
  userCountMismatch: boolean;
  cost: ProductCost | null;
}

/** A person of the seat report (seat-people.ts), with dates for reading. */
export interface PersonRow extends Omit<PersonFinding, "seats" | "monthlyCost"> {
  /** "1 Dec 2026" (UTC); null when never seen. */
  lastActivityDate: string | null;
  /** Whole days between the last activity and the report's `asOf`; null when never seen. */
  daysIdle: number | null;
  seats: { productKey: string; productName: string; groups: string[] }[];
  monthlyCost: number | null;
}

/** One not-active seat: a person × a billable product. The CSV's rows. */
export interface SeatRow {
  person: string;
  accountId: string;
  emailAddress: string | null;
  productKey: string;
  productName: string;
  groups: string[];
  /** `YYYY-MM-DD`, or null when never seen. */
  lastActivity: string | null;
  source: ActivitySource | null;
  evidence: Exclude<EvidenceStrength, "active">;
  monthlyPrice: number | null;
}

export interface ActivityBucket {
  /** Monday 00:00 UTC starting the week, `YYYY-MM-DD`. */
  weekStart: string;
  /** Seat holders whose last activity falls in this week. */
  holders: number;
}

export interface ActivityOverTime {
  buckets: ActivityBucket[];
  /** Seat holders last seen before the first week shown. */
  before: number;
  neverSeen: number;
  holders: number;
}

export interface ReportModel {
  connector: string;
  site: string | null;
  cloudId: string | null;
  asOf: string;
  inactivityDays: number;
  windowStart: string;
  /** Begins with "incomplete:" when figures are missing; shown first everywhere. */
  headline: string;
  warnings: string[];
  partial: boolean;
  partialReasons: string[];
  caveats: string[];
  evidence: EvidenceSource[];
  products: ProductRow[];
  totals: SeatReport["totals"];
  /** People not shown active: inactive first (removable), then unknown. */
  people: PersonRow[];
  seatRows: SeatRow[];
  removalPlan: RemovalPlan;
  cost: CostSummary | null;
  /** Null when the snapshot's users file was not read. */
  activity: ActivityOverTime | null;
  /** Seats used per product across this connector's snapshots; null with fewer than two. */
  history: SeatHistory | null;
}

/** The parts of a snapshot's seat report (any version) that the history reads. */
export type HistoricReport = Pick<SeatReport, "asOf" | "partial"> & {
  products: (Pick<SeatReport["products"][number], "productKey" | "productName" | "seatsUsed"> & { holdersComplete?: boolean; seatsUsedSource?: string })[];
};

export interface HistoryPoint {
  asOf: string;
  /** The snapshot was partial: none of its figures is drawn as real. */
  partial: boolean;
  /** Seats used; null when not a real figure (partial snapshot, or the product's holders were incomplete); absent when the snapshot had no such product. */
  used: Record<string, number | null>;
  /** Products whose figure at this point is withheld (null in `used`). */
  partialProducts: string[];
}

export interface SeatHistory {
  /** Every product seen, in the order of the newest snapshot, then older ones. */
  products: { key: string; name: string }[];
  /** Oldest first. */
  points: HistoryPoint[];
}

export interface ReportInput {
  seatReport: StoredSeatReportDocument;
  users: readonly UserLine[] | null;
  history?: readonly HistoricReport[];
  /** Prices given to `report`: the cost is recomputed with them (they win over the collector's). */
  pricing?: SeatPricing;
}

export function reportModel(input: ReportInput): ReportModel {
  const report = upgradeSeatReport(input.seatReport);
  const asOf = Date.parse(report.asOf);
  const pricing = input.pricing;
  const products = report.products.map(
    (p): ProductRow => ({
      key: p.productKey,
      name: p.productName,
      plan: p.plan,
      billable: p.billable,
      unlimited: p.hasUnlimitedSeats,
      purchased: p.seatsPurchased,
      used: p.seatsUsed,
      usedSource: p.seatsUsedSource,
      identified: p.holdersIdentified,
      holdersComplete: p.holdersComplete,
      remaining: p.seatsRemaining,
      active: p.holdersByEvidence.active,
      inactive: p.holdersByEvidence.inactive,
      unknown: p.holdersByEvidence.unknown,
      atlassianUserCount: p.atlassianUserCount,
      userCountMismatch: p.userCountMismatch,
      cost: pricing ? productCost(pricing, p.productKey, p.billable, p.holdersByEvidence) : p.cost,
    }),
  );
  const cost = pricing
    ? costSummary(pricing, products.map((p) => ({ productKey: p.key, billable: p.billable, cost: p.cost, notActiveSeats: p.inactive + p.unknown })))
    : report.cost;
  const people = report.people.map(
    (p): PersonRow => ({
      accountId: p.accountId,
      displayName: p.displayName,
      emailAddress: p.emailAddress,
      evidence: p.evidence,
      lastActivityAt: p.lastActivityAt,
      lastActivitySource: p.lastActivitySource,
      lastActivityDetail: p.lastActivityDetail,
      lastActivityDate: p.lastActivityAt === null ? null : humanDate(Date.parse(p.lastActivityAt)),
      daysIdle: p.lastActivityAt === null ? null : Math.floor((asOf - Date.parse(p.lastActivityAt)) / DAY_MS),
      seats: p.seats.map((s) => ({ productKey: s.productKey, productName: s.productName, groups: [...s.groups] })),
      monthlyCost: pricing ? seatsMonthlyCost(pricing, p.seats.map((s) => s.productKey)) : p.monthlyCost,
    }),
  );
  const priceOf = (key: string) => (pricing ? pricing.monthlyPerSeat[key] : report.products.find((p) => p.productKey === key)?.cost?.monthlyPerSeat) ?? null;
  const seatRows = people.flatMap((p) =>
    p.seats.map(
      (s): SeatRow => ({
        person: p.displayName,
        accountId: p.accountId,
        emailAddress: p.emailAddress,
        productKey: s.productKey,
        productName: s.productName,
        groups: s.groups,
        lastActivity: p.lastActivityAt?.slice(0, 10) ?? null,
        source: p.lastActivitySource,
        evidence: p.evidence,
        monthlyPrice: priceOf(s.productKey),
      }),
    ),
  );
  const activityIncomplete = report.partialReasons.some((r) => r.startsWith("activity data is incomplete"));
  return {
    connector: report.connector,
    site: report.site ?? null,
    cloudId: report.cloudId ?? null,
    asOf: report.asOf,
    inactivityDays: report.inactivityDays,
    windowStart: report.windowStart,
    // With prices given here the collector's headline may name another (or no) amount: say it again.
    headline: pricing ? seatHeadline(report.totals, report.products, cost, report.partial, activityIncomplete) : report.headline,
    warnings: report.warnings,
    partial: report.partial,
    partialReasons: report.partialReasons,
    caveats: report.caveats,
    evidence: report.evidence,
    products,
    totals: report.totals,
    people,
    seatRows,
    removalPlan: report.removalPlan,
    cost,
    activity: input.users === null ? null : activityOverTime(input.users, Date.parse(report.windowStart), asOf),
    history: seatHistory(input.history ?? []),
  };
}

/**
 * Seats used per product over time, from the seat reports of several snapshots (any order, duplicates dropped).
 * A partial snapshot's figures and a product whose holders were incomplete are withheld (null, listed in
 * `partialProducts`): a low count from a cut-short read must not look like seats freed.
 */
export function seatHistory(reports: readonly HistoricReport[]): SeatHistory | null {
  const byAsOf = new Map(reports.map((r) => [r.asOf, r]));
  const ordered = [...byAsOf.values()].sort((a, b) => Date.parse(a.asOf) - Date.parse(b.asOf));
  if (ordered.length < 2) return null;
  const products = new Map<string, string>();
  for (const report of [...ordered].reverse()) for (const p of report.products) if (!products.has(p.productKey)) products.set(p.productKey, p.productName);
  return {
    products: [...products].map(([key, name]) => ({ key, name })),
    points: ordered.map((r) => {
      const withheld = r.products.filter((p) => r.partial || p.holdersComplete === false).map((p) => p.productKey);
      return {
        asOf: r.asOf,
        partial: r.partial,
        used: Object.fromEntries(r.products.map((p) => [p.productKey, withheld.includes(p.productKey) ? null : p.seatsUsed])),
        partialProducts: withheld,
      };
    }),
  };
}
