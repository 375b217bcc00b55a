import { PaginationStalledError } from "../atlassian/errors";
import { beyondBounds, type ListingBounds, offsetWindow, plannedPageCount, UNBOUNDED_LISTING } from "../atlassian/jira/listing-bounds";

/**
 * Offset-paged listings that report a `total` (`group/member`, `auditing/record`) need not be read one page after
 * another: the first page tells how many items there are and how many the server returns per page, so the other
 * offsets are known and can be fetched concurrently (the adaptive gate keeps that within Atlassian's rate limits).
 * A big group then costs about (pages ÷ allowed rate) instead of (pages × round trip).
 *
 * Offsets are derived from what the server actually returned on page one (it may cap `maxResults` silently). If a
 * page other than the last comes back short — the listing changed under us, or the cap changed — the pages after
 * it cannot be trusted to line up, so they are discarded and the listing continues sequentially from the short
 * page's end with the endpoint's ordinary stop rule. Nothing is ever skipped; at worst a few pages are read twice.
 *
 * Bounded whatever page one says: the page count is computed, and checked against the listing's bounds, before
 * anything is planned (a `total` of 10^9 is refused, not allocated), and the plan is built a window at a time.
 */

/** Planned pages requested at once: the gate admits fewer; a window bounds the promises and offsets held. */
export const PLAN_WINDOW = 256;

export interface OffsetPage<T> {
  items: T[];
  total?: number;
}

/**
 * Which offsets to fetch concurrently after the first page (at most `window` of them), or none when page one does
 * not allow it. Throws ListingBoundError, before building anything, when page one implies more than the bounds.
 */
export function plannedOffsets(
  firstPage: { received: number; total?: number },
  startAt = 0,
  bounds: ListingBounds = UNBOUNDED_LISTING,
  window = PLAN_WINDOW,
  operation = "listing",
): number[] {
  const { received, total } = firstPage;
  if (plannedPageCount(operation, { received, total, startAt }, bounds) === 0) return [];
  return offsetWindow(startAt + received, received, total!, window);
}

/**
 * How many of the concurrently fetched pages can be kept: all of them, unless a page before the last is short,
 * in which case pages up to and including that one (later ones may not line up with what the server now returns).
 */
export function trustedPrefix(pageSize: number, received: readonly number[]): number {
  for (let i = 0; i < received.length - 1; i++) if (received[i]! < pageSize) return i + 1;
  return received.length;
}

export interface FetchAllOptions<P extends OffsetPage<unknown>> {
  /** For errors, e.g. `GET /rest/api/3/group/member`. */
  operation: string;
  fetchPage: (startAt: number) => Promise<P>;
  /** Runs one request under the rate-limit gate. */
  run: <R>(request: () => Promise<R>) => Promise<R>;
  /** The endpoint's sequential stop rule, used after page one when `total` is absent, and after a short page. */
  next: (startAt: number, page: P) => number | undefined;
  /**
   * Receives each page's items as the page arrives (not in listing order: holding concurrent pages back to order
   * them cost tens of MB for a big group). After a short page mid-listing, the sequential re-read can deliver some
   * items a second time; callers that count must dedupe.
   */
  onItems: (items: P["items"]) => void;
  /** Items and pages this listing may read (collector/limits.ts); beyond them it ends with ListingBoundError. */
  bounds?: ListingBounds;
}

/**
 * Runs `task` for every item through `run` (a rate-limit gate), all at once; after the first failure, items still
 * queued in the gate are not started (the whole batch is abandoned anyway) and the failure is thrown.
 */
export async function runUntilFailure<T, R>(
  items: readonly T[],
  run: <X>(request: () => Promise<X>) => Promise<X>,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  let failed = false;
  return Promise.all(
    items.map((item) =>
      run(async () => {
        if (failed) return undefined as never;
        return task(item).catch((error: unknown) => {
          failed = true;
          throw error;
        });
      }),
    ),
  );
}

/**
 * The page without its payload, for the stop rule (which needs only sizes and flags). Every array is replaced by an
 * empty one of the same length: a page can carry its items twice (`values` and `items`), and keeping either for
 * every concurrent page held a whole group's member objects in memory (~100 MB at 100k users).
 */
function sequentialView<P extends OffsetPage<unknown>>(page: P): P {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(page)) view[key] = Array.isArray(value) ? new Array(value.length) : value;
  return view as P;
}

/** Reads a whole offset-paged listing; resolves to the last `total` the server reported and the pages read. */
export async function fetchAllOffsetPages<P extends OffsetPage<unknown>>(
  options: FetchAllOptions<P>,
): Promise<{ total?: number; pages: number }> {
  const bounds = options.bounds ?? UNBOUNDED_LISTING;
  let items = 0;
  const deliver = (page: P) => {
    items += page.items.length;
    options.onItems(page.items);
  };
  const first = await options.run(() => options.fetchPage(0));
  deliver(first);
  let pages = 1;
  let total = first.total;
  let offset = options.next(0, first);
  const size = first.items.length;
  // Refuses a total beyond the bounds before any plan exists.
  let planned = offset === undefined ? [] : plannedOffsets({ received: size, total: first.total }, 0, bounds, PLAN_WINDOW, options.operation);
  while (planned.length > 0) {
    // Only each page's size and total are kept; the items go to onItems at once.
    const fetched = await runUntilFailure(planned, options.run, async (startAt) => {
      const page = await options.fetchPage(startAt);
      deliver(page);
      return { received: page.items.length, total: page.total, page: sequentialView(page) };
    });
    const keep = trustedPrefix(size, fetched.map((page) => page.received));
    pages += fetched.length;
    const lastKept = fetched[keep - 1]!;
    total = lastKept.total ?? total;
    const lastStart = planned[keep - 1]!;
    const nextWindow = lastStart + size;
    if (keep < fetched.length || nextWindow >= first.total!) {
      offset = keep === fetched.length ? options.next(lastStart, lastKept.page!) : lastStart + lastKept.received;
      break;
    }
    planned = offsetWindow(nextWindow, size, first.total!, PLAN_WINDOW);
    // A short page that is the window's last, with more planned: the next window starts after what it held.
    if (lastKept.received < size) {
      offset = lastStart + lastKept.received;
      break;
    }
  }
  // Sequential continuation: no total on page one, a short page mid-listing, or items added after page one.
  while (offset !== undefined) {
    const beyond = beyondBounds(options.operation, { items, pages }, bounds);
    if (beyond) throw beyond;
    const startAt = offset;
    const page = await options.run(() => options.fetchPage(startAt));
    deliver(page);
    pages++;
    total = page.total ?? total;
    const following = options.next(startAt, page);
    if (following !== undefined && following <= startAt) {
      throw new PaginationStalledError(options.operation, `pagination did not advance past offset ${startAt}`);
    }
    offset = following;
  }
  return { total, pages };
}
