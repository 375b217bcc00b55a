import { RateLimitedError } from "../atlassian/errors";
import type { ResponseEvent } from "../atlassian/http/pipeline";
import {
  attemptAdmission,
  type ConcurrencyConfig,
  type ConcurrencyState,
  DEFAULT_CONCURRENCY,
  freeSlots,
  initialConcurrency,
  onRateLimited,
  onSuccess,
  slotAdmission,
  type StopInfo,
} from "./decisions/concurrency";
import { classifyAttempt, countAttempt, type KnownLimits, type LimitStats, NO_LIMITS, recordLimit } from "./decisions/known-limit";
import { type MirrorBucket, mirrorFromHeaders, takeToken } from "./decisions/pacing";

/**
 * The I/O shell around the adaptive-concurrency state machine (decisions/concurrency.ts). Two admissions:
 *
 * - a *slot*: `run(endpoint, …)` around a logical request (concurrent pages) waits until the endpoint's width allows
 *   one more in flight;
 * - an *attempt*: every HTTP attempt, first or retry, waits out a pause a 429 caused on its route and takes a token
 *   from the burst bucket that successful responses describe (decisions/pacing.ts). Wired into the request pipeline
 *   (`pipelineHooks()`), this covers every call of the client, inside `run` or not, so no request is sent into a
 *   limit already known. A retry inside a held slot never waits for a slot, so the two cannot deadlock.
 *
 * The pipeline reports every response to `observe`, which widens the endpoint on successes and halves and pauses it
 * on a 429. Once the state machine says stop (hourly quota, a wait too long, repeated 429s), every further slot or
 * attempt throws `RateLimitedError`, so the run ends partial instead of hammering Atlassian. Endpoints are the
 * pipeline's operation names (`GET /rest/api/3/group/member`).
 */
export class AdaptiveRequestGate {
  private state: ConcurrencyState = initialConcurrency();
  private readonly inFlight = new Map<string, number>();
  /** Callers waiting for a slot on an endpoint, first come first served; a freed slot is handed to the first. */
  private readonly waiters = new Map<string, WaitQueue>();
  /** Our estimate of each endpoint's burst bucket (decisions/pacing.ts), when its responses describe one. */
  private readonly mirrors = new Map<string, MirrorBucket>();
  /** 429s received per route, to judge when each attempt was sent (decisions/known-limit.ts). */
  private readonly limits = new Map<string, KnownLimits>();
  private limitCounts: LimitStats = { sentDuringKnownLimit: 0, inFlightAtRateLimit: 0 };
  private peakInFlight = 0;
  /** Set by `pipelineHooks()`: attempts are then admitted by the pipeline, and `run` only holds a slot. */
  private attemptsHooked = false;

  constructor(
    private readonly config: ConcurrencyConfig = DEFAULT_CONCURRENCY,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Why the gate stopped admitting requests, if it did. */
  get stopped(): StopInfo | null {
    return this.state.stopped;
  }

  /** The most requests that were ever in flight on one endpoint at once (reported in the manifest). */
  get peakConcurrency(): number {
    return this.peakInFlight;
  }

  /** Attempts sent during a known limit (must be 0) and the unavoidable overlap, judged from their send times. */
  get limitStats(): LimitStats {
    return { ...this.limitCounts };
  }

  /**
   * `PipelineOptions.beforeAttempt` and `onResponse` for the client whose calls this gate admits. From then on the
   * pipeline admits every attempt (pause, pacing), and `run` no longer takes a bucket token of its own.
   */
  pipelineHooks(): { beforeAttempt: (operation: string) => Promise<void> | void; onResponse: (event: ResponseEvent) => void } {
    this.attemptsHooked = true;
    return { beforeAttempt: this.beforeAttempt, onResponse: this.observe };
  }

  /**
   * May an attempt on `operation` be sent now (not paused by a known 429, a bucket token at hand)? Nothing when it
   * may — decided and taken synchronously, so the pipeline sends in the same step — else a wait, after which the
   * pipeline asks again. Throws RateLimitedError once stopped.
   */
  readonly beforeAttempt = (operation: string): Promise<void> | undefined => {
    const decision = attemptAdmission(this.state, operation, this.now(), this.config);
    if (decision.action === "stop") throw this.stopError(operation);
    if (decision.action === "wait") return this.sleep(Math.max(1, decision.untilMs - this.now()));
    const mirror = this.mirrors.get(operation);
    if (!mirror) return undefined;
    const paced = takeToken(mirror, this.now());
    this.mirrors.set(operation, paced.bucket);
    return paced.waitMs > 0 ? this.sleep(paced.waitMs) : undefined;
  };

  /** Feed for `PipelineOptions.onResponse`: every response of every attempt, retries included. */
  readonly observe = (event: ResponseEvent): void => {
    const now = this.now();
    const limits = this.limits.get(event.operation);
    if (limits && event.startedAt !== undefined) this.limitCounts = countAttempt(this.limitCounts, classifyAttempt(limits, event.startedAt, now));
    const wasStopped = this.state.stopped !== null;
    if (event.status === 429) {
      this.state = onRateLimited(this.state, event.operation, event.headers, now, this.config).state;
      const pausedUntil = this.state.endpoints[event.operation]?.pausedUntil ?? now;
      this.limits.set(event.operation, recordLimit(limits ?? NO_LIMITS, now, this.state.stopped ? Number.POSITIVE_INFINITY : pausedUntil));
    } else if (event.status < 500) {
      const othersInFlight = Math.max(0, (this.inFlight.get(event.operation) ?? 1) - 1);
      const mirror = mirrorFromHeaders(event.headers, othersInFlight, now);
      if (mirror) this.mirrors.set(event.operation, mirror);
      // Paced by the bucket's headers, the endpoint may grow wider than `max` (ConcurrencyConfig.maxPaced).
      this.state = onSuccess(this.state, event.operation, event.headers, this.config, mirror !== undefined);
    }
    // A stop fails every queued caller at once; otherwise a wider limit may free slots for exactly that many.
    if (this.state.stopped && !wasStopped) for (const endpoint of this.waiters.keys()) this.pump(endpoint);
    else this.pump(event.operation);
  };

  async run<T>(endpoint: string, request: () => Promise<T>): Promise<T> {
    await this.acquire(endpoint);
    try {
      // Without the pipeline hook, the slot's request is the attempt: admit it here.
      if (!this.attemptsHooked) await this.admitAttempt(endpoint);
      return await request();
    } finally {
      this.inFlight.set(endpoint, (this.inFlight.get(endpoint) ?? 1) - 1);
      this.pump(endpoint);
    }
  }

  private async admitAttempt(endpoint: string): Promise<void> {
    for (let wait = this.beforeAttempt(endpoint); wait; wait = this.beforeAttempt(endpoint)) await wait;
  }

  /** A slot on `endpoint`: at once when one is free and nobody queues before us, else when `pump` hands one over. */
  private acquire(endpoint: string): Promise<void> {
    const inFlight = this.inFlight.get(endpoint) ?? 0;
    const decision = slotAdmission(this.state, endpoint, inFlight, this.config);
    if (decision.action === "stop") return Promise.reject(this.stopError(endpoint));
    const queue = this.waiters.get(endpoint);
    if (decision.action === "start" && (queue === undefined || queue.size === 0)) {
      this.take(endpoint);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => this.queue(endpoint).push({ resolve, reject }));
  }

  private take(endpoint: string): void {
    const inFlight = (this.inFlight.get(endpoint) ?? 0) + 1;
    this.inFlight.set(endpoint, inFlight);
    this.peakInFlight = Math.max(this.peakInFlight, inFlight);
  }

  /**
   * Hands free slots to the first waiters, as many as are free (waking every waiter to re-check, as the gate once
   * did on every response, cost most of a 100k-user run's CPU and broke first-come order). Stopped: all fail.
   */
  private pump(endpoint: string): void {
    const queue = this.waiters.get(endpoint);
    if (!queue || queue.size === 0) return;
    if (this.state.stopped) {
      for (let waiter = queue.shift(); waiter; waiter = queue.shift()) waiter.reject(this.stopError(endpoint));
      return;
    }
    for (let free = freeSlots(this.state, endpoint, this.inFlight.get(endpoint) ?? 0, this.config); free > 0 && queue.size > 0; free--) {
      this.take(endpoint);
      queue.shift()!.resolve();
    }
  }

  private queue(endpoint: string): WaitQueue {
    let queue = this.waiters.get(endpoint);
    if (!queue) this.waiters.set(endpoint, (queue = new WaitQueue()));
    return queue;
  }

  private stopError(endpoint: string): RateLimitedError {
    const stop = this.state.stopped!;
    const retryAfterMs = stop.resumeAt === null ? undefined : Math.max(0, stop.resumeAt - this.now());
    return new RateLimitedError(endpoint, retryAfterMs, stop.rateLimitReason ?? stop.reason);
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A FIFO with O(1) shift (Array#shift moves every element: thousands of queued requests made it quadratic). */
class WaitQueue {
  private items: Waiter[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: Waiter): void {
    this.items.push(item);
  }

  shift(): Waiter | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
