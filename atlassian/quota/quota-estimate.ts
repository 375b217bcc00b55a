/**
 * How much of the OAuth app's hourly points quota one collection will take, estimated from what validation already
 * reads (each product's `userCount`), so `check` can warn before a run hits the quota. Pure.
 *
 * A lower bound: users/search lists at least the biggest product's holders, and the granting groups hold at least
 * each product's count; audit records and issues, unknown before a run, are left out. The quota is per app and
 * shared by every site the app is installed on (atlassian-api.md §7), so the share matters more than the figure.
 */
import { requestPlan } from "./request-plan";

/** Tier 1: 65,000 points per hour per app. */
export const DEFAULT_HOURLY_POINTS = 65_000;
/** Warn when one collection would take more than this share of the hourly quota. */
export const DEFAULT_WARN_SHARE = 0.5;

export interface QuotaEstimate {
  /** At least this many points. */
  points: number;
  hourlyQuota: number;
  share: number;
  warn: boolean;
  message: string;
}

export function estimateOauthCollection(
  products: readonly { key: string; userCount: number | null }[],
  options: { hourlyQuota?: number; warnShare?: number; licenseFix?: string; scopedFix?: string } = {},
): QuotaEstimate {
  const hourlyQuota = options.hourlyQuota ?? DEFAULT_HOURLY_POINTS;
  const warnShare = options.warnShare ?? DEFAULT_WARN_SHARE;
  const counts = products.map((p) => Math.max(0, p.userCount ?? 0));
  const plan = requestPlan({
    users: Math.max(0, ...counts),
    grantingGroups: products.map((p, i) => ({ name: p.key, members: counts[i]! })),
    auditRecordsSinceWatermark: 0,
    matchingIssues: 0,
    applicationRoles: products.length,
    licensedApplications: products.length,
  });
  const points = plan.totalOauthPoints;
  const share = points / hourlyQuota;
  const percent = `${Math.round(share * 100)} %`;
  const warn = share > warnShare;
  const message = warn
    ? `a collection through OAuth alone costs at least ${points.toLocaleString("en")} points, ${percent} of the app's ${hourlyQuota.toLocaleString("en")}-point hourly quota (shared by every site of the app): add ${options.licenseFix ?? "`license` (an administrator's email and API token)"} or switch to a scoped API token (${options.scopedFix ?? "`scopedApiToken`"}) — API-token traffic is exempt from the quota`
    : `a collection through OAuth alone costs at least ${points.toLocaleString("en")} points, ${percent} of the app's hourly quota`;
  return { points, hourlyQuota, share, warn, message };
}
