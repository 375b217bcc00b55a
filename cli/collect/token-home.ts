/**
 * Where `collect` keeps a connector's live refresh token when no store is named: a per-user folder outside the
 * snapshot directory (people zip and share that), `$XDG_CONFIG_HOME/jira-connector/tokens/<connector>.json`
 * (default `~/.config/…`; folders 0700, file 0600). Tokens that earlier versions kept in `<out>/.tokens/` are moved
 * there, never replacing a newer token (compare-and-swap) and never while a run holds the old file.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { contentVersion, createFileStore, type FileRefreshTokenStore, isNewerRecord, TokenStoreConflictError } from "../../token-store";
import { withFileLock } from "../../token-store/file-lock";
import { CliError } from "../io";

export function userTokenPath(env: Record<string, string | undefined>, connector: string): string {
  const base = env.XDG_CONFIG_HOME?.trim() || (env.HOME?.trim() ? path.join(env.HOME.trim(), ".config") : undefined);
  if (!base || !path.isAbsolute(base)) {
    throw new CliError("collect keeps the live refresh token in $XDG_CONFIG_HOME or ~/.config, and neither HOME nor XDG_CONFIG_HOME is set: pass --token-file <path> (outside the snapshot folder).", "MISSING_OPTION", 2);
  }
  return path.join(base, "jira-connector", "tokens", `${connector}.json`);
}

/** Creates the folders 0700 and narrows them to 0700 if they existed wider (the file store only creates its own). */
export async function prepareTokenHome(tokenPath: string): Promise<void> {
  const tokens = path.dirname(tokenPath);
  await fs.mkdir(tokens, { recursive: true, mode: 0o700 });
  if (process.platform !== "win32") for (const dir of [tokens, path.dirname(tokens)]) await fs.chmod(dir, 0o700);
}

export type Migration = { kind: "none" } | { kind: "moved" | "kept-newer"; from: string };

/** Moves `<out>/.tokens/<connector>.json` into `target`, if it exists; the newer of the two tokens wins. */
export async function migrateLegacyTokenFile(legacyPath: string, target: FileRefreshTokenStore, now: Date): Promise<Migration> {
  const legacy = createFileStore({ path: legacyPath });
  const old = await legacy.read();
  if (!old) return { kind: "none" };
  if (old.lease && Date.parse(old.lease.until) > now.getTime()) {
    throw new CliError(`another run is using the refresh token in ${legacyPath} (until ${old.lease.until}); run collect again when it has finished, and the token moves to ${target.path}.`, "TOKEN_STORE_IN_USE");
  }
  const { version: oldVersion, ...record } = old;
  let moved = false;
  for (let attempt = 0; ; attempt++) {
    const current = await target.read();
    if (!isNewerRecord(record, current)) break;
    try {
      await target.compareAndSwap(current?.version, record);
      moved = true;
      break;
    } catch (error) {
      if (!(error instanceof TokenStoreConflictError) || attempt >= 2) throw error;
    }
  }
  // Deleted under the old file's own lock, and only unchanged: a writer that got in since keeps its token there.
  await withFileLock(legacy.lockPath, legacy.location, {}, async (stillHeld) => {
    const raw = await fs.readFile(legacyPath).catch(() => undefined);
    if (raw === undefined) return;
    if (contentVersion(raw) !== oldVersion || !(await stillHeld())) {
      throw new CliError(`${legacyPath} changed while its token was being moved to ${target.path}; run collect again to finish the move.`, "TOKEN_STORE_CONFLICT");
    }
    await fs.unlink(legacyPath);
  });
  await fs.rmdir(path.dirname(legacyPath)).catch(() => undefined); // only if empty
  return { kind: moved ? "moved" : "kept-newer", from: legacyPath };
}
