import type { ListingBounds } from "../atlassian/jira/listing-bounds";

/**
 * Per-listing bounds of one collection (README "Bounds"), far above real sites: a Jira Cloud site has at most
 * ~150k users (100k licensed users plus apps, customers and deactivated accounts). A listing that reaches its
 * bound ends there and the run is partial, with the bound named in the reason — a server that never ends a listing
 * costs bounded time and memory instead of the run. `maxPages` also covers servers that return tiny pages.
 */
export interface CollectorLimits {
  /** `users/search`: every user of the site. */
  users: ListingBounds;
  /** `group/member`: one seat-granting group's members. */
  groupMembers: ListingBounds;
  /** `auditing/record`: records since the watermark. */
  auditRecords: ListingBounds;
  /** `search/jql`: the window's issues, across all window queries. */
  issues: ListingBounds;
  /** `worklog/updated`: worklog IDs since the worklog watermark. */
  worklogs: ListingBounds;
  /** `changelog/bulkfetch`: the histories of one batch of 1000 issues. */
  changelogs: ListingBounds;
}

export const DEFAULT_LIMITS: CollectorLimits = {
  // 1000 per page; 20,000 pages also allows a server that caps pages at 50.
  users: { name: "limits.users", maxItems: 1_000_000, maxPages: 20_000 },
  // 50 per page: 500k members is 10,000 pages.
  groupMembers: { name: "limits.groupMembers", maxItems: 500_000, maxPages: 20_000 },
  // 1000 per page; every record's `created` is held for the watermark, so this bound is also a memory bound.
  auditRecords: { name: "limits.auditRecords", maxItems: 500_000, maxPages: 10_000 },
  // 100 per page; the issue → key index (and changelog batches) is held for the run.
  issues: { name: "limits.issues", maxItems: 500_000, maxPages: 20_000 },
  worklogs: { name: "limits.worklogs", maxItems: 1_000_000, maxPages: 10_000 },
  // Histories stream into per-person evidence (nothing per history is held); pages bound a cursor that never ends.
  changelogs: { name: "limits.changelogs", maxItems: 10_000_000, maxPages: 2_000 },
};

/** Bounds to change, per listing: `{ users: { maxItems: 2000000 } }`. */
export type LimitOverrides = { [K in keyof CollectorLimits]?: Partial<Omit<ListingBounds, "name">> };

/** A bound may be raised to ten times its default, no further: a typo must not unbound a listing. */
export const MAX_RAISE = 10;

export class LimitsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
    this.name = "LimitsError";
  }
}

/**
 * Checks bounds a user set (the component's `limits`, `JIRA_CONNECTOR_LIMITS`, `collect --limit`): known listings,
 * `maxItems`/`maxPages` only, whole numbers from 1 to ten times the default. `named` spells a setting in the
 * caller's terms (`users.maxItems` → `limits.users.maxItems`; no path: the whole value). All problems at once.
 */
export function parseLimitOverrides(value: unknown, named: (path?: string) => string): LimitOverrides {
  const listings = Object.keys(DEFAULT_LIMITS) as (keyof CollectorLimits)[];
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new LimitsError([`${named()} must be an object of listings, e.g. { "users": { "maxItems": 2000000 } }`]);
  }
  const problems: string[] = [];
  const out: LimitOverrides = {};
  for (const [listing, bounds] of Object.entries(value)) {
    if (!(listings as string[]).includes(listing)) {
      problems.push(`${named(listing)} is not a listing; the listings are ${listings.join(", ")}`);
      continue;
    }
    const key = listing as keyof CollectorLimits;
    if (bounds === null || typeof bounds !== "object" || Array.isArray(bounds)) {
      problems.push(`${named(listing)} must be an object with maxItems and/or maxPages`);
      continue;
    }
    const parsed: Partial<Omit<ListingBounds, "name">> = {};
    for (const [bound, n] of Object.entries(bounds as Record<string, unknown>)) {
      if (bound !== "maxItems" && bound !== "maxPages") {
        problems.push(`${named(`${listing}.${bound}`)} is not a bound; use maxItems or maxPages`);
        continue;
      }
      const fallback = DEFAULT_LIMITS[key][bound];
      const ceiling = fallback * MAX_RAISE;
      if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1 || n > ceiling) {
        problems.push(`${named(`${listing}.${bound}`)} must be a whole number from 1 to ${ceiling} (${MAX_RAISE}× the default, ${fallback})`);
        continue;
      }
      parsed[bound] = n;
    }
    out[key] = parsed;
  }
  if (problems.length > 0) throw new LimitsError(problems);
  return out;
}

/** The defaults with any caller overrides (tests and unusual sites). */
export function collectorLimits(overrides: LimitOverrides = {}): CollectorLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof CollectorLimits)[]) out[key] = { ...DEFAULT_LIMITS[key], ...overrides[key] };
  return out;
}

/** Pages of one JQL chain in a row with no issue not seen before: beyond this the chain is stalled (windows overlap). */
export const MAX_PAGES_WITHOUT_NEW_ISSUES = 50;
