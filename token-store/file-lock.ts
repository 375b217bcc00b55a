/**
 * A cross-process lock for the file store: an exclusive-create lock file (`open(…, "wx")`) beside the token file.
 *
 * Why a lock at all: the file store's compare-and-swap is read → compare hash → rename, and two processes doing
 * that at once could both pass the compare. Holding the lock for those few milliseconds makes the sequence atomic.
 *
 * Stale locks: a holder that crashed leaves its lock file behind. A lock is broken when its holder's pid is dead on
 * this host, or when it is older than `staleMs` (30 s by default, thousands of times the critical section).
 * Breaking renames the lock aside first and checks it moved the very file it judged stale (same inode and mtime;
 * the inode alone is not enough, as a deleted file's inode is soon reused), so two waiters cannot both break it and
 * then delete each other's fresh lock; a wrongly moved fresh lock is put back with `link`, which never overwrites.
 * Residual race: while a fresh lock is moved aside and not yet put back (microseconds, and only after a lock was
 * judged stale), a third process may take the lock too, and two holders could then both pass the compare.
 * A holder paused for longer than `staleMs` (a laptop suspended mid-write) loses its lock; it checks that the lock
 * is still its own just before its rename (`stillHeld`), which leaves only the microseconds between check and rename.
 */
import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import { hostname } from "node:os";
import { TokenStoreLockTimeoutError } from "./errors";

export interface FileLockOptions {
  /** Give up waiting after this long (default 10 000 ms) with `TokenStoreLockTimeoutError`. */
  timeoutMs?: number;
  /** A lock older than this is abandoned (default 30 000 ms). */
  staleMs?: number;
}

interface LockOwner {
  pid?: number;
  host?: string;
  token?: string;
}

/**
 * Runs `body` while holding the lock at `lockPath`; always releases it (only if it is still ours). `body` gets
 * `stillHeld()`, which tells whether the lock was broken as stale meanwhile: call it right before committing.
 */
export async function withFileLock<T>(
  lockPath: string,
  location: string,
  options: FileLockOptions,
  body: (stillHeld: () => Promise<boolean>) => Promise<T>,
): Promise<T> {
  const token = await acquire(lockPath, location, options.timeoutMs ?? 10_000, options.staleMs ?? 30_000);
  try {
    return await body(async () => (await ownerOf(lockPath))?.token === token);
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, location: string, timeoutMs: number, staleMs: number): Promise<string> {
  const token = randomUUID();
  const started = Date.now();
  for (;;) {
    try {
      const handle = await fs.open(lockPath, "wx", 0o600);
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), token, at: new Date() }));
      } finally {
        await handle.close();
      }
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const stale = await staleLockIdentity(lockPath, staleMs);
    if (stale !== undefined) {
      await breakStaleLock(lockPath, stale);
      continue;
    }
    if (Date.now() - started >= timeoutMs) throw new TokenStoreLockTimeoutError(location, lockPath, timeoutMs);
    // Jitter so waiters do not retry in lockstep; the critical section lasts milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10));
  }
}

/** Identifies one lock file: the inode alone is not enough, a deleted lock's inode is soon reused. */
function identity(stat: { ino: number; mtimeMs: number }): string {
  return `${stat.ino}:${stat.mtimeMs}`;
}

/** The identity of the lock if it is stale, `undefined` if it is live (or already gone). */
async function staleLockIdentity(lockPath: string, staleMs: number): Promise<string | undefined> {
  let stat;
  let owner: LockOwner = {};
  try {
    stat = await fs.stat(lockPath);
    owner = JSON.parse(await fs.readFile(lockPath, "utf8")) as LockOwner;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined; // released meanwhile: retry now
    // Unparseable: the holder is between create and write, or died there. Only age can tell.
  }
  if (stat === undefined) return undefined;
  if (Date.now() - stat.mtimeMs > staleMs) return identity(stat);
  if (owner.host === hostname() && typeof owner.pid === "number" && !processAlive(owner.pid)) return identity(stat);
  return undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

async function breakStaleLock(lockPath: string, staleIdentity: string): Promise<void> {
  const aside = `${lockPath}.stale-${randomUUID()}`;
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // another waiter broke it first
    throw error;
  }
  try {
    const moved = await fs.stat(aside);
    if (identity(moved) !== staleIdentity) {
      // We moved a lock taken after our staleness check: give it back (link never overwrites a newer lock).
      await fs.link(aside, lockPath).catch(() => undefined);
    }
  } finally {
    await fs.unlink(aside).catch(() => undefined);
  }
}

async function ownerOf(lockPath: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await fs.readFile(lockPath, "utf8")) as LockOwner;
  } catch {
    return undefined; // gone, or a new holder between create and write
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  // Our lock may have been broken as stale and taken by another process: never delete theirs.
  if ((await ownerOf(lockPath))?.token === token) await fs.unlink(lockPath).catch(() => undefined);
}
