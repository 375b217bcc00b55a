import { RateLimitedError } from "../atlassian/errors";
import type { ResponseEvent } from "../atlassian/http/pipeline";
import {
  admission,
  type ConcurrencyConfig,
  type ConcurrencyState,
  DEFAULT_CONCURRENCY,
  initialConcurrency,
  onRateLimited,
  onSuccess,
  type StopInfo,
} from "./decisions/concurrency";
import { type MirrorBucket, mirrorFromHeaders, takeToken } from "./decisions/pacing";

/**
 * The I/O shell around the adaptive-concurrency state machine (decisions/concurrency.ts): callers run each request
 * through `run(endpoint, …)`, which waits for a slot on that endpoint; the request pipeline reports every response
 * to `observe`, which widens the endpoint on successes and halves and pauses it on a 429, and paces requests by the
 * burst bucket that successful responses describe (decisions/pacing.ts), to avoid the 429s. Once the state machine
 * says stop (hourly quota, a wait too long, repeated 429s), every further `run` throws `RateLimitedError`, so the
 * run ends partial instead of hammering Atlassian. Endpoints are the pipeline's operation names
 * (`GET /rest/api/3/group/member`).
 */
export class AdaptiveRequestGate {
  private state: ConcurrencyState = initialConcurrency();
  private readonly inFlight = new Map<string, number>();
  /** Callers waiting for a slot to free on an endpoint, first come first served. */
  private readonly waiters = new Map<string, WaitQueue>();
  /** Our estimate of each endpoint's burst bucket (decisions/pacing.ts), when its responses describe one. */
  private readonly mirrors = new Map<string, MirrorBucket>();
  private peakInFlight = 0;

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

  /** Feed for `PipelineOptions.onResponse`: every response of every attempt, retries included. */
  readonly observe = (event: ResponseEvent): void => {
    if (event.status === 429) {
      this.state = onRateLimited(this.state, event.operation, event.headers, this.now(), this.config).state;
    } else if (event.status < 500) {
      this.state = onSuccess(this.state, event.operation, event.headers, this.config);
      const othersInFlight = Math.max(0, (this.inFlight.get(event.operation) ?? 1) - 1);
      const mirror = mirrorFromHeaders(event.headers, othersInFlight, this.now());
      if (mirror) this.mirrors.set(event.operation, mirror);
    }
    // A wider limit may let waiters start: at most `max` can be admitted at once, so waking more only makes them queue
    // again (waking all of them on every response was quadratic: 7,400 queued org requests spent most of a run here).
    // A stopped gate wakes every waiter, each to throw.
    this.wake(event.operation, this.state.stopped ? Number.POSITIVE_INFINITY : this.config.max);
  };

  async run<T>(endpoint: string, request: () => Promise<T>): Promise<T> {
    for (;;) {
      const inFlight = this.inFlight.get(endpoint) ?? 0;
      const decision = admission(this.state, endpoint, inFlight, this.now(), this.config);
      if (decision.action === "stop") throw this.stopError(endpoint);
      if (decision.action === "wait") {
        await this.sleep(Math.max(1, decision.untilMs - this.now()));
        continue;
      }
      if (decision.action === "full") {
        await new Promise<void>((resolve) => this.queue(endpoint).push(resolve));
        continue;
      }
      const mirror = this.mirrors.get(endpoint);
      if (mirror) {
        const paced = takeToken(mirror, this.now());
        this.mirrors.set(endpoint, paced.bucket);
        if (paced.waitMs > 0) {
          await this.sleep(paced.waitMs);
          continue;
        }
      }
      this.inFlight.set(endpoint, inFlight + 1);
      this.peakInFlight = Math.max(this.peakInFlight, inFlight + 1);
      try {
        return await request();
      } finally {
        this.inFlight.set(endpoint, (this.inFlight.get(endpoint) ?? 1) - 1);
        this.wake(endpoint, 1);
      }
    }
  }

  private queue(endpoint: string): WaitQueue {
    let queue = this.waiters.get(endpoint);
    if (!queue) this.waiters.set(endpoint, (queue = new WaitQueue()));
    return queue;
  }

  /** Lets up to `count` waiters re-check admission (they queue again if there is still no slot). */
  private wake(endpoint: string, count: number): void {
    const queue = this.waiters.get(endpoint);
    for (let i = 0; queue && queue.size > 0 && i < count; i++) queue.shift()!();
  }

  private stopError(endpoint: string): RateLimitedError {
    const stop = this.state.stopped!;
    const retryAfterMs = stop.resumeAt === null ? undefined : Math.max(0, stop.resumeAt - this.now());
    return new RateLimitedError(endpoint, retryAfterMs, stop.rateLimitReason ?? stop.reason);
  }
}

/** A FIFO with O(1) shift (Array#shift moves every element: thousands of queued requests made it quadratic). */
class WaitQueue {
  private items: (() => void)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: () => void): void {
    this.items.push(item);
  }

  shift(): (() => void) | undefined {
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
