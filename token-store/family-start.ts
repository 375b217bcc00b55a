/**
 * Moving a family's recorded start earlier, to the consent, without presenting any token: for a consent time the
 * admin supplies after the first `pulumi up` (which recorded the family as starting then).
 *
 * Safe against the rotation protocol because it writes only a *quiet* record — no lease that still holds, no
 * presentation or seeding in flight — so no run is between its claim and its successor's write (those writes
 * name the claim's version and would otherwise lose theirs). A claim racing this write just re-reads (conflict).
 */
import { TokenStoreConflictError } from "./errors";
import { earlierFamilyStart, pickRecord } from "./record";
import type { RefreshTokenRecord, RefreshTokenStore } from "./types";

export type FamilyStartOutcome =
  /** The store now records `familyStartedAt` (or an earlier start it already had). */
  | { kind: "moved" | "already-earlier"; familyStartedAt: string }
  /** The store holds no record, or one of another grant (not seeded from this token): left alone. */
  | { kind: "empty" | "other-family" }
  /** A run is using the token right now: left alone; the next `pulumi up` (or this call again) retries. */
  | { kind: "busy" };

const MAX_ROUNDS = 5;

/** Whether a run may still write this record's successor (a lease that holds, presentations in flight). */
function busy(record: RefreshTokenRecord, now: number): boolean {
  const leased = record.lease !== undefined && Date.parse(record.lease.until) > now;
  return leased || (record.presentedAt?.length ?? 0) > 0 || record.seeding !== undefined;
}

/**
 * Records `familyStartedAt` as the start of the stored family if it is earlier than what the store holds and the
 * stored token descends from the configured token `seededFrom`. Never moves a start later.
 */
export async function adoptFamilyStart(
  store: RefreshTokenStore,
  request: { seededFrom: string; familyStartedAt: string; now: () => Date },
): Promise<FamilyStartOutcome> {
  for (let round = 1; ; round++) {
    const stored = await store.read();
    if (!stored) return { kind: "empty" };
    if (stored.seededFrom !== request.seededFrom) return { kind: "other-family" };
    // Never ahead of this clock (a consent time from a fast clock would make the record look skewed).
    const earliest = earlierFamilyStart(stored.familyStartedAt, earlierFamilyStart(request.familyStartedAt, request.now().toISOString()));
    if (Date.parse(earliest) >= Date.parse(stored.familyStartedAt)) return { kind: "already-earlier", familyStartedAt: stored.familyStartedAt };
    if (busy(stored, request.now().getTime())) return { kind: "busy" };
    try {
      await store.compareAndSwap(stored.version, { ...pickRecord(stored), familyStartedAt: earliest });
      return { kind: "moved", familyStartedAt: earliest };
    } catch (error) {
      if (!(error instanceof TokenStoreConflictError) || round >= MAX_ROUNDS) throw error;
    }
  }
}
