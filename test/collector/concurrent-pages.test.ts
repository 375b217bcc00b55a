import { fetchAllOffsetPages, plannedOffsets, trustedPrefix } from "../../collector/concurrent-pages";
import { nextPageBeanOffset } from "../../atlassian/jira/pagination";

describe("plannedOffsets", () => {
  test("every offset after page one, stepping by what page one actually held", () => {
    expect(plannedOffsets({ received: 50, total: 175 })).toEqual([50, 100, 150]);
    expect(plannedOffsets({ received: 20, total: 60 })).toEqual([20, 40]); // server capped 50 → 20
  });
  test("nothing to plan without a total, on an empty page, or when page one is all", () => {
    expect(plannedOffsets({ received: 50 })).toEqual([]);
    expect(plannedOffsets({ received: 0, total: 10 })).toEqual([]);
    expect(plannedOffsets({ received: 50, total: 50 })).toEqual([]);
  });
});

describe("trustedPrefix", () => {
  test("all pages when only the last is short", () => {
    expect(trustedPrefix(50, [50, 50, 7])).toBe(3);
  });
  test("up to and including the first short page before the last", () => {
    expect(trustedPrefix(50, [50, 49, 50, 50])).toBe(2);
    expect(trustedPrefix(50, [0, 50])).toBe(1);
  });
});

/** A PageBean listing over an array that a test can change while pages are in flight. */
function listing(items: string[], cap = 50) {
  const requested: number[] = [];
  return {
    requested,
    fetchPage: async (startAt: number) => {
      requested.push(startAt);
      await new Promise((resolve) => setImmediate(resolve));
      const values = items.slice(startAt, startAt + cap);
      return { items: values, total: items.length, isLast: startAt + values.length >= items.length };
    },
  };
}

async function readAll(source: ReturnType<typeof listing>) {
  const seen: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const result = await fetchAllOffsetPages({
    operation: "GET /test",
    fetchPage: source.fetchPage,
    run: async (request) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await request();
      } finally {
        inFlight--;
      }
    },
    next: (startAt, page) => nextPageBeanOffset(startAt, { ...page, received: page.items.length }),
    onItems: (items) => seen.push(...items),
  });
  return { seen, peak, ...result };
}

const ids = (n: number, prefix = "u") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("fetchAllOffsetPages", () => {
  test("reads every item once, the pages after the first concurrently", async () => {
    const source = listing(ids(523));
    const { seen, peak, pages, total } = await readAll(source);
    expect([...seen].sort()).toEqual(ids(523).sort());
    expect(pages).toBe(11);
    expect(total).toBe(523);
    expect(peak).toBeGreaterThan(1);
  });

  test("a server capping maxResults below 50: offsets follow what it returned", async () => {
    const source = listing(ids(95), 20);
    const { seen } = await readAll(source);
    expect([...seen].sort()).toEqual(ids(95).sort());
    expect(source.requested.sort((a, b) => a - b)).toEqual([0, 20, 40, 60, 80]);
  });

  test("exactly one page, and an empty listing", async () => {
    expect((await readAll(listing(ids(50)))).seen).toEqual(ids(50));
    expect((await readAll(listing([]))).seen).toEqual([]);
  });

  test("the server starts capping pages after page one: the rest is re-read sequentially, nothing is lost", async () => {
    const items = ids(200);
    let cap = 50;
    const requested: number[] = [];
    const fetchPage = async (startAt: number) => {
      requested.push(startAt);
      await new Promise((resolve) => setImmediate(resolve));
      const values = items.slice(startAt, startAt + cap);
      cap = 20;
      return { items: values, total: items.length, isLast: startAt + values.length >= items.length };
    };
    const { seen } = await readAll({ requested, fetchPage });
    expect(new Set(seen)).toEqual(new Set(items));
    // Pages delivered before the short one was noticed may come again in the re-read (callers dedupe).
    expect(seen.length).toBeGreaterThanOrEqual(200);
    // Page one, three concurrent pages (50 short → the two after it discarded), then 70, 90, … sequentially.
    expect(requested.slice(4)).toEqual([70, 90, 110, 130, 150, 170, 190]);
  });

  test("members added after page one are read by the sequential continuation", async () => {
    const items = ids(100);
    const source = listing(items);
    const original = source.fetchPage;
    let calls = 0;
    source.fetchPage = async (startAt) => {
      if (++calls === 2) items.push(...ids(30, "late"));
      return original(startAt);
    };
    const { seen } = await readAll(source);
    expect(new Set(seen)).toEqual(new Set(items));
  });

  test("a failing page fails the listing, and queued pages are not fetched", async () => {
    const source = listing(ids(1000));
    const original = source.fetchPage;
    source.fetchPage = async (startAt) => {
      if (startAt === 50) throw new Error("boom");
      return original(startAt);
    };
    const gated: (() => Promise<unknown>)[] = [];
    const run = <R>(request: () => Promise<R>): Promise<R> =>
      // Serialise like a gate with one slot, so later pages are still queued when the failure happens.
      new Promise<R>((resolve, reject) => {
        gated.push(() => request().then(resolve, reject));
        if (gated.length === 1) void drain();
      });
    const drain = async () => {
      while (gated.length > 0) {
        await gated[0]!().catch(() => undefined);
        gated.shift();
      }
    };
    await expect(
      fetchAllOffsetPages({
        operation: "GET /test",
        fetchPage: source.fetchPage,
        run,
        next: (startAt, page) => nextPageBeanOffset(startAt, { ...page, received: page.items.length }),
        onItems: () => undefined,
      }),
    ).rejects.toThrow("boom");
    expect(source.requested.sort((a, b) => a - b)).toEqual([0]);
  });
});
