/** SnapshotWriter.fleetTable: the seat report's NDJSON copies are listed in the manifest and optional for `complete`. */
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
