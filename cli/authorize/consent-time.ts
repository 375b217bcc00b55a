/**
 * The consent time `authorize` reports, and `--token-file`: the new token written as a fresh record whose family
 * starts at the consent, so `check`/`collect --token-file` (and their expiry figures) count from it.
 */
import * as path from "path";
import { createFileStore, TokenStoreConflictError } from "../../token-store";
import { CliError } from "../io";

/**
 * When the code was exchanged, on Atlassian's clock (its family's 365 days run on that clock): `localMs` taken
 * before the request, moved by the measured offset (`local - server`), cut to the second. Never later than the exchange.
 */
export function consentTimeOf(localMs: number, serverOffsetMs: number | undefined): string {
  const serverMs = localMs - (serverOffsetMs ?? 0);
  return new Date(Math.floor(serverMs / 1000) * 1000).toISOString();
}

/** Writes a fresh record into `file`; refuses a file that holds a token already (it may be another grant's live one). */
export async function writeTokenFile(file: string, refreshToken: string, consentAt: string): Promise<void> {
  if (!path.isAbsolute(file) && file.trim() === "") throw new CliError("--token-file needs a path.", "INVALID_ARGUMENT", 2);
  const store = createFileStore({ path: path.resolve(file) });
  // Never ahead of this machine's clock: a record dated ahead is treated as clock skew by every reader.
  const at = new Date(Math.min(Date.parse(consentAt), Date.now())).toISOString();
  try {
    await store.compareAndSwap(undefined, { refreshToken, rotatedAt: at, familyStartedAt: consentAt <= at ? consentAt : at });
  } catch (error) {
    if (error instanceof TokenStoreConflictError) {
      throw new CliError(`${file} already holds a refresh token (perhaps another grant's live one), so it was left unchanged: name a new file with --token-file, or seed the existing one with \`collect --refresh-token … --refresh-token-issued-at …\`.`, "TOKEN_STORE_CONFLICT");
    }
    throw error;
  }
}
