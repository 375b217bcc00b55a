/**
 * Controllable clock. By default it follows real time plus an offset, so tests can jump 10 min / 90 d / 365 d
 * without waiting; `freeze()` pins it for exact boundary checks.
 */
export interface EmulatorClock {
  now(): number;
  advance(ms: number): void;
  set(t: number | Date): void;
  freeze(): void;
  unfreeze(): void;
}

export class Clock implements EmulatorClock {
  private offset: number;
  private frozenAt: number | undefined;
  /** Sum of all forward jumps; burst buckets add it to real monotonic time so a frozen clock cannot starve them. */
  private forward = 0;

  constructor(start?: number | Date) {
    this.offset = start === undefined ? 0 : toMs(start) - Date.now();
  }

  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }

  advance(ms: number): void {
    if (ms > 0) this.forward += ms;
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offset += ms;
  }

  set(t: number | Date): void {
    this.advance(toMs(t) - this.now());
  }

  freeze(): void {
    this.frozenAt = this.now();
  }

  unfreeze(): void {
    if (this.frozenAt === undefined) return;
    this.offset = this.frozenAt - Date.now();
    this.frozenAt = undefined;
  }

  /** Monotonic milliseconds for token buckets: real elapsed time plus every forward jump of the clock. */
  monotonic(): number {
    return performance.now() + this.forward;
  }
}

function toMs(t: number | Date): number {
  return typeof t === "number" ? t : t.getTime();
}

/** Jira's timestamp format `yyyy-MM-dd'T'HH:mm:ss.SSS+0000` (offset without a colon). */
export function jiraDate(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
