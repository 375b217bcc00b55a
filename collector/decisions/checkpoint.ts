/**
 * Whether a run may resume from a checkpoint: a collection stopped by the hourly points quota left what it had
 * completely read, and the next run reuses it only when it describes the same site, read the same way, recently.
 */
import { DAY_MS } from "./time";

const HOUR_MS = DAY_MS / 24;

/** Data older than this is read again: a day-old member listing would make the report a mix of two days. */
export const DEFAULT_CHECKPOINT_MAX_AGE_MS = 24 * HOUR_MS;

/** How the bulk reads were authenticated: reads made one way are not mixed with reads made another. */
export type CheckpointAuth = "oauth" | "oauth+license" | "scoped-api-token";

export interface CheckpointFacts {
  cloudId: string;
  auth: CheckpointAuth;
  /** When the chain's first run started: its data is the oldest in the checkpoint. */
  firstRunAt: string;
  /** When the checkpoint's snapshot was collected. */
  collectedAt: string;
}

export interface ResumeContext {
  cloudId: string;
  auth: CheckpointAuth;
  now: Date;
  /** The newest complete snapshot's collectedAt: a checkpoint not newer than it was already used (or superseded). */
  latestCompleteAt?: Date;
  maxAgeMs?: number;
}

/** `use`, or why not; `quiet` when there is nothing worth telling (the checkpoint was already completed). */
export type ResumeDecision = { use: true } | { use: false; reason: string; quiet: boolean };

export function decideResume(checkpoint: CheckpointFacts, context: ResumeContext): ResumeDecision {
  const collectedAt = Date.parse(checkpoint.collectedAt);
  const firstRunAt = Date.parse(checkpoint.firstRunAt);
  if (!Number.isFinite(collectedAt) || !Number.isFinite(firstRunAt)) {
    return { use: false, reason: "checkpoint ignored: its dates are unreadable; starting over", quiet: false };
  }
  if (context.latestCompleteAt !== undefined && collectedAt <= context.latestCompleteAt.getTime()) {
    return { use: false, reason: "checkpoint already superseded by a complete snapshot", quiet: true };
  }
  if (checkpoint.cloudId !== context.cloudId) {
    return { use: false, reason: `checkpoint ignored: it was read from cloud ID ${checkpoint.cloudId}, this connector reads ${context.cloudId}; starting over`, quiet: false };
  }
  if (checkpoint.auth !== context.auth) {
    return { use: false, reason: `checkpoint ignored: it was read with ${checkpoint.auth}, this run uses ${context.auth}; starting over`, quiet: false };
  }
  const maxAgeMs = context.maxAgeMs ?? DEFAULT_CHECKPOINT_MAX_AGE_MS;
  const ageMs = context.now.getTime() - firstRunAt;
  if (ageMs > maxAgeMs) {
    const hours = (ageMs / HOUR_MS).toFixed(1);
    return { use: false, reason: `checkpoint ignored: its first run started ${hours} h ago (more than ${maxAgeMs / HOUR_MS} h); starting over`, quiet: false };
  }
  if (ageMs < 0) return { use: false, reason: "checkpoint ignored: it is dated in the future; starting over", quiet: false };
  return { use: true };
}
