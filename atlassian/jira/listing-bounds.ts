import { createHash } from "crypto";
import { ListingBoundError, PaginationStalledError } from "../errors";

/**
 * Bounds on one listing, whatever the server says (README "Bounds"). Pure decisions, so each is tested as a
 * function; the paginators call them before each further request and before anything is allocated for a plan.
 */

export interface ListingBounds {
  /** The setting that holds the bound, for messages, e.g. `limits.users`. */
  name: string;
  /** Items one listing may deliver; more ends it (partial). */
  maxItems: number;
  /** Requests one listing may make; more ends it (partial). */
  maxPages: number;
}

/** Far above any real listing; the collector passes tighter, per-listing bounds (collector/limits.ts). */
export const UNBOUNDED_LISTING: ListingBounds = { name: "maxPages", maxItems: Number.MAX_SAFE_INTEGER, maxPages: 100_000 };

/** Empty pages in a row that still name a next page before a listing counts as stalled (a few are legitimate). */
export const MAX_EMPTY_PAGES_IN_A_ROW = 3;

/**
 * Whether a listing that has delivered `items` over `pages` requests may make one more request. Returns the
 * error that ends it, or undefined.
 */
export function beyondBounds(operation: string, read: { items: number; pages: number }, bounds: ListingBounds): ListingBoundError | undefined {
  if (read.items >= bounds.maxItems) return new ListingBoundError(operation, `${bounds.name}.maxItems`, bounds.maxItems, `${read.items} items read and the listing goes on`);
  if (read.pages >= bounds.maxPages) return new ListingBoundError(operation, `${bounds.name}.maxPages`, bounds.maxPages, `${read.pages} pages read and the listing goes on`);
  return undefined;
}

/**
 * Page one's `total` checked before any plan is built: the page count is arithmetic, so a `total` of 10^9 is refused
 * without allocating anything. Returns how many further pages page one implies (0 when it does not say).
 */
export function plannedPageCount(
  operation: string,
  first: { received: number; total?: number; startAt?: number },
  bounds: ListingBounds,
): number {
  const { received, total } = first;
  const startAt = first.startAt ?? 0;
  if (total === undefined || received === 0 || !Number.isFinite(total)) return 0;
  if (total > bounds.maxItems) throw new ListingBoundError(operation, `${bounds.name}.maxItems`, bounds.maxItems, `page one reports a total of ${total} items`);
  const further = Math.max(0, Math.ceil((total - startAt - received) / received));
  if (further + 1 > bounds.maxPages) throw new ListingBoundError(operation, `${bounds.name}.maxPages`, bounds.maxPages, `page one implies ${further + 1} pages`);
  return further;
}

/** The next `size` planned offsets from `from` (exclusive of `total`): plans are built a window at a time. */
export function offsetWindow(from: number, step: number, total: number, size: number): number[] {
  const offsets: number[] = [];
  for (let offset = from; offset < total && offsets.length < size; offset += step) offsets.push(offset);
  return offsets;
}

/**
 * Cursors seen so far, as 64-bit digests (a hostile server's tokens can be long), at most `max` of them: the set's
 * memory is bounded whatever the tokens are.
 */
export class SeenCursors {
  private readonly digests = new Set<string>();
  constructor(private readonly max: number) {}

  /** Records `token`; false when it was seen before (the listing would loop). */
  add(token: string): boolean {
    const digest = createHash("sha256").update(token).digest("base64").slice(0, 11);
    if (this.digests.has(digest)) return false;
    if (this.digests.size < this.max) this.digests.add(digest);
    return true;
  }

  get size(): number {
    return this.digests.size;
  }
}

/**
 * Whether a page that names a next page still makes progress: an empty page is tolerated a few times in a row
 * (`emptyInARow` counts them, including this one), then the listing is stalled.
 */
export function stalledListing(operation: string, emptyInARow: number): PaginationStalledError | undefined {
  return emptyInARow >= MAX_EMPTY_PAGES_IN_A_ROW
    ? new PaginationStalledError(operation, `${emptyInARow} empty pages in a row still named a next page`)
    : undefined;
}
