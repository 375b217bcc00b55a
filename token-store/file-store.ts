/**
 * A refresh-token store in a local JSON file, for laptops and the CLI.
 *
 * - Format: the same `{"schema":1,"refreshToken","rotatedAt","familyStartedAt"}` document as the secret.
 * - Version: the SHA-256 of the file's bytes, so any change by anyone (even by hand) is a different version.
 * - Secrecy: mode 0600, set explicitly (not left to the umask) and verified after every write; `read` refuses a file
 *   other users can access. A missing directory is created with mode 0700.
 * - Atomicity: writes go to a temporary file in the same directory, are fsynced, then renamed over the token file
 *   (and the directory fsynced), so a reader sees the old or the new document, never a partial one, even after a
 *   crash. Readers take no lock.
 * - Compare-and-swap: read → compare hash → write runs under a cross-process lock file (`<path>.lock`, see
 *   file-lock.ts), so two processes cannot both pass the compare.
 *
 * Residual: a crash between creating and renaming the temporary file leaves a `.<name>.*.tmp` file (mode 0600)
 * beside the token file; it is never read and may be deleted. Permission checks are skipped on Windows, where
 * POSIX modes do not apply.
 */
import { createHash, randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import {
  InsecureTokenFileError,
  TokenStoreConflictError,
  TokenStoreError,
  TokenStorePermissionError,
  TokenStoreRejectedError,
} from "./errors";
import { withFileLock, type FileLockOptions } from "./file-lock";
import { assertValidRecord, parseRecord, serializeRecord } from "./record";
import type { RefreshTokenRecord, RefreshTokenStore, StoredRefreshToken } from "./types";
import { syncDirectory } from "./durable-file";

export interface FileStoreOptions extends FileLockOptions {
  /** The token file. Relative paths are resolved against the current directory once, at construction. */
  path: string;
}

/** A `RefreshTokenStore` backed by one JSON file. */
export class FileRefreshTokenStore implements RefreshTokenStore {
  readonly location: string;
  readonly path: string;
  readonly lockPath: string;
  private readonly lockOptions: FileLockOptions;

  constructor(options: FileStoreOptions) {
    if (typeof options.path !== "string" || options.path.trim() === "") {
      throw new TokenStoreRejectedError("file:", "configuration", "path is empty");
    }
    this.path = path.resolve(options.path);
    this.lockPath = `${this.path}.lock`;
    this.location = `file:${this.path}`;
    this.lockOptions = { timeoutMs: options.timeoutMs, staleMs: options.staleMs };
  }

  /** The file's record, or `undefined` when the file does not exist. Takes no lock: writes are atomic renames. */
  async read(): Promise<StoredRefreshToken | undefined> {
    const raw = await this.readRaw();
    if (raw === undefined) return undefined;
    const version = contentVersion(raw);
    return { ...parseRecord(raw.toString("utf8"), this.location, version), version };
  }

  /** Under the lock: writes `next` iff the file's content hash is `expectedVersion` (or the file is absent). */
  async compareAndSwap(expectedVersion: string | undefined, next: RefreshTokenRecord): Promise<string> {
    assertValidRecord(next, this.location);
    const content = Buffer.from(serializeRecord(next), "utf8");
    try {
      await fs.mkdir(path.dirname(this.path), { recursive: true, mode: 0o700 });
      return await withFileLock(this.lockPath, this.location, this.lockOptions, async (stillHeld) => {
        const raw = await this.readRaw();
        const current = raw === undefined ? undefined : contentVersion(raw);
        if (current !== expectedVersion) {
          throw new TokenStoreConflictError(
            this.location,
            expectedVersion,
            current === undefined ? "the file no longer exists" : `it now holds version ${current}`,
          );
        }
        if (!(await this.writeAtomically(content, stillHeld))) {
          // Paused past the stale-lock timeout: another writer may have committed since our compare.
          throw new TokenStoreConflictError(this.location, expectedVersion, "this writer's lock was broken as stale");
        }
        return contentVersion(content);
      });
    } catch (error) {
      throw this.fsError(error, "write");
    }
  }

  private async readRaw(): Promise<Buffer | undefined> {
    let handle;
    try {
      handle = await fs.open(this.path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw this.fsError(error, "read");
    }
    try {
      // fstat on the open handle: the mode checked is the mode of the very file read, not a later replacement.
      this.assertPrivate((await handle.stat()).mode);
      return await handle.readFile();
    } catch (error) {
      throw this.fsError(error, "read");
    } finally {
      await handle.close();
    }
  }

  /** Temp file → fsync → rename → fsync dir. Returns false, having written nothing, if the lock was lost. */
  private async writeAtomically(content: Buffer, stillHeld: () => Promise<boolean>): Promise<boolean> {
    const directory = path.dirname(this.path);
    const temporary = path.join(directory, `.${path.basename(this.path)}.${process.pid}.${randomUUID()}.tmp`);
    const handle = await fs.open(temporary, "wx", 0o600);
    try {
      try {
        await handle.chmod(0o600); // the umask may have narrowed 0600 to something we could not read back
        await handle.writeFile(content);
        await handle.sync(); // data on disk before the rename makes it visible
      } finally {
        await handle.close();
      }
      if (!(await stillHeld())) {
        await fs.unlink(temporary).catch(() => undefined);
        return false;
      }
      await fs.rename(temporary, this.path);
    } catch (error) {
      await fs.unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncDirectory(directory); // the rename itself survives a crash
    this.assertPrivate((await fs.stat(this.path)).mode);
    return true;
  }

  private assertPrivate(mode: number): void {
    if (process.platform !== "win32" && (mode & 0o077) !== 0) {
      throw new InsecureTokenFileError(this.location, this.path, mode);
    }
  }

  private fsError(error: unknown, operation: "read" | "write"): TokenStoreError {
    if (error instanceof TokenStoreError) return error;
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    if (code === "EACCES" || code === "EPERM") {
      return new TokenStorePermissionError(
        this.location,
        operation,
        operation === "read" ? this.path : path.dirname(this.path),
        `${code}; the user running this code must be able to ${operation} it`,
      );
    }
    // Node's messages quote paths and syscalls, never file contents; only the code is kept anyway.
    return new TokenStoreRejectedError(this.location, operation, `file system error ${code}`);
  }
}

/** The file store's version: SHA-256 of the exact bytes, hex. */
export function contentVersion(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}
