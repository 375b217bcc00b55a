/** Shared helpers for the token-store tests: record builders and the "no secret anywhere" assertion. */
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { TokenStoreConflictError, type RefreshTokenRecord, type RefreshTokenStore } from "../../token-store";

const EPOCH = Date.UTC(2025, 0, 1);

/** A record with a unique, recognisable, long token. `rotatedAt` = family start + `n` minutes. */
export function record(n: number, options: { family?: number; token?: string } = {}): RefreshTokenRecord {
  const familyMs = EPOCH + (options.family ?? 0) * 86_400_000;
  return {
    refreshToken: options.token ?? `rt-secret-${n}-${randomUUID()}`,
    rotatedAt: new Date(familyMs + n * 60_000).toISOString(),
    familyStartedAt: new Date(familyMs).toISOString(),
  };
}

/** Strips a stored record's version so it can be compared with what was written. */
export function withoutVersion<T extends { version?: string }>(stored: T | undefined): Omit<T, "version"> | undefined {
  if (stored === undefined) return undefined;
  const { version: _version, ...rest } = stored;
  return rest;
}

/** Asserts that none of `secrets` appears in the error's message, stack, properties or inspect output. */
export function expectNoSecrets(error: unknown, secrets: string[]): void {
  const renderings = [
    String(error),
    (error as Error)?.stack ?? "",
    inspect(error, { depth: 20, showHidden: true }),
    JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})),
  ];
  for (const secret of secrets) {
    for (const text of renderings) expect(text).not.toContain(secret);
  }
}

/** Awaits `promise` and returns what it rejected with; fails the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}

/** Fisher–Yates, so concurrent writers start in no particular order. */
export function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Read-CAS-retry increments; returns how many conflicts were seen. */
export async function incrementCounter(store: RefreshTokenStore, times: number, tag: string): Promise<number> {
  let conflicts = 0;
  for (let done = 0; done < times; ) {
    const current = await store.read();
    const n = current === undefined ? 1 : Number(/^counter-(\d+)-/.exec(current.refreshToken)![1]) + 1;
    try {
      await store.compareAndSwap(current?.version, { ...record(n), refreshToken: `counter-${n}-${tag}-${done}` });
      done++;
    } catch (error) {
      if (!(error instanceof TokenStoreConflictError)) throw error;
      conflicts++;
    }
  }
  return conflicts;
}
