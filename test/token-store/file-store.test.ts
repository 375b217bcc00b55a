/** The file store: the shared contract, then file-specific guarantees (mode 0600, atomic writes, the lock). */
import { execFile, spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  FileRefreshTokenStore,
  InsecureTokenFileError,
  saveIfNewer,
  TokenStoreLockTimeoutError,
  createFileStore,
} from "../../token-store";
import { withFileLock } from "../../token-store/file-lock";
import { describeStoreContract } from "./contract";
import { expectNoSecrets, record, rejectionOf } from "./helpers";

let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(tmpdir(), "token-store-"));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function freshPath(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(root, "case-"));
  return path.join(dir, "refresh-token.json");
}

const modeOf = async (file: string): Promise<number> => (await fs.stat(file)).mode & 0o777;

describeStoreContract("file store", {
  fresh: async () => createFileStore({ path: await freshPath() }),
  writeRaw: async (store, raw) => {
    await fs.writeFile((store as FileRefreshTokenStore).path, raw, { mode: 0o600 });
  },
});

describe("file store specifics", () => {
  it("writes mode 0600 whatever the umask, and leaves no lock or temporary file", async () => {
    const file = await freshPath();
    const store = createFileStore({ path: file });
    const previous = process.umask(0o000);
    try {
      const v1 = await store.compareAndSwap(undefined, record(1));
      expect(await modeOf(file)).toBe(0o600);
      await store.compareAndSwap(v1, record(2));
      expect(await modeOf(file)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
    expect(await fs.readdir(path.dirname(file))).toEqual(["refresh-token.json"]);
    expect(store.location).toBe(`file:${file}`);
  });

  it("creates a missing directory with mode 0700", async () => {
    const file = path.join(await freshPath(), "..", "nested", "deeper", "token.json");
    await createFileStore({ path: file }).compareAndSwap(undefined, record(1));
    expect(await modeOf(path.dirname(file))).toBe(0o700);
    expect(await modeOf(file)).toBe(0o600);
  });

  it("refuses to read a file other users can read, with the chmod fix and without the token", async () => {
    const file = await freshPath();
    const store = createFileStore({ path: file });
    const r = record(1);
    const version = await store.compareAndSwap(undefined, r);
    await fs.chmod(file, 0o644);
    for (const attempt of [() => store.read(), () => store.compareAndSwap(version, record(2))]) {
      const error = await rejectionOf(attempt());
      expect(error).toBeInstanceOf(InsecureTokenFileError);
      expect((error as Error).message).toContain(`chmod 600 '${file}'`);
      expect((error as Error).message).toMatch(/mode 644/);
      expectNoSecrets(error, [r.refreshToken]);
    }
    await fs.chmod(file, 0o600);
    expect((await store.read())!.refreshToken).toBe(r.refreshToken);
  });

  it("stores the documented JSON document and versions it by content hash", async () => {
    const file = await freshPath();
    const r = record(1);
    const version = await createFileStore({ path: file }).compareAndSwap(undefined, r);
    const raw = await fs.readFile(file, "utf8");
    expect(JSON.parse(raw)).toEqual({ schema: 1, ...r });
    expect(version).toMatch(/^[0-9a-f]{64}$/);
    await fs.writeFile(file, `${raw}\n`); // a hand edit that changes no field is still a new version
    expect((await createFileStore({ path: file }).read())!.version).not.toBe(version);
  });

  it("atomic writes: a reader polling during 40 large writes never sees a partial document", async () => {
    const file = await freshPath();
    const store = createFileStore({ path: file });
    const big = (n: number) => ({ ...record(n), refreshToken: `rt-secret-${n}-${"x".repeat(256 * 1024)}` });
    await store.compareAndSwap(undefined, big(0));
    let writing = true;
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const stored = await store.read(); // throws MalformedStoreValueError on a torn file
        expect(stored).toBeDefined();
        reads++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      for (let n = 1; n <= 40; n++) expect((await saveIfNewer(store, big(n))).written).toBe(true);
    } finally {
      writing = false;
    }
    await reader;
    expect(reads).toBeGreaterThan(5);
    expect(await fs.readdir(path.dirname(file))).toEqual(["refresh-token.json"]);
  });

  it("ignores a temporary file left by a crashed writer", async () => {
    const file = await freshPath();
    const store = createFileStore({ path: file });
    const r = record(1);
    const version = await store.compareAndSwap(undefined, r);
    await fs.writeFile(path.join(path.dirname(file), ".refresh-token.json.999.partial.tmp"), "{\"sche", { mode: 0o600 });
    expect(await store.read()).toEqual({ ...r, version });
  });

  describe("the lock", () => {
    const lockOf = (file: string) => `${file}.lock`;
    const holdLock = (file: string, owner: object) =>
      fs.writeFile(lockOf(file), JSON.stringify(owner), { flag: "wx", mode: 0o600 });

    it("a writer waits for a live lock and proceeds once it is released", async () => {
      const file = await freshPath();
      const store = createFileStore({ path: file });
      await holdLock(file, { pid: process.pid, host: require("node:os").hostname(), token: "other" });
      const started = Date.now();
      setTimeout(() => void fs.unlink(lockOf(file)), 300);
      await store.compareAndSwap(undefined, record(1));
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      await expect(fs.access(lockOf(file))).rejects.toThrow();
    });

    it("times out on a lock that is never released, naming the lock file, and writes nothing", async () => {
      const file = await freshPath();
      const store = createFileStore({ path: file, timeoutMs: 300 });
      await holdLock(file, { pid: process.pid, host: require("node:os").hostname(), token: "other" });
      const r = record(1);
      const error = await rejectionOf(store.compareAndSwap(undefined, r));
      expect(error).toBeInstanceOf(TokenStoreLockTimeoutError);
      expect((error as Error).message).toContain(lockOf(file));
      expect(error).toMatchObject({ retryable: true, lockPath: lockOf(file) });
      expectNoSecrets(error, [r.refreshToken]);
      expect(await store.read()).toBeUndefined();
      expect(JSON.parse(await fs.readFile(lockOf(file), "utf8")).token).toBe("other"); // not ours to delete
    });

    it("breaks a lock whose holder died, at once", async () => {
      const file = await freshPath();
      const dead = spawn(process.execPath, ["-e", ""]);
      await new Promise((resolve) => dead.once("exit", resolve));
      await holdLock(file, { pid: dead.pid, host: require("node:os").hostname(), token: "dead" });
      const started = Date.now();
      await createFileStore({ path: file, timeoutMs: 5000 }).compareAndSwap(undefined, record(1));
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it("breaks a lock older than staleMs even if its holder looks alive", async () => {
      const file = await freshPath();
      await holdLock(file, { pid: process.pid, host: require("node:os").hostname(), token: "hung" });
      const old = new Date(Date.now() - 60_000);
      await fs.utimes(lockOf(file), old, old);
      await createFileStore({ path: file, timeoutMs: 2000 }).compareAndSwap(undefined, record(1));
      expect(await fs.readdir(path.dirname(file))).toEqual(["refresh-token.json"]);
    });

    it("a holder whose lock was broken as stale learns it before committing, and leaves the new lock alone", async () => {
      const file = await freshPath();
      await withFileLock(lockOf(file), "test", {}, async (stillHeld) => {
        expect(await stillHeld()).toBe(true);
        await fs.writeFile(lockOf(file), JSON.stringify({ pid: process.pid, token: "the-new-holder" }));
        expect(await stillHeld()).toBe(false);
      });
      expect(JSON.parse(await fs.readFile(lockOf(file), "utf8")).token).toBe("the-new-holder");
    });

    it("contention across processes: four processes × ten increments lose no update", async () => {
      const file = await freshPath();
      const tsx = path.resolve(__dirname, "../../node_modules/.bin/tsx");
      const writer = path.resolve(__dirname, "fixtures/counter-writer.ts");
      const run = promisify(execFile);
      const outputs = await Promise.all(
        [0, 1, 2, 3].map((p) => run(tsx, [writer, file, "10", `p${p}`], { timeout: 60_000 })),
      );
      const conflicts = outputs.reduce((sum, o) => sum + (JSON.parse(o.stdout) as { conflicts: number }).conflicts, 0);
      const stored = await createFileStore({ path: file }).read();
      expect(stored!.refreshToken).toMatch(/^counter-40-/);
      expect(conflicts).toBeGreaterThanOrEqual(0); // informative: contention did or did not happen
      expect(await fs.readdir(path.dirname(file))).toEqual(["refresh-token.json"]);
    }, 90_000);
  });
});
