/**
 * "Unrecoverable by design": a grant lost although the protocol did nothing wrong, because every writer that ran
 * inside the lost token's leeway was stopped by something no protocol can get past:
 * - it crashed (the process died; after a crash on the last Lambda retry nothing runs again before the next slot);
 * - the store was down until (nearly) the deadline, so nothing could be stored or claimed in time;
 * - every answer to its exchanges was lost, or came without a new refresh token (it never learnt a successor);
 * - it refused because its clock is more than 60 s off the server's (the rule: such a writer claims nothing);
 * - it waited for another run's lease (single flight) and gave up: that run's own outcome is what is judged.
 * A run that had finished rotating before the token was at risk is no recovery opportunity and is skipped.
 * Any writer in the window that failed otherwise (gave up on a store outage that ended in time, reported an
 * at-risk token as success, failed for any other reason) makes the loss a protocol violation.
 */
import type { PathKind } from "./paths";
import { LEEWAY_MS, MINUTE, type CrashPoint, type World } from "./writer";

export interface Attempt {
  run: number;
  start: number;
  end: number;
  kind: PathKind;
  holder: string;
  result: string;
  crashed?: CrashPoint;
  /** Exchanges sent / answers received (with or without a new refresh token). */
  exchanges: number;
  answers: number;
  /** When the store outage in force at the attempt's end ended (0: none). */
  outageUntil: number;
}

export function unrecoverableReason(world: World, attempts: Attempt[], lostToken: string | undefined): string | undefined {
  const retired = lostToken ? world.retiredAt.get(lostToken) : undefined;
  if (retired === undefined) return undefined;
  const deadline = retired + LEEWAY_MS;
  const window = attempts.filter((a) => a.end >= retired && a.start < deadline);
  const reasons: string[] = [];
  for (const a of window) {
    // A run that started before the token was rotated out and stored a successor normally (e.g. the winner of a
    // concurrent pair, whose successor the other run then exchanged) never saw this token at risk.
    if (/^rotated/.test(a.result) && a.start <= retired) continue;
    const label = `#${a.run} ${a.kind}[${a.holder}]`;
    // Single flight: a run that waited for another run's lease deferred to that run, whose outcome is judged.
    if (/lease-held|LeaseHeld/.test(a.result)) {
      reasons.push(`${label} deferred to a live lease`);
      continue;
    }
    if (a.crashed) reasons.push(`${label} crashed (${a.crashed}) at +${((a.end - retired) / MINUTE).toFixed(1)} min`);
    else if (a.outageUntil >= deadline - MINUTE && /Unavailable|NotSaved|not-saved|store-read|store-write|Reauthorization/.test(a.result)) {
      // Reauthorization: the store returned too late, and the last-resort presentation after the deadline was refused.
      reasons.push(`${label}: store down until ${((a.outageUntil - retired) / MINUTE).toFixed(1)} min after the rotation (${a.result})`);
    } else if (a.exchanges > 0 && a.answers === 0 && !/at-risk|rotated|Reauthorization/.test(a.result)) reasons.push(`${label}: every answer lost (${a.result})`);
    else if (a.result === "at-risk") reasons.push(`${label}: every answer came without a new refresh token`);
    else if (/clock-skew|ClockSkew/.test(a.result)) reasons.push(`${label}: refused, its clock is more than 60 s off the server's (the required rule)`);
    else return undefined;
  }
  if (window.length === 0) return undefined;
  return `rotated out at ${new Date(retired).toISOString().slice(5, 19)}, deadline +10 min: ${reasons.join("; ")}; no other run inside the leeway`;
}
