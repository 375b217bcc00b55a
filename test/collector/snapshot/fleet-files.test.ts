/**
 * SnapshotWriter.fleetTable: the seat report's NDJSON copies are listed in the manifest and optional for `complete`;
 * the fleet-tables/ copies of every kind (fleetRecords: roles, which has no snapshot file of its own).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalDirectorySink, SnapshotWriter, readNdjsonGzip } from "../../../collector/snapshot";

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-files-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function fourFiles(writer: SnapshotWriter): Promise<void> {
  for (const stream of [writer.users(), writer.activity()]) await stream.close();
  await writer.writeJson("subscriptions.json", {});
  await writer.writeJson("seat-report.json", {});
}

test("people.ndjson.gz is stored, read back and listed with its record count; complete without it still works", async () => {
  const sink = new LocalDirectorySink(dir);
  const writer = new SnapshotWriter(sink, "acme", new Date("2026-12-01T00:00:00.000Z"));
  await fourFiles(writer);
  const people = writer.fleetTable<{ accountId: string }>("people.ndjson.gz");
  await people.write({ accountId: "a" });
  await people.write({ accountId: "b" });
  await people.close();
  const { manifest } = await writer.finish({ complete: true });
  expect(manifest.files["people.ndjson.gz"]).toMatchObject({ records: 2 });
  expect(manifest.files["products.ndjson.gz"]).toBeUndefined();
  const read: unknown[] = [];
  for await (const line of readNdjsonGzip((await sink.readObject(`${writer.prefix}people.ndjson.gz`))!)) read.push(line);
  expect(read).toEqual([{ accountId: "a" }, { accountId: "b" }]);

  const withoutCopies = new SnapshotWriter(sink, "acme", new Date("2026-12-02T00:00:00.000Z"));
  await fourFiles(withoutCopies);
  expect((await withoutCopies.finish({ complete: true })).latestUpdated).toBe(true);
});

test("fleetTable refuses a name that is not a fleet file", () => {
  const writer = new SnapshotWriter(new LocalDirectorySink(dir), "acme", new Date());
  expect(() => writer.fleetTable("users.ndjson.gz" as never)).toThrow(/not a fleet file/);
});

describe("fleet tables (fleet-tables/<kind>/connector=<name>/day=<date>/<snapshotId>.ndjson.gz)", () => {
  const at = new Date("2026-12-01T23:59:59.999Z");
  const key = (kind: string) => `fleet-tables/${kind}/connector=acme/day=2026-12-01/2026-12-01T23-59-59.999Z.ndjson.gz`;
  const read = async (sink: LocalDirectorySink, k: string) => {
    const out: unknown[] = [];
    const bytes = await sink.readObject(k);
    if (bytes === undefined) return undefined;
    for await (const line of readNdjsonGzip(bytes)) out.push(line);
    return out;
  };

  test("every NDJSON kind is copied with its snapshotId, and the manifest follows as one compact record", async () => {
    const sink = new LocalDirectorySink(dir);
    const writer = new SnapshotWriter(sink, "acme", at);
    const users = writer.users<{ accountId: string }>();
    await users.write({ accountId: "u1" });
    await users.close();
    await writer.activity().close();
    await writer.writeJson("subscriptions.json", {});
    await writer.writeJson("seat-report.json", {});
    const people = writer.fleetTable<{ accountId: string }>("people.ndjson.gz");
    await people.write({ accountId: "p1" });
    await people.close();
    const { manifest } = await writer.finish({ complete: true });
    expect(await read(sink, key("users"))).toEqual([{ accountId: "u1", snapshotId: "2026-12-01T23-59-59.999Z" }]);
    expect(await read(sink, key("activity"))).toEqual([]);
    expect(await read(sink, key("people"))).toEqual([{ accountId: "p1", snapshotId: "2026-12-01T23-59-59.999Z" }]);
    expect(await read(sink, key("products"))).toBeUndefined(); // not written, as in the snapshot folder
    // The original is untouched: the copy's snapshotId is not in users.ndjson.gz.
    expect(await read(sink, `${writer.prefix}users.ndjson.gz`)).toEqual([{ accountId: "u1" }]);
    const text = (await import("zlib")).gunzipSync((await sink.readObject(key("manifests")))!).toString("utf8");
    expect(text.split("\n")).toEqual([JSON.stringify(manifest), ""]);
    expect(JSON.parse(text)).toMatchObject({ connectorName: "acme", snapshotId: "2026-12-01T23-59-59.999Z", complete: true });
  });

  test("the snapshotId is appended to the record's own JSON (an empty record too); a non-object record is refused", async () => {
    const sink = new LocalDirectorySink(dir);
    const writer = new SnapshotWriter(sink, "acme", at);
    const activity = writer.activity<Record<string, unknown>>();
    await activity.write({});
    await activity.write({ accountId: "a", detail: "x\"}" });
    await expect(activity.write([1] as never)).rejects.toThrow(/must be a JSON object/);
    await activity.close();
    expect(await read(sink, key("activity"))).toEqual([
      { snapshotId: "2026-12-01T23-59-59.999Z" },
      { accountId: "a", detail: "x\"}", snapshotId: "2026-12-01T23-59-59.999Z" },
    ]);
    expect(await read(sink, `${writer.prefix}activity.ndjson.gz`)).toEqual([{}, { accountId: "a", detail: "x\"}" }]);
  });

  test("fleetRecords(\"roles\"): one compact line per record plus snapshotId, not in the manifest; finish waits for it", async () => {
    const sink = new LocalDirectorySink(dir);
    const writer = new SnapshotWriter(sink, "acme", at);
    const roles = [
      { productKey: "jira-software", productName: "Jira", grantingGroups: ["jira-users", "site-admins"] },
      { productKey: "jira-servicedesk", productName: "JSM", grantingGroups: [] },
    ];
    const pending = writer.fleetRecords("roles", roles);
    await expect(writer.finish({ complete: false })).rejects.toThrow(/fleetRecords/);
    await pending;
    const { manifest } = await writer.finish({ complete: false });
    const text = (await import("zlib")).gunzipSync((await sink.readObject(key("roles")))!).toString("utf8");
    expect(text.split("\n")).toEqual([...roles.map((r) => JSON.stringify({ ...r, snapshotId: "2026-12-01T23-59-59.999Z" })), ""]);
    expect(Object.keys(manifest.files)).toEqual([]);
    await expect(writer.fleetRecords("roles", [])).rejects.toThrow(/finished/);
  });

  test("fleetRecords: no roles is an empty object (the table has no rows for it); a kind with a snapshot file is refused", async () => {
    const sink = new LocalDirectorySink(dir);
    const writer = new SnapshotWriter(sink, "acme", at);
    await writer.fleetRecords("roles", []);
    expect(await read(sink, key("roles"))).toEqual([]);
    await expect(writer.fleetRecords("users" as never, [])).rejects.toThrow(/has a snapshot file/);
  });

  test("checkpoints are not copied, and an aborted stream leaves neither file nor copy", async () => {
    const sink = new LocalDirectorySink(dir);
    const writer = new SnapshotWriter(sink, "acme", at);
    const users = writer.users<{ accountId: string }>();
    await users.write({ accountId: "u1" });
    const checkpoint = writer.checkpoint<{ a: number }>("checkpoint-users.ndjson.gz");
    await checkpoint.write({ a: 1 });
    await checkpoint.close();
    await writer.abortOpenStreams(new Error("stop"));
    await writer.finish({ complete: false });
    expect(await sink.readObject(`${writer.prefix}users.ndjson.gz`)).toBeUndefined();
    expect(await sink.readObject(key("users"))).toBeUndefined();
    // Only files count: the local sink makes a stream's folders when it opens (as it does the snapshot's).
    const files = (fs.readdirSync(path.join(dir, "fleet-tables"), { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, "fleet-tables", f)).isFile());
    expect(files).toEqual([key("manifests").slice("fleet-tables/".length)]);
  });
});
