/**
 * A snapshot sink in a local directory, for the laptop CLI.
 *
 * - Atomicity: every object (streamed ones too) is written to a temporary file in its final directory, fsynced, then
 *   renamed over the final name, and the directory is fsynced; so a reader (or a crash) sees the old file or the
 *   new one, never a partial one. A stream that is destroyed deletes its temporary file.
 * - Secrecy: snapshots hold user emails, so files are created 0600 and directories 0700, set explicitly (not left to
 *   the umask). Existing directories above the root are left alone.
 * - Residual: a crash (not an abort) mid-write leaves a `.<name>.<pid>.<uuid>.tmp` file (mode 0600) beside the final
 *   name. It is never read; delete it at leisure.
 */
import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import * as path from "node:path";
import { Writable } from "node:stream";
import {
  boundDetail,
  InvalidSnapshotArgumentError,
  SnapshotError,
  SnapshotPermissionError,
  SnapshotStorageRejectedError,
} from "./errors";
import { assertObjectKey } from "./layout";
import type { SnapshotSink } from "./sink";
import { syncDirectory } from "../../token-store/durable-file";

const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

/** A `SnapshotSink` rooted at one directory (created 0700 if missing). */
export class LocalDirectorySink implements SnapshotSink {
  readonly location: string;
  /** The absolute root directory. */
  readonly root: string;

  /** @param root relative paths are resolved against the current directory once, here. */
  constructor(root: string) {
    if (typeof root !== "string" || root.trim() === "") throw new InvalidSnapshotArgumentError("directory", "is empty");
    this.root = path.resolve(root);
    this.location = `file:${this.root}`;
  }

  /** Atomic: temp file + fsync + rename. */
  async writeObject(key: string, body: Buffer | string, _contentType: string): Promise<void> {
    const file = this.pathOf(key);
    let temporary: string | undefined;
    try {
      const opened = await this.openTemporary(file);
      temporary = opened.temporary;
      try {
        await opened.handle.writeFile(body);
        await opened.handle.sync();
      } finally {
        await opened.handle.close();
      }
      await this.commit(temporary, file);
    } catch (error) {
      if (temporary !== undefined) await fs.unlink(temporary).catch(() => undefined);
      throw this.fsError(error, "write", file);
    }
  }

  /** Streams into a temporary file; `end()` fsyncs and renames it, `destroy()` deletes it. */
  writeStream(key: string, _contentType: string): Writable {
    const file = this.pathOf(key);
    let handle: FileHandle | undefined;
    let temporary: string | undefined;
    let committed = false;
    /** The file operation under way: `destroy` may come while one runs, and must wait for it before cleaning up. */
    let inFlight: Promise<void> | undefined;
    const track = (work: Promise<void>): Promise<void> => (inFlight = work);
    // Arrow functions capture the sink: Writable's options-style API keeps this free of subclassing.
    return new Writable({
      construct: (callback) => {
        this.openTemporary(file).then(
          (opened) => {
            ({ handle, temporary } = opened);
            callback();
          },
          (error: unknown) => callback(this.fsError(error, "write", file)),
        );
      },
      write: (chunk: Buffer, _encoding, callback) => {
        track(handle!.write(chunk).then(() => undefined)).then(
          () => callback(),
          (error: unknown) => callback(this.fsError(error, "write", file)),
        );
      },
      final: (callback) => {
        const finish = async (): Promise<void> => {
          await handle!.sync();
          await handle!.close();
          handle = undefined;
          await this.commit(temporary!, file);
          committed = true;
        };
        track(finish()).then(
          () => callback(),
          (error: unknown) => callback(this.fsError(error, "write", file)),
        );
      },
      destroy: (error, callback) => {
        const cleanUp = async (): Promise<void> => {
          await inFlight?.catch(() => undefined);
          await handle?.close().catch(() => undefined);
          if (!committed && temporary !== undefined) await fs.unlink(temporary).catch(() => undefined);
        };
        void cleanUp().then(() => callback(error));
      },
    });
  }

  /** The file's bytes, or `undefined` if it does not exist. */
  async readObject(key: string): Promise<Buffer | undefined> {
    const file = this.pathOf(key);
    try {
      return await fs.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw this.fsError(error, "read", file);
    }
  }

  /** Absolute path of `key`; `assertObjectKey` already rules out `..`, and the check below makes it certain. */
  pathOf(key: string): string {
    assertObjectKey(key);
    const file = path.resolve(this.root, ...key.split("/"));
    if (!file.startsWith(this.root + path.sep)) {
      throw new InvalidSnapshotArgumentError("key", `${JSON.stringify(key)} resolves outside ${this.root}`);
    }
    return file;
  }

  private async openTemporary(file: string): Promise<{ handle: FileHandle; temporary: string }> {
    const directory = path.dirname(file);
    await this.ensureDirectory(directory);
    const temporary = path.join(directory, `.${path.basename(file)}.${process.pid}.${randomUUID()}.tmp`);
    const handle = await fs.open(temporary, "wx", FILE_MODE);
    try {
      await handle.chmod(FILE_MODE); // the umask may have changed the mode; state it explicitly
    } catch (error) {
      await handle.close();
      await fs.unlink(temporary).catch(() => undefined);
      throw error;
    }
    return { handle, temporary };
  }

  private async commit(temporary: string, file: string): Promise<void> {
    await fs.rename(temporary, file);
    await syncDirectory(path.dirname(file)); // the rename itself survives a crash
  }

  /**
   * Creates `directory` and any missing directory between it and the root (and above the root), each 0700.
   * Only directories created here are chmod-ed: an existing root (say, the current directory) keeps its mode.
   */
  private async ensureDirectory(directory: string): Promise<void> {
    const firstCreated = await fs.mkdir(this.root, { recursive: true, mode: DIRECTORY_MODE });
    if (firstCreated !== undefined) {
      const above = path.relative(firstCreated, this.root);
      let level = firstCreated;
      for (const segment of ["", ...(above === "" ? [] : above.split(path.sep))]) {
        level = path.join(level, segment);
        await fs.chmod(level, DIRECTORY_MODE);
      }
    }
    let level = this.root;
    const below = path.relative(this.root, directory);
    for (const segment of below === "" ? [] : below.split(path.sep)) {
      level = path.join(level, segment);
      try {
        await fs.mkdir(level, { mode: DIRECTORY_MODE });
        await fs.chmod(level, DIRECTORY_MODE); // the umask may have narrowed or widened the mode
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
  }

  private fsError(error: unknown, operation: "read" | "write", file: string): SnapshotError {
    if (error instanceof SnapshotError) return error;
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    if (code === "EACCES" || code === "EPERM") {
      return new SnapshotPermissionError(
        this.location,
        operation,
        operation === "read" ? file : path.dirname(file),
        `${code}`,
        `The user running the collector must be able to ${operation} it.`,
      );
    }
    const message = (error as Error | undefined)?.message;
    const detail = code === "unknown error" && message !== undefined ? boundDetail(message) : `file system error ${code}`;
    return new SnapshotStorageRejectedError(this.location, operation, file, detail);
  }
}
