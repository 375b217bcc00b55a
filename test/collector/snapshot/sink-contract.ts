/**
 * The contract every `SnapshotSink` meets, run against the local directory sink and the S3 sink (moto) alike:
 * exact layout, `latest.json` last and only for complete snapshots, atomic streams, gz NDJSON round trips.
 */
import type { Writable } from "node:stream";
import {
  InvalidSnapshotArgumentError,
  MalformedSnapshotError,
  readLatest,
  readNdjsonGzip,
  SnapshotWriter,
  SnapshotWriterStateError,
  type SnapshotSink,
} from "../../../collector/snapshot";

export interface SinkHarness {
  /** A sink over fresh, empty storage. */
  fresh(): Promise<SnapshotSink>;
  /** Every stored key (relative to the sink's root), sorted. */
  listKeys(sink: SnapshotSink): Promise<string[]>;
  /** Asserts no temporary file / multipart upload is left behind. */
  assertNoLeftovers(sink: SnapshotSink): Promise<void>;
}

export const T1 = new Date("2026-11-28T23:00:00.000Z");
export const T2 = new Date("2026-11-29T23:00:00.000Z");
export const T0 = new Date("2026-11-27T23:00:00.000Z");

export interface FakeUser {
  accountId: string;
  emailAddress: string;
  displayName: string;
  active: boolean;
}

export function fakeUser(index: number): FakeUser {
  return {
    accountId: `5b10ac8d82e05b22cc7d${index.toString(16).padStart(8, "0")}`,
    emailAddress: `user${index}@acme.example`,
    displayName: `Üser Nümber ${index} — 🙂`,
    active: index % 7 !== 0,
  };
}

/** Writes a full snapshot (all four data files) and finishes it. */
export async function writeSnapshot(sink: SnapshotSink, name: string, at: Date, complete: boolean, users = 3) {
  const writer = new SnapshotWriter(sink, name, at);
  const userStream = writer.users<FakeUser>();
  const activityStream = writer.activity<{ accountId: string; lastActive: string }>();
  for (let i = 0; i < users; i++) {
    await userStream.write(fakeUser(i));
    await activityStream.write({ accountId: fakeUser(i).accountId, lastActive: at.toISOString() });
  }
  await Promise.all([userStream.close(), activityStream.close()]);
  await writer.writeJson("subscriptions.json", { products: [{ key: "jira-software", seats: 100 }] });
  await writer.writeJson("seat-report.json", { used: users });
  return writer.finish({ complete, stats: { users } });
}

/** Wraps a sink to record the order in which objects become visible. */
export function recording(sink: SnapshotSink): { sink: SnapshotSink; committed: string[] } {
  const committed: string[] = [];
  return {
    committed,
    sink: {
      location: sink.location,
      readObject: (key) => sink.readObject(key),
      async writeObject(key, body, contentType) {
        await sink.writeObject(key, body, contentType);
        committed.push(key);
      },
      writeStream(key, contentType): Writable {
        const stream = sink.writeStream(key, contentType);
        stream.once("finish", () => committed.push(key));
        return stream;
      },
    },
  };
}

const SNAP1 = "connectors/acme/snapshots/2026-11-28T23-00-00.000Z/";
/** The fleet table object of a kind for the T1 snapshot of acme (Hive-style partitions). */
const TABLE1 = (kind: string) => `fleet-tables/${kind}/connector=acme/day=2026-11-28/2026-11-28T23-00-00.000Z.ndjson.gz`;

async function latestJson(sink: SnapshotSink, name = "acme"): Promise<Record<string, unknown> | undefined> {
  const raw = await sink.readObject(`connectors/${name}/latest.json`);
  return raw === undefined ? undefined : (JSON.parse(raw.toString("utf8")) as Record<string, unknown>);
}

export function describeSinkContract(label: string, harness: SinkHarness): void {
  describe(`${label}: snapshot contract`, () => {
    it("stores exactly the documented layout and points latest.json at it", async () => {
      const sink = await harness.fresh();
      const result = await writeSnapshot(sink, "acme", T1, true);
      expect(result.latestUpdated).toBe(true);
      expect(await harness.listKeys(sink)).toEqual([
        "connectors/acme/latest.json",
        `${SNAP1}activity.ndjson.gz`,
        `${SNAP1}manifest.json`,
        `${SNAP1}seat-report.json`,
        `${SNAP1}subscriptions.json`,
        `${SNAP1}users.ndjson.gz`,
        TABLE1("activity"),
        TABLE1("manifests"),
        TABLE1("users"),
      ]);
      expect(await latestJson(sink)).toEqual({
        schema: 1,
        connectorName: "acme",
        collectedAt: "2026-11-28T23:00:00.000Z",
        snapshotId: "2026-11-28T23-00-00.000Z",
        snapshotPrefix: SNAP1,
        manifestKey: `${SNAP1}manifest.json`,
      });
      expect(await readLatest(sink, "acme")).toEqual({
        snapshotPrefix: SNAP1,
        collectedAt: T1,
        snapshotId: "2026-11-28T23-00-00.000Z",
        manifestKey: `${SNAP1}manifest.json`,
      });
      const manifest = JSON.parse((await sink.readObject(`${SNAP1}manifest.json`))!.toString("utf8"));
      expect(manifest).toMatchObject({ schema: 1, connectorName: "acme", complete: true, stats: { users: 3 } });
      expect(manifest.files["users.ndjson.gz"]).toMatchObject({ records: 3 });
      expect(Object.keys(manifest.files).sort()).toEqual([
        "activity.ndjson.gz",
        "seat-report.json",
        "subscriptions.json",
        "users.ndjson.gz",
      ]);
      await harness.assertNoLeftovers(sink);
    });

    it("writes the data files, then manifest.json, then latest.json last", async () => {
      const { sink, committed } = recording(await harness.fresh());
      await writeSnapshot(sink, "acme", T1, true);
      // The manifest's fleet table record after manifest.json: Athena sees a snapshot only once all is stored.
      expect(committed.slice(-3)).toEqual([`${SNAP1}manifest.json`, TABLE1("manifests"), "connectors/acme/latest.json"]);
      expect(committed.slice(0, 6).sort()).toEqual(
        [...["activity.ndjson.gz", "seat-report.json", "subscriptions.json", "users.ndjson.gz"].map((f) => SNAP1 + f), TABLE1("activity"), TABLE1("users")].sort(),
      );
    });

    it("a partial run writes its manifest but never latest.json", async () => {
      const sink = await harness.fresh();
      const result = await writeSnapshot(sink, "acme", T1, false);
      expect(result).toMatchObject({ latestUpdated: false, manifest: { complete: false } });
      expect(await readLatest(sink, "acme")).toBeUndefined();
      expect(await harness.listKeys(sink)).not.toContain("connectors/acme/latest.json");
    });

    it("a partial run after a complete one leaves latest on the complete one", async () => {
      const sink = await harness.fresh();
      await writeSnapshot(sink, "acme", T1, true);
      const writer = new SnapshotWriter(sink, "acme", T2);
      const users = writer.users<FakeUser>();
      await users.write(fakeUser(1));
      await writer.abortOpenStreams(new Error("Atlassian rate limit"));
      await writer.finish({ complete: false, errors: ["RATE_LIMITED"] });
      expect((await readLatest(sink, "acme"))!.collectedAt).toEqual(T1);
      const keys = await harness.listKeys(sink);
      expect(keys).toContain("connectors/acme/snapshots/2026-11-29T23-00-00.000Z/manifest.json");
      expect(keys).not.toContain("connectors/acme/snapshots/2026-11-29T23-00-00.000Z/users.ndjson.gz");
      await harness.assertNoLeftovers(sink);
    });

    it("a late complete run of an older collection does not move latest back", async () => {
      const sink = await harness.fresh();
      await writeSnapshot(sink, "acme", T2, true);
      expect((await writeSnapshot(sink, "acme", T0, true)).latestUpdated).toBe(false);
      expect((await readLatest(sink, "acme"))!.collectedAt).toEqual(T2);
    });

    it("round-trips gzip NDJSON, including unicode and an empty file", async () => {
      const sink = await harness.fresh();
      const writer = new SnapshotWriter(sink, "acme", T1);
      const users = writer.users<FakeUser>();
      const expected = Array.from({ length: 2500 }, (_, i) => fakeUser(i));
      for (const user of expected) await users.write(user);
      const summary = await users.close();
      expect(summary.records).toBe(2500);
      await writer.activity().close();
      const raw = (await sink.readObject(`${SNAP1}users.ndjson.gz`))!;
      expect(raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(summary.bytes).toBe(raw.length);
      const read: FakeUser[] = [];
      for await (const user of readNdjsonGzip<FakeUser>(raw)) read.push(user);
      expect(read).toEqual(expected);
      const empty: unknown[] = [];
      for await (const record of readNdjsonGzip((await sink.readObject(`${SNAP1}activity.ndjson.gz`))!)) empty.push(record);
      expect(empty).toEqual([]);
    });

    it("an aborted stream stores nothing and leaves nothing behind", async () => {
      const sink = await harness.fresh();
      const writer = new SnapshotWriter(sink, "acme", T1);
      const users = writer.users<FakeUser>();
      for (let i = 0; i < 5000; i++) await users.write(fakeUser(i));
      await users.abort(new Error("simulated failure mid-stream"));
      expect(users.status).toBe("aborted");
      expect(await sink.readObject(`${SNAP1}users.ndjson.gz`)).toBeUndefined();
      await expect(users.write(fakeUser(1))).rejects.toBeInstanceOf(SnapshotWriterStateError);
      expect(await harness.listKeys(sink)).toEqual([]);
      await harness.assertNoLeftovers(sink);
    });

    it("refuses to finish with a stream open, or complete with a file missing, writing nothing", async () => {
      const sink = await harness.fresh();
      const writer = new SnapshotWriter(sink, "acme", T1);
      const users = writer.users<FakeUser>();
      await users.write(fakeUser(1));
      const open = await writer.finish({ complete: false }).catch((error: unknown) => error);
      expect(open).toBeInstanceOf(SnapshotWriterStateError);
      expect((open as Error).message).toContain("users.ndjson.gz");
      await users.close();
      const missing = await writer.finish({ complete: true }).catch((error: unknown) => error);
      expect((missing as Error).message).toMatch(/subscriptions\.json, activity\.ndjson\.gz, seat-report\.json were not stored/);
      expect(await harness.listKeys(sink)).toEqual([`${SNAP1}users.ndjson.gz`, TABLE1("users")]);
      expect(() => writer.users()).toThrow(SnapshotWriterStateError); // opened once already
    });

    it("reads a missing object as undefined and replaces objects whole", async () => {
      const sink = await harness.fresh();
      expect(await sink.readObject("connectors/acme/nothing.json")).toBeUndefined();
      await sink.writeObject("connectors/acme/x.json", "first", "application/json");
      await sink.writeObject("connectors/acme/x.json", Buffer.from("second"), "application/json");
      expect((await sink.readObject("connectors/acme/x.json"))!.toString()).toBe("second");
    });

    it("refuses keys that could escape the root", async () => {
      const sink = await harness.fresh();
      for (const key of ["../x", "/abs", "a//b", "a/./b", "a\\b", "", "a/../../b", "a\nb"]) {
        await expect(sink.writeObject(key, "x", "text/plain")).rejects.toBeInstanceOf(InvalidSnapshotArgumentError);
        expect(() => sink.writeStream(key, "text/plain")).toThrow(InvalidSnapshotArgumentError);
        await expect(sink.readObject(key)).rejects.toBeInstanceOf(InvalidSnapshotArgumentError);
      }
    });

    it("treats a malformed latest.json as an error on read, and replaces it on the next complete run", async () => {
      const sink = await harness.fresh();
      await sink.writeObject("connectors/acme/latest.json", JSON.stringify({ schema: 1, connectorName: "acme", snapshotId: "../../x" }), "application/json");
      await expect(readLatest(sink, "acme")).rejects.toBeInstanceOf(MalformedSnapshotError);
      expect((await writeSnapshot(sink, "acme", T1, true)).latestUpdated).toBe(true);
      expect((await readLatest(sink, "acme"))!.snapshotPrefix).toBe(SNAP1);
    });
  });
}
