/** The gzip NDJSON writer and reader on their own (no sink): backpressure, failures, corrupt input. */
import { Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import { collectedAtSegment, NdjsonGzipWriter, readNdjsonGzip, SnapshotWriterStateError } from "../../../collector/snapshot";
import { lineInBoth } from "../../../collector/snapshot/ndjson";

async function readAll(source: Buffer): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const record of readNdjsonGzip(source)) out.push(record);
  return out;
}

describe("NdjsonGzipWriter", () => {
  it("waits for a slow sink instead of buffering (backpressure)", async () => {
    const slow = new Writable({
      write(_chunk, _encoding, callback) {
        setTimeout(callback, 1);
      },
    });
    const writer = new NdjsonGzipWriter<{ noise: string }>(slow, "test:", "slow");
    // The writer's own gzip stream: had `write` not waited for 'drain', its input buffer would hold everything.
    const gzip = (writer as unknown as { gzip: Writable }).gzip;
    let maxQueued = 0;
    const noise = (): string => Array.from({ length: 12 }, () => Math.random().toString(36).slice(2)).join("");
    for (let i = 0; i < 30_000; i++) {
      await writer.write({ noise: noise() });
      maxQueued = Math.max(maxQueued, gzip.writableLength + slow.writableLength);
    }
    expect((await writer.close()).records).toBe(30_000);
    expect(maxQueued).toBeLessThan(256 * 1024); // ~4.5 MB were written in all
  });

  it("surfaces the sink's failure from write, and discards", async () => {
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error("disk full"));
      },
    });
    const writer = new NdjsonGzipWriter<string>(failing, "test:", "failing");
    const error = await (async () => {
      for (let i = 0; i < 100_000; i++) await writer.write(`${i}${Math.random()}`);
      return writer.close();
    })().catch((e: unknown) => e);
    expect((error as Error).message).toBe("disk full");
    expect(failing.destroyed).toBe(true);
  });

  it("refuses values that are not JSON, and use after close", async () => {
    const writer = new NdjsonGzipWriter<unknown>(new Writable({ write: (_c, _e, cb) => cb() }), "test:", "x");
    await expect(writer.write(undefined)).rejects.toBeInstanceOf(SnapshotWriterStateError);
    await writer.close();
    await expect(writer.write({})).rejects.toThrow(/is closed/);
    await expect(writer.close()).rejects.toThrow(/is closed/);
  });
});

describe("NdjsonGzipWriter without a promise per line", () => {
  const collect = () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    return { sink, stored: () => Buffer.concat(chunks) };
  };

  it("writeLine returns a promise only when a full batch goes to gzip, and writes what write would", async () => {
    const { sink, stored } = collect();
    const writer = new NdjsonGzipWriter<unknown>(sink, "test:", "lines");
    const line = JSON.stringify({ accountId: "x".repeat(60), n: 1 });
    const returned = Array.from({ length: 3_000 }, () => writer.writeLine(line));
    const waits = returned.filter((r) => r !== undefined);
    // ~70 characters a line, 64 KiB batches: about one line in a thousand hands a batch to gzip.
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits.length).toBeLessThanOrEqual(4);
    await Promise.all(waits);
    expect((await writer.close()).records).toBe(3_000);
    expect(await readAll(stored())).toEqual(Array.from({ length: 3_000 }, () => JSON.parse(line)));
  });

  it("writeEach writes every record in order, as write in a loop does, and refuses what is not JSON", async () => {
    const { sink, stored } = collect();
    const writer = new NdjsonGzipWriter<unknown>(sink, "test:", "each");
    const records = Array.from({ length: 5_000 }, (_, i) => ({ i, text: `line ${i} é` }));
    await writer.writeEach(records);
    await expect(writer.writeEach([{ ok: 1 }, undefined])).rejects.toBeInstanceOf(SnapshotWriterStateError);
    expect((await writer.close()).records).toBe(5_001);
    expect(await readAll(stored())).toEqual([...records, { ok: 1 }]);
    await expect(writer.writeEach([{}])).rejects.toThrow(/is closed/);
    expect(() => writer.writeLine("{}")).toThrow(/is closed/);
  });

  it("lineInBoth: what must be awaited of two writers, and a second writer's throw leaves nothing unhandled", async () => {
    expect(lineInBoth(undefined, () => undefined)).toBeUndefined();
    const first = Promise.resolve();
    expect(lineInBoth(first, () => undefined)).toBe(first);
    expect(lineInBoth(undefined, () => first)).toBe(first);
    await expect(lineInBoth(Promise.resolve(), () => Promise.resolve())).resolves.toBeUndefined();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const failingFirst = Promise.reject(new Error("first failed later"));
      expect(() =>
        lineInBoth(failingFirst, () => {
          throw new Error("second refused");
        }),
      ).toThrow("second refused");
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("readNdjsonGzip", () => {
  it("reads what gzip NDJSON holds, skipping blank lines", async () => {
    expect(await readAll(gzipSync('{"a":1}\n\n{"b":"é"}\n'))).toEqual([{ a: 1 }, { b: "é" }]);
  });

  it("rejects truncated gzip and bad JSON instead of hanging or returning less", async () => {
    const whole = gzipSync(Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, r: Math.random() })).join("\n"));
    await expect(readAll(whole.subarray(0, whole.length - 100))).rejects.toThrow(/unexpected end of file/);
    await expect(readAll(gzipSync("{not json}\n"))).rejects.toThrow(SyntaxError);
  });
});

describe("collectedAt date checks", () => {
  it("refuses an object that only looks like a Date", () => {
    const fake = Object.create(Date.prototype) as Date;
    expect(() => collectedAtSegment(fake)).toThrow(/^collectedAt: must be a valid Date/);
  });
});
