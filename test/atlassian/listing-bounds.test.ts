import { beyondBounds, MAX_EMPTY_PAGES_IN_A_ROW, offsetWindow, plannedPageCount, SeenCursors, stalledListing } from "../../atlassian/jira/listing-bounds";
import { collectItems, paginateByCursor, paginateByOffset, nextArrayOffset } from "../../atlassian/jira/pagination";
import { fetchAllOffsetPages, PLAN_WINDOW, plannedOffsets } from "../../collector/concurrent-pages";
import { DEFAULT_LIMITS, collectorLimits } from "../../collector/limits";

/** The listing bounds as pure decisions, and the paginators that apply them (no HTTP: fake pages). */

const bounds = { name: "limits.test", maxItems: 1_000, maxPages: 10 };

test("beyondBounds: another request only while both items and pages are under their bounds", () => {
  expect(beyondBounds("GET /x", { items: 999, pages: 9 }, bounds)).toBeUndefined();
  expect(beyondBounds("GET /x", { items: 1_000, pages: 1 }, bounds)).toMatchObject({ code: "LISTING_BOUND", bound: "limits.test.maxItems", limit: 1_000, retryable: false });
  expect(beyondBounds("GET /x", { items: 5, pages: 10 }, bounds)?.message).toBe(
    "GET /x: 10 pages read and the listing goes on, beyond the bound limits.test.maxPages = 10; the listing was stopped there and the data is partial. No real Jira Cloud site is that large: check the site, or raise limits.test.maxPages if it really is.",
  );
});

test("plannedPageCount: arithmetic on page one, refusing a total beyond the bounds", () => {
  expect(plannedPageCount("GET /x", { received: 50, total: 120 }, bounds)).toBe(2);
  expect(plannedPageCount("GET /x", { received: 50, total: 50 }, bounds)).toBe(0);
  expect(plannedPageCount("GET /x", { received: 0, total: 1e9 }, bounds)).toBe(0);
  expect(plannedPageCount("GET /x", { received: 50 }, bounds)).toBe(0);
  expect(() => plannedPageCount("GET /x", { received: 50, total: 1e9 }, bounds)).toThrow(/page one reports a total of 1000000000 items, beyond the bound limits\.test\.maxItems = 1000/);
  // Within the item bound but tiny pages: too many pages.
  expect(() => plannedPageCount("GET /x", { received: 1, total: 500 }, bounds)).toThrow(/page one implies 500 pages, beyond the bound limits\.test\.maxPages = 10/);
});

test("plannedOffsets builds at most one window, whatever the total", () => {
  const huge = { name: "h", maxItems: Number.MAX_SAFE_INTEGER, maxPages: Number.MAX_SAFE_INTEGER };
  const offsets = plannedOffsets({ received: 50, total: 1e12 }, 0, huge);
  expect(offsets).toHaveLength(PLAN_WINDOW);
  expect(offsets.slice(0, 3)).toEqual([50, 100, 150]);
  expect(offsetWindow(50, 50, 175, 10)).toEqual([50, 100, 150]);
  expect(() => plannedOffsets({ received: 50, total: 1e9 })).toThrow(/LISTING_BOUND|beyond the bound/);
});

test("fetchAllOffsetPages reads a listing longer than a window, window by window, with every item once", async () => {
  const total = 50 * (PLAN_WINDOW * 2 + 7);
  let inFlight = 0;
  let peak = 0;
  const seen: number[] = [];
  const result = await fetchAllOffsetPages({
    operation: "GET /x",
    fetchPage: async (startAt) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      const items = Array.from({ length: Math.max(0, Math.min(50, total - startAt)) }, (_, i) => startAt + i);
      return { items, total };
    },
    run: (request) => request(),
    next: (startAt, page) => (startAt + page.items.length < total ? startAt + page.items.length : undefined),
    onItems: (items) => seen.push(...items),
    bounds: { name: "b", maxItems: 1e6, maxPages: 1e4 },
  });
  expect(result.pages).toBe(PLAN_WINDOW * 2 + 7);
  expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
  expect(peak).toBeLessThanOrEqual(PLAN_WINDOW);
});

test("fetchAllOffsetPages with total 10^9 on page one: refused after one request", async () => {
  let requests = 0;
  const run = fetchAllOffsetPages({
    operation: "GET /rest/api/3/group/member",
    fetchPage: async () => (requests++, { items: Array.from({ length: 50 }, (_, i) => i), total: 1e9 }),
    run: (request) => request(),
    next: (startAt, page) => startAt + page.items.length,
    onItems: () => {},
    bounds: DEFAULT_LIMITS.groupMembers,
  });
  await expect(run).rejects.toMatchObject({ code: "LISTING_BOUND", bound: "limits.groupMembers.maxItems" });
  expect(requests).toBe(1);
});

test("paginateByOffset stops at the item bound; a listing that ends exactly at it is complete", async () => {
  let requests = 0;
  const full = (startAt: number) => (requests++, Promise.resolve({ items: Array.from({ length: 100 }, (_, i) => startAt + i) }));
  await expect(collectItems(paginateByOffset("GET /u", full, (s, p) => nextArrayOffset(s, p.items.length), 0, { ...bounds, maxPages: 1e6 }))).rejects.toThrow(/1000 items read/);
  expect(requests).toBe(10);
  const ending = (startAt: number) => Promise.resolve({ items: startAt >= 1_000 ? [] : Array.from({ length: 100 }, (_, i) => startAt + i) });
  // 1000 items then an empty page (the 11th request, still under maxItems = 1001): complete.
  await expect(collectItems(paginateByOffset("GET /u", ending, (s, p) => nextArrayOffset(s, p.items.length), 0, { ...bounds, maxItems: 1_001, maxPages: 1e6 }))).resolves.toHaveLength(1_000);
});

test("paginateByOffset: an offset that does not advance stalls the listing", async () => {
  await expect(collectItems(paginateByOffset("GET /u", async () => ({ items: [1] }), () => 0, 0))).rejects.toMatchObject({ code: "PAGINATION_STALLED" });
});

test("paginateByCursor: repeated token, empty pages with a next token, and the item bound each stop the listing", async () => {
  let n = 0;
  const repeat = paginateByCursor("GET /s", async () => ({ items: [n++], nextPageToken: n > 2 ? "t2" : `t${n}` }));
  await expect(collectItems(repeat)).rejects.toThrow(/GET \/s: the server repeated a nextPageToken; the listing was stopped there/);
  let empty = 0;
  await expect(collectItems(paginateByCursor("GET /s", async () => ({ items: [], nextPageToken: `e${empty++}` })))).rejects.toMatchObject({ code: "PAGINATION_STALLED" });
  expect(empty).toBe(MAX_EMPTY_PAGES_IN_A_ROW);
  let fresh = 0;
  await expect(collectItems(paginateByCursor("GET /s", async () => ({ items: [fresh], nextPageToken: `f${fresh++}` }), { ...bounds, maxItems: 1e6 }))).rejects.toMatchObject({ code: "LISTING_BOUND", bound: "limits.test.maxPages" });
  expect(fresh).toBe(10);
});

test("stalledListing tolerates a few empty pages in a row", () => {
  expect(stalledListing("GET /s", MAX_EMPTY_PAGES_IN_A_ROW - 1)).toBeUndefined();
  expect(stalledListing("GET /s", MAX_EMPTY_PAGES_IN_A_ROW)?.message).toMatch(/3 empty pages in a row still named a next page/);
});

test("SeenCursors keeps short digests of long tokens, at most `max` of them", () => {
  const seen = new SeenCursors(3);
  const long = "x".repeat(1_000_000);
  expect(seen.add(long)).toBe(true);
  expect(seen.add(long)).toBe(false);
  for (let i = 0; i < 100; i++) seen.add(`${long}${i}`);
  expect(seen.size).toBe(3);
});

test("collectorLimits: defaults well above real sites, overridable per listing", () => {
  expect(DEFAULT_LIMITS.users.maxItems).toBeGreaterThanOrEqual(150_000 * 2);
  expect(collectorLimits({ users: { maxItems: 10 } }).users).toEqual({ name: "limits.users", maxItems: 10, maxPages: DEFAULT_LIMITS.users.maxPages });
  expect(collectorLimits().issues).toEqual(DEFAULT_LIMITS.issues);
});

test("fetchAllOffsetPages: a short page ending a window continues sequentially from its end, nothing skipped", async () => {
  const size = 50;
  const total = size * (PLAN_WINDOW + 10);
  // The window's last planned page (offset PLAN_WINDOW × 50) comes back short once: the listing changed under us.
  const shortAt = PLAN_WINDOW * size;
  let shortened = false;
  const seen = new Set<number>();
  await fetchAllOffsetPages({
    operation: "GET /x",
    fetchPage: async (startAt) => {
      const length = startAt === shortAt && !shortened ? ((shortened = true), 20) : Math.max(0, Math.min(size, total - startAt));
      return { items: Array.from({ length }, (_, i) => startAt + i), total };
    },
    run: (request) => request(),
    next: (startAt, page) => (page.items.length > 0 && startAt + page.items.length < total ? startAt + page.items.length : undefined),
    onItems: (items) => items.forEach((i) => seen.add(i)),
  });
  expect(seen.size).toBe(total);
});

test("fetchAllOffsetPages: a sequential continuation whose offset does not advance stalls", async () => {
  await expect(
    fetchAllOffsetPages({
      operation: "GET /x",
      fetchPage: async () => ({ items: [1, 2, 3] }),
      run: (request) => request(),
      next: () => 0,
      onItems: () => {},
    }),
  ).rejects.toMatchObject({ code: "PAGINATION_STALLED", message: expect.stringMatching(/did not advance past offset 0/) });
});
