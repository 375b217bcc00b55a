/** The local directory sink: the shared contract, plus atomicity on disk and file modes. */
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LocalDirectorySink, SnapshotWriter, type SnapshotSink } from "../../../collector/snapshot";
import { describeSinkContract, fakeUser, T1, writeSnapshot } from "./sink-contract";

const roots: string[] = [];

async function newRoot(): Promise<string> {
  const root = await fs.mkdtemp(path.join(tmpdir(), "snapshot-sink-"));
  roots.push(root);
  return path.join(root, "store"); // not yet existing: the sink creates it
}

afterAll(async () => {
  await Promise.all(roots.map((root) => fs.rm(root, { recursive: true, force: true })));
});

/** Every file and directory under `dir`, relative, `/`-separated, sorted. */
async function walk(dir: string, relative = ""): Promise<Array<{ path: string; dir: boolean }>> {
  const out: Array<{ path: string; dir: boolean }> = [];
  let entries;
  try {
    entries = await fs.readdir(path.join(dir, relative), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
    out.push({ path: child, dir: entry.isDirectory() });
    if (entry.isDirectory()) out.push(...(await walk(dir, child)));
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

const rootOf = (sink: SnapshotSink): string => (sink as LocalDirectorySink).root;

describeSinkContract("local directory sink", {
  fresh: async () => new LocalDirectorySink(await newRoot()),
  listKeys: async (sink) => (await walk(rootOf(sink))).filter((e) => !e.dir).map((e) => e.path),
  assertNoLeftovers: async (sink) => {
    expect((await walk(rootOf(sink))).filter((e) => e.path.endsWith(".tmp"))).toEqual([]);
  },
});

describe("local directory sink specifics", () => {
  it("creates files 0600 and directories 0700 whatever the umask, and says file: in its location", async () => {
    const root = await newRoot();
    const sink = new LocalDirectorySink(root);
    expect(sink.location).toBe(`file:${root}`);
    const previous = process.umask(0o000); // the most permissive umask: modes must still be private
    try {
      await writeSnapshot(sink, "acme", T1, true);
    } finally {
      process.umask(previous);
    }
    const entries = await walk(root);
    // connectors, acme, snapshots, <id>; latest.json and 5 snapshot files; fleet-tables, and per kind (users,
    // activity, manifests) its folder, connector=acme, day=… and the object
    expect(entries.length).toBe(23);
    for (const entry of [{ path: "", dir: true }, ...entries]) {
      const mode = (await fs.stat(path.join(root, entry.path))).mode & 0o777;
      expect([entry.path, mode.toString(8)]).toEqual([entry.path, entry.dir ? "700" : "600"]);
    }
  });

  it("leaves the mode of a root directory that already existed alone", async () => {
    const root = await newRoot();
    await fs.mkdir(root, { mode: 0o755 });
    await fs.chmod(root, 0o755);
    await new LocalDirectorySink(root).writeObject("connectors/acme/x.json", "{}", "application/json");
    expect((await fs.stat(root)).mode & 0o777).toBe(0o755);
    expect((await fs.stat(path.join(root, "connectors"))).mode & 0o777).toBe(0o700);
  });

  it("streams into a hidden temporary file: no final file until commit, none at all after an abort", async () => {
    const root = await newRoot();
    const sink = new LocalDirectorySink(root);
    const writer = new SnapshotWriter(sink, "acme", T1);
    const users = writer.users();
    for (let i = 0; i < 20_000; i++) await users.write(fakeUser(i)); // several MB: gzip has flushed to disk
    const dir = path.join(root, "connectors/acme/snapshots/2026-11-28T23-00-00.000Z");
    const during = await fs.readdir(dir);
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(/^\.users\.ndjson\.gz\.\d+\.[0-9a-f-]{36}\.tmp$/);
    expect((await fs.stat(path.join(dir, during[0]!))).size).toBeGreaterThan(0);
    await users.abort(new Error("simulated crash mid-stream"));
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it("a failing write (disk error) discards the stream and reports a typed error naming the path", async () => {
    const root = await newRoot();
    const sink = new LocalDirectorySink(root);
    await sink.writeObject("connectors/acme/placeholder", "x", "text/plain");
    // A file where a directory must go: the stream cannot be opened.
    const stream = new SnapshotWriter(sink, "acme", T1);
    await fs.writeFile(path.join(root, "connectors/acme/snapshots"), "not a directory");
    const users = stream.users();
    const error = (await (async () => {
      await users.write(fakeUser(1));
      return users.close();
    })().catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.name).toBe("SnapshotStorageRejectedError");
    expect(error.message).toContain(`file:${root}`);
    expect(error.message).toContain("ENOTDIR");
    expect(users.status).toBe("aborted");
  });

  it("finish can be retried after a storage failure, and latest.json still comes last", async () => {
    const inner = new LocalDirectorySink(await newRoot());
    let failures = 1;
    const flaky: SnapshotSink = {
      location: inner.location,
      readObject: (key) => inner.readObject(key),
      writeStream: (key, type) => inner.writeStream(key, type),
      async writeObject(key, body, type) {
        if (key.endsWith("manifest.json") && failures-- > 0) throw new Error("throttled");
        return inner.writeObject(key, body, type);
      },
    };
    const writer = new SnapshotWriter(flaky, "acme", T1);
    await writer.users().close();
    await writer.activity().close();
    await writer.writeJson("subscriptions.json", {});
    await writer.writeJson("seat-report.json", {});
    await expect(writer.finish({ complete: true })).rejects.toThrow("throttled");
    expect(await inner.readObject("connectors/acme/latest.json")).toBeUndefined();
    await expect(writer.finish({ complete: true })).resolves.toMatchObject({ latestUpdated: true });
    await expect(writer.finish({ complete: true })).rejects.toThrow(/is finished/);
  });

  it("cannot be pointed outside its root by a key", () => {
    const sink = new LocalDirectorySink("/tmp/x");
    expect(() => sink.pathOf("connectors/../../etc/passwd")).toThrow(/key: /);
    expect(sink.pathOf("connectors/acme/latest.json")).toBe("/tmp/x/connectors/acme/latest.json");
  });
});
