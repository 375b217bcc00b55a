import { UnexpectedResponseError } from "../atlassian/errors";

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
 */

export interface OffsetPage<T> {
  items: T[];
  total?: number;
}

/** Which offsets to fetch concurrently after the first page, or none when page one does not allow it. */
export function plannedOffsets(firstPage: { received: number; total?: number }, startAt = 0): number[] {
  const { received, total } = firstPage;
  if (total === undefined || received === 0) return [];
  const offsets: number[] = [];
  for (let offset = startAt + received; offset < total; offset += received) offsets.push(offset);
  return offsets;
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
  /** Guard against servers that never end a listing. */
  maxPages?: number;
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
  const maxPages = options.maxPages ?? 100_000;
  const first = await options.run(() => options.fetchPage(0));
  options.onItems(first.items);
  let pages = 1;
  let total = first.total;
  let offset = options.next(0, first);
  const planned = offset === undefined ? [] : plannedOffsets({ received: first.items.length, total: first.total });
  if (planned.length > 0) {
    if (planned.length >= maxPages) {
      throw new UnexpectedResponseError(options.operation, `the listing reports ${planned.length + 1} pages, more than ${maxPages}`);
    }
    // Only each page's size and total are kept; the items go to onItems at once.
    const fetched = await runUntilFailure(planned, options.run, async (startAt) => {
      const page = await options.fetchPage(startAt);
      options.onItems(page.items);
      return { received: page.items.length, total: page.total, page: sequentialView(page) };
    });
    const keep = trustedPrefix(first.items.length, fetched.map((page) => page.received));
    pages += fetched.length;
    const lastKept = fetched[keep - 1]!;
    total = lastKept.total ?? total;
    const lastStart = planned[keep - 1]!;
    offset = keep === fetched.length ? options.next(lastStart, lastKept.page!) : lastStart + lastKept.received;
  }
  // Sequential continuation: no total on page one, a short page mid-listing, or items added after page one.
  while (offset !== undefined) {
    if (pages >= maxPages) throw new UnexpectedResponseError(options.operation, `more than ${maxPages} pages`);
    const startAt = offset;
    const page = await options.run(() => options.fetchPage(startAt));
    options.onItems(page.items);
    pages++;
    total = page.total ?? total;
    const following = options.next(startAt, page);
    if (following !== undefined && following <= startAt) {
      throw new UnexpectedResponseError(options.operation, `pagination did not advance past offset ${startAt}`);
    }
    offset = following;
  }
  return { total, pages };
}
