/**
 * The report model: everything the terminal and HTML reports show, computed once from a snapshot's
 * `seat-report.json` and (for activity over time) its `users.ndjson.gz`. Pure.
 */
import type { SeatReport } from "../../collector/decisions/seat-report";
import type { SeatPricing } from "../../collector/decisions/pricing";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SeatReportDocument extends SeatReport {
  connector: string;
  site?: string;
  cloudId?: string;
}

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
  unlimited: boolean;
  purchased: number | null;
  used: number;
  remaining: number | null;
  inactive: number;
  atlassianUserCount: number | null;
  userCountMismatch: boolean;
}

export interface InactiveRow {
  productKey: string;
  productName: string;
  displayName: string;
  emailAddress: string | null;
  lastActivityAt: string | null;
  /** Whole days between the last activity and the report's `asOf`; null when never seen. */
  daysIdle: number | null;
  groups: string[];
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
  partial: boolean;
  partialReasons: string[];
  caveats: string[];
  products: ProductRow[];
  totals: SeatReport["totals"];
  inactiveHolders: InactiveRow[];
  /** Null when the snapshot's users file was not read. */
  activity: ActivityOverTime | null;
  /** Seats used per product across this connector's snapshots; null with fewer than two. */
  history: SeatHistory | null;
}

/** The parts of an older snapshot's seat report that the history reads. */
export type HistoricReport = Pick<SeatReport, "asOf" | "partial"> & { products: Pick<SeatReport["products"][number], "productKey" | "productName" | "seatsUsed">[] };

export interface SeatHistory {
  /** Every product seen, in the order of the newest snapshot, then older ones. */
  products: { key: string; name: string }[];
  /** Oldest first. `used[key]` is absent for a product the snapshot did not have. */
  points: { asOf: string; partial: boolean; used: Record<string, number> }[];
}

export function reportModel(input: {
  seatReport: SeatReportDocument;
  users: readonly UserLine[] | null;
  history?: readonly HistoricReport[];
  /** Seat prices from `--pricing`/`--price` (validated); for the cost of idle seats. */
  pricing?: SeatPricing;
}): ReportModel {
  const report = input.seatReport;
  const asOf = Date.parse(report.asOf);
  return {
    connector: report.connector,
    site: report.site ?? null,
    cloudId: report.cloudId ?? null,
    asOf: report.asOf,
    inactivityDays: report.inactivityDays,
    windowStart: report.windowStart,
    partial: report.partial,
    partialReasons: report.partialReasons,
    caveats: report.caveats,
    products: report.products.map((p) => ({
      key: p.productKey,
      name: p.productName,
      plan: p.plan,
      unlimited: p.hasUnlimitedSeats,
      purchased: p.seatsPurchased,
      used: p.seatsUsed,
      remaining: p.seatsRemaining,
      inactive: p.inactiveHolders.length,
      atlassianUserCount: p.atlassianUserCount,
      userCountMismatch: p.userCountMismatch,
    })),
    totals: report.totals,
    inactiveHolders: report.products.flatMap((p) =>
      p.inactiveHolders.map((h) => ({
        productKey: p.productKey,
        productName: p.productName,
        displayName: h.displayName,
        emailAddress: h.emailAddress,
        lastActivityAt: h.lastActivityAt,
        daysIdle: h.lastActivityAt === null ? null : Math.floor((asOf - Date.parse(h.lastActivityAt)) / DAY_MS),
        groups: h.groups,
      })),
    ),
    activity: input.users === null ? null : activityOverTime(input.users, Date.parse(report.windowStart), asOf),
    history: seatHistory(input.history ?? []),
  };
}

/** Seats used per product over time, from the seat reports of several snapshots (any order, duplicates dropped). */
export function seatHistory(reports: readonly HistoricReport[]): SeatHistory | null {
  const byAsOf = new Map(reports.map((r) => [r.asOf, r]));
  const ordered = [...byAsOf.values()].sort((a, b) => Date.parse(a.asOf) - Date.parse(b.asOf));
  if (ordered.length < 2) return null;
  const products = new Map<string, string>();
  for (const report of [...ordered].reverse()) for (const p of report.products) if (!products.has(p.productKey)) products.set(p.productKey, p.productName);
  return {
    products: [...products].map(([key, name]) => ({ key, name })),
    points: ordered.map((r) => ({ asOf: r.asOf, partial: r.partial, used: Object.fromEntries(r.products.map((p) => [p.productKey, p.seatsUsed])) })),
  };
}

/** Monday 00:00 UTC of the week containing `ms`. */
export function weekStart(ms: number): number {
  const day = new Date(ms);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return midnight - ((day.getUTCDay() + 6) % 7) * DAY_MS;
}

/** Seat holders (active atlassian accounts holding a product) by the week of their last activity. */
export function activityOverTime(users: readonly UserLine[], windowStartMs: number, asOfMs: number): ActivityOverTime {
  const first = weekStart(windowStartMs);
  const weeks: number[] = [];
  for (let w = first; w <= asOfMs; w += 7 * DAY_MS) weeks.push(w);
  const counts = new Map(weeks.map((w) => [w, 0]));
  let before = 0;
  let neverSeen = 0;
  let holders = 0;
  for (const user of users) {
    if (user.active === false || (user.accountType !== undefined && user.accountType !== "atlassian") || !user.products?.length) continue;
    holders++;
    const at = user.lastActivityAt ? Date.parse(user.lastActivityAt) : NaN;
    if (Number.isNaN(at)) neverSeen++;
    else if (at < first) before++;
    else {
      const week = weekStart(Math.min(at, asOfMs));
      counts.set(week, (counts.get(week) ?? 0) + 1);
    }
  }
  return {
    buckets: weeks.map((w) => ({ weekStart: new Date(w).toISOString().slice(0, 10), holders: counts.get(w) ?? 0 })),
    before,
    neverSeen,
    holders,
  };
}
