import { PaginationStalledError } from "../errors";
import { beyondBounds, type ListingBounds, SeenCursors, stalledListing, UNBOUNDED_LISTING } from "./listing-bounds";

/**
 * Pagination stop rules as pure functions, one per Atlassian paging style (atlassian-api.md §5.1), plus async
 * iterators built on them. Servers may cap `maxResults` below the requested size without saying so, so offsets
 * always advance by what was actually received, and a short page never ends a bare-array listing.
 */

export interface Page<T> {
  items: T[];
  /** Offset of the first item (offset styles) or the page's ordinal (cursor style). */
  startAt: number;
  /** The server's reported total, when the style has one. */
  total?: number;
}

/** Bare arrays (`users/search`): only an empty page ends the listing. */
export function nextArrayOffset(startAt: number, received: number): number | undefined {
  return received === 0 ? undefined : startAt + received;
}

/** PageBean (`group/bulk`, `group/member`): `isLast`, else `total`, else the presence of `nextPage`. */
export function nextPageBeanOffset(
  startAt: number,
  page: { received: number; isLast?: boolean; total?: number; nextPage?: string },
): number | undefined {
  if (page.received === 0 || page.isLast === true) return undefined;
  const next = startAt + page.received;
  if (page.isLast === false) return next;
  if (page.total !== undefined) return next < page.total ? next : undefined;
  return page.nextPage ? next : undefined;
}

/** Offset/limit envelope (`auditing/record`): empty page, or `offset + received >= total`. */
export function nextEnvelopeOffset(offset: number, page: { received: number; total?: number }): number | undefined {
  if (page.received === 0) return undefined;
  const next = offset + page.received;
  return page.total !== undefined && next >= page.total ? undefined : next;
}

/** Cursor (`search/jql`): `isLast`, or no `nextPageToken`. */
export function nextCursor(page: { isLast?: boolean; nextPageToken?: string | null }): string | undefined {
  if (page.isLast === true || !page.nextPageToken) return undefined;
  return page.nextPageToken;
}

export async function* paginateByOffset<T, R extends { items: T[]; total?: number }>(
  operation: string,
  fetchPage: (startAt: number) => Promise<R>,
  next: (startAt: number, page: R) => number | undefined,
  startAt = 0,
  bounds: ListingBounds = UNBOUNDED_LISTING,
  /** What this listing already read in this run under another reader (a read-ahead): counted against the bounds. */
  alreadyRead: { items: number; pages: number } = { items: 0, pages: 0 },
): AsyncGenerator<Page<T>> {
  let offset: number | undefined = startAt;
  let items = alreadyRead.items;
  for (let pages = alreadyRead.pages; offset !== undefined; pages++) {
    // Checked before each request: a listing that would go past a bound ends (the caller keeps what it read).
    const beyond = pages > 0 ? beyondBounds(operation, { items, pages }, bounds) : undefined;
    if (beyond) throw beyond;
    const page: R = await fetchPage(offset);
    items += page.items.length;
    // Every page is yielded, an empty one too: each is a request, which Atlassian charges (1 point) and callers count.
    yield { items: page.items, startAt: offset, total: page.total };
    const following = next(offset, page);
    if (following !== undefined && following <= offset) {
      throw new PaginationStalledError(operation, `pagination did not advance past offset ${offset}`);
    }
    offset = following;
  }
}

export async function* paginateByCursor<T>(
  operation: string,
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; isLast?: boolean; nextPageToken?: string | null }>,
  bounds: ListingBounds = UNBOUNDED_LISTING,
): AsyncGenerator<Page<T>> {
  // Digests only, and at most one per allowed page: the set is bounded whatever the server's tokens are.
  const seen = new SeenCursors(bounds.maxPages);
  let cursor: string | undefined;
  let items = 0;
  let emptyInARow = 0;
  for (let pages = 0; ; pages++) {
    const beyond = pages > 0 ? beyondBounds(operation, { items, pages }, bounds) : undefined;
    if (beyond) throw beyond;
    const page = await fetchPage(cursor);
    items += page.items.length;
    yield { items: page.items, startAt: pages };
    const following = nextCursor(page);
    if (following === undefined) return;
    if (!seen.add(following)) throw new PaginationStalledError(operation, "the server repeated a nextPageToken");
    emptyInARow = page.items.length === 0 ? emptyInARow + 1 : 0;
    const stalled = stalledListing(operation, emptyInARow);
    if (stalled) throw stalled;
    cursor = following;
  }
}

/** Flattens pages into items. */
export async function* itemsOf<T>(pages: AsyncIterable<Page<T>>): AsyncGenerator<T> {
  for await (const page of pages) yield* page.items;
}

/** Collects all items (for small listings; stream large ones). */
export async function collectItems<T>(pages: AsyncIterable<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page.items);
  return all;
}
