import { prettyJsonChunks } from "../../../collector/snapshot/pretty-json";

const pretty = (value: unknown, chunkSize?: number) => [...prettyJsonChunks(value, chunkSize)].join("");

describe("prettyJsonChunks is byte-for-byte JSON.stringify(value, null, 2)", () => {
  const cases: [string, unknown][] = [
    ["primitives", [1, -0.5, 1e21, "x", true, false, null]],
    ["empty containers", { a: [], b: {}, c: [[]], d: [{}] }],
    ["nesting", { products: [{ key: "jira-software", inactiveHolders: [{ accountId: "a", groups: ["g1", "g2"], lastActivityAt: null }] }] }],
    ["omitted and nulled values", { keep: 1, skip: undefined, fn: () => 1, arr: [undefined, () => 1, Symbol("s"), 2] }],
    ["toJSON and boxed primitives", { when: new Date(Date.UTC(2026, 10, 28)), n: Object(5), s: Object("str"), b: Object(false) }],
    ["non-finite numbers", { nan: NaN, inf: Infinity }],
    ["toJSON whose result has a toJSON (called once, as JSON.stringify does)", { a: { toJSON: () => ({ toJSON: () => "twice", x: 1 }) }, b: [{ toJSON: (k: string) => `key ${k}` }] }],
    ["a big array beside small ones (walked, not handed whole to the native serialiser)", { big: Array.from({ length: 2000 }, (_, i) => ({ i, tags: [i % 3, "t"] })), small: [{ deep: { deeper: [1, { d: null }] } }] }],
    [
      "small elements around a big one and a toJSON, in one array (runs handed to the native serialiser, keys kept)",
      { rows: [...Array.from({ length: 700 }, (_, i) => ({ i })), { toJSON: (k: string) => `key ${k}` }, Array.from({ length: 600 }, (_, i) => i), undefined, ...Array.from({ length: 5000 }, (_, i) => [i, "x"])] },
    ],
    ["strings needing escapes", { "quote\"key": "line\nbreak\u2028 \u0000 é 😀" }],
  ];
  test.each(cases)("%s", (_name, value) => {
    expect(pretty(value)).toBe(JSON.stringify(value, null, 2));
    expect(pretty(value, 1)).toBe(JSON.stringify(value, null, 2));
  });

  test("a seat-report-sized value, in chunks of the requested size", () => {
    const holders = Array.from({ length: 5000 }, (_, i) => ({ accountId: `id-${i}`, note: `no activity seen since ${i}`, groups: [`g${i % 7}`] }));
    const value = { totals: { seats: 5000 }, products: [{ key: "jira-software", inactiveHolders: holders }] };
    const chunks = [...prettyJsonChunks(value, 4096)];
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.slice(0, -1).every((c) => c.length >= 4096 && c.length < 4096 + 200)).toBe(true);
    expect(chunks.join("")).toBe(JSON.stringify(value, null, 2));
  });

  test("chunks never split a surrogate pair (each chunk is written as UTF-8 on its own)", () => {
    const value = { rows: Array.from({ length: 3000 }, (_, i) => ({ i, name: "😀".repeat(1 + (i % 5)) })) };
    for (const size of [4095, 4096, 4097]) {
      const chunks = [...prettyJsonChunks(value, size)];
      expect(chunks.length).toBeGreaterThan(10);
      expect(chunks.slice(0, -1).every((c) => c.length >= size && c.length <= size + 1)).toBe(true);
      expect(Buffer.concat(chunks.map((c) => Buffer.from(c, "utf8"))).toString("utf8")).toBe(JSON.stringify(value, null, 2));
    }
  });

  test("a top-level value that is not JSON, and BigInts, are refused", () => {
    expect(() => pretty(undefined)).toThrow(TypeError);
    expect(() => pretty({ big: BigInt(1) })).toThrow(TypeError);
  });
});
