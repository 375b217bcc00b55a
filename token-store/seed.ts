/**
 * Seeding: putting a newly configured refresh token (from an admin's consent) into service. The configured token is
 * presented under the same lease as any rotation (`rotateUnderLease` with `configured`), so a seed proves the store
 * writable and records the presentation before the token leaves this machine.
 */
import { createHash, randomUUID } from "node:crypto";
import type { RefreshTokenRecord } from "./types";

/** Identifies which configured token seeded the store (one-way), so a consumed token is never presented again. */
export function seedFingerprint(refreshToken: string): string {
  return createHash("sha256").update(`jira-connector/seed\u0000${refreshToken}`).digest("hex").slice(0, 32);
}

/** A lease holder unique to this run, e.g. `cli-check-…`; only a retry of the same run may reuse it. */
export function newHolderId(kind: string): string {
  return `${kind}-${randomUUID()}`;
}

const FAMILY_LIFETIME_MS = 365 * 24 * 3600 * 1000;

export type SeedDecision =
  | { kind: "seed" }
  | { kind: "use-stored" }
  | { kind: "refuse"; reason: string };

/**
 * Pure: may a configured token replace what the store holds? The store's own token is kept when it came from the
 * same configured token (already consumed); a live token of another grant is replaced only when `force` says so.
 */
export function decideSeed(stored: RefreshTokenRecord | undefined, seededFrom: string, now: number, force: boolean): SeedDecision {
  if (!stored) return { kind: "seed" };
  if (stored.seededFrom === seededFrom) return { kind: "use-stored" };
  const expired = Date.parse(stored.familyStartedAt) + FAMILY_LIFETIME_MS <= now;
  if (force || stored.rejectedAt !== undefined || expired) return { kind: "seed" };
  return {
    kind: "refuse",
    reason:
      `it holds the live refresh token of another grant (family started ${stored.familyStartedAt}, last rotated ` +
      `${stored.rotatedAt}); replacing it would disconnect that grant`,
  };
}
