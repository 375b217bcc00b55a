import nodeFetch from "node-fetch";
import { endpointInEffect, isLoopbackHost } from "../endpoints";
import { AtlassianUnavailableError, ResponseTooLargeError, RunDeadlineError } from "../errors";
import { readBounded } from "./bounded-body";
import { type Logger, silentLogger } from "../logger";
import {
  type AttemptOutcome,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type HeaderReader,
  type RetryMode,
  type RetryPolicy,
} from "./backoff";
import { scrubSecrets } from "./redaction";

/**
 * The one request pipeline every Atlassian call goes through: per-attempt timeout, bounded retries with
 * Atlassian's backoff rules, and counters (requests, retries, 429s, time waited) that later reports print.
 * It returns the final response whatever its status; classifying statuses into typed errors is the caller's job,
 * because only the caller knows what a 401 or 403 means for its endpoint.
 */

export interface PipelineRequest {
  /** Stable name for logs, stats and errors, e.g. `GET /rest/api/3/users/search`. Never contains credentials. */
  operation: string;
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  /** JSON request body. */
  json?: unknown;
  /** Secret values in this request (tokens, client secret); scrubbed from anything surfaced to callers or logs. */
  secrets?: readonly string[];
  retry?: RetryMode;
  /** `manual` returns 3xx responses instead of following them (tenant_info must not follow redirects). */
  redirect?: "manual" | "follow";
  /**
   * The whole call (attempts, waits) must end within this many ms: no retry starts that could run past it, and the
   * last attempt's timeout is shortened. A refresh-token exchange must not outlive its lease.
   */
  budgetMs?: number;
}

export interface PipelineResponse {
  operation: string;
  status: number;
  headers: HeaderReader;
  text: string;
  /** Attempts made, including the first. */
  attempts: number;
}

export interface RequestStats {
  requests: number;
  retries: number;
  rateLimited: number;
  serverErrors: number;
  networkErrors: number;
  timeouts: number;
  waitedMs: number;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; redirect: "manual" | "follow"; signal: AbortSignal },
) => Promise<{ status: number; headers: HeaderReader; text(): Promise<string>; body?: AsyncIterable<Uint8Array | string> | null }>;

/** Default cap on one response body: the largest real Jira page (1000 users) is ~1 MB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

/** One HTTP response as it arrives, before any retry decision (for observers such as adaptive concurrency). */
export interface ResponseEvent {
  operation: string;
  status: number;
  headers: HeaderReader;
  /** When this attempt was sent (`now()`), so an observer can tell requests sent into a known limit from overlap. */
  startedAt?: number;
}

export interface PipelineOptions {
  fetch?: FetchLike;
  /** Called for every response received (including 429s and 5xx that will be retried). Must not throw. */
  onResponse?: (event: ResponseEvent) => void;
  /**
   * Asked before every attempt (first or retry), e.g. to wait out a rate-limit pause another request learned
   * meanwhile. A promise means "not yet": it is awaited and the hook asked again; the attempt is sent as soon as the
   * hook returns without one, in the same synchronous step, so nothing learned in between can be missed. A throw
   * (RateLimitedError when a gate stopped) ends the call without sending.
   */
  beforeAttempt?: (operation: string) => Promise<void> | void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Cap on one response body in bytes (Content-Length and the bytes streamed); default 20 MB. */
  maxResponseBytes?: number;
  /** Epoch ms (this pipeline's clock) after which no request starts; see `RequestPipeline.deadline`. */
  deadline?: number;
}

export function emptyStats(): RequestStats {
  return { requests: 0, retries: 0, rateLimited: 0, serverErrors: 0, networkErrors: 0, timeouts: 0, waitedMs: 0 };
}

export class RequestPipeline {
  readonly stats: RequestStats = emptyStats();
  readonly policy: RetryPolicy;
  readonly logger: Logger;
  private readonly fetchImpl: FetchLike;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  private readonly random: () => number;
  private readonly onResponse?: (event: ResponseEvent) => void;
  private readonly maxResponseBytes: number;
  /**
   * The run deadline (epoch ms, `now`'s clock): no attempt starts at or after it (RunDeadlineError) and an attempt
   * in flight is cut at it, so at the deadline nothing is outstanding. Mutable: the collector sets it only after the
   * credential step, so that a token exchange is never cut mid-way.
   */
  deadline: number | undefined;
  /** Whether a request was refused or cut by the deadline. */
  deadlineReached = false;
  private readonly beforeAttempt?: (operation: string) => Promise<void> | void;

  constructor(options: PipelineOptions = {}) {
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.deadline = options.deadline;
    this.onResponse = options.onResponse;
    this.beforeAttempt = options.beforeAttempt;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.logger = options.logger ?? silentLogger;
    this.fetchImpl = options.fetch ?? (nodeFetch as unknown as FetchLike);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** This clock minus the server's (`Date` header of the last response), in ms; `undefined` before any response. */
  serverClockOffsetMs: number | undefined;

  async send(request: PipelineRequest): Promise<PipelineResponse> {
    const mode = request.retry ?? "idempotent";
    const started = this.now();
    const deadline = this.deadline ?? Infinity;
    const budgetEnd = Math.min(request.budgetMs !== undefined ? started + request.budgetMs : Infinity, deadline);
    for (let retries = 0; ; retries++) {
      if (this.now() >= deadline) throw this.deadlineError(request.operation, deadline);
      // The gate's admission (a known 429 pause, pacing, a stopped run) for every attempt, retries included.
      for (let wait = this.beforeAttempt?.(request.operation); wait; wait = this.beforeAttempt!(request.operation)) await wait;
      // A pause can outlast the deadline: nothing starts after it.
      if (this.now() >= deadline) throw this.deadlineError(request.operation, deadline);
      const outcome = await this.attempt(request, Math.max(1, Math.min(this.policy.timeoutMs, budgetEnd - this.now())));
      let decision = decideRetry(
        outcome.kind === "response" ? { kind: "response", status: outcome.status, headers: outcome.headers } : outcome,
        retries,
        mode,
        this.policy,
        this.now(),
        this.random,
      );
      // A retry that could not finish inside the budget is not started.
      if (decision.retry && this.now() + decision.delayMs + 1 > budgetEnd) decision = { retry: false, reason: "retries-exhausted" };
      // Nothing listening on loopback (an emulator not started) or a name that does not resolve: one quick retry,
      // not ~30 s of backoff before the admin learns what is wrong.
      if (decision.retry && outcome.kind === "network-error" && hopeless(outcome.code, request.url)) {
        decision = retries >= 1 ? { retry: false, reason: "retries-exhausted" } : { ...decision, delayMs: Math.min(decision.delayMs, 250) };
      }
      if (decision.retry) {
        this.stats.retries++;
        this.stats.waitedMs += decision.delayMs;
        this.logger.warn("atlassian.request.retry", {
          operation: request.operation,
          reason: decision.reason,
          attempt: retries + 1,
          delayMs: decision.delayMs,
          rateLimitReason: outcome.kind === "response" ? outcome.headers.get("ratelimit-reason") : undefined,
        });
        await this.sleep(decision.delayMs);
        continue;
      }
      if (outcome.kind === "response") return { ...outcome, operation: request.operation, attempts: retries + 1 };
      // An attempt cut at the deadline is the deadline's doing, not Atlassian's.
      if (this.now() >= deadline) throw this.deadlineError(request.operation, deadline);
      const endpoint = endpointInEffect(request.url);
      const detail = outcome.kind === "timeout" ? `no answer within ${this.policy.timeoutMs} ms` : "network error";
      throw new AtlassianUnavailableError(request.operation, `${detail}, ${retries + 1} attempt(s)`, undefined, {
        host: endpoint.host,
        cause: outcome.kind === "timeout" ? "timeout" : outcome.code,
        ...(endpoint.variable ? { override: { variable: endpoint.variable, value: endpoint.value! } } : {}),
      });
    }
  }

  private deadlineError(operation: string, deadline: number): RunDeadlineError {
    this.deadlineReached = true;
    return new RunDeadlineError(operation, deadline);
  }

  private async attempt(
    request: PipelineRequest,
    timeoutMs: number,
  ): Promise<
    | { kind: "response"; status: number; headers: HeaderReader; text: string }
    | { kind: "network-error"; code: string }
    | { kind: "timeout" }
  > {
    this.stats.requests++;
    const startedAt = this.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const headers: Record<string, string> = { accept: "application/json", ...request.headers };
      let body: string | undefined;
      if (request.json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(request.json);
      }
      const response = await this.fetchImpl(request.url, {
        method: request.method,
        headers,
        body,
        redirect: request.redirect ?? "manual",
        signal: controller.signal,
      });
      const text = await readBounded(response, this.maxResponseBytes, request.operation, () => controller.abort());
      if (response.status === 429) this.stats.rateLimited++;
      if (response.status >= 500) this.stats.serverErrors++;
      const date = Date.parse(response.headers.get("date") ?? "");
      // The Date header has 1 s resolution: good enough for the minute-scale checks that use it.
      if (!Number.isNaN(date)) this.serverClockOffsetMs = this.now() - date;
      this.onResponse?.({ operation: request.operation, status: response.status, headers: response.headers, startedAt });
      return { kind: "response", status: response.status, headers: response.headers, text };
    } catch (error) {
      if (error instanceof ResponseTooLargeError) throw error;
      if (timedOut) {
        this.stats.timeouts++;
        return { kind: "timeout" };
      }
      this.stats.networkErrors++;
      // Only a symbolic code leaves this function: fetch errors can quote URLs and we never keep their objects.
      // Scrubbed once here, since it reaches both the log and the thrown error.
      const code = scrubSecrets(networkErrorCode(error), request.secrets ?? []);
      this.logger.debug("atlassian.request.network-error", { operation: request.operation, code });
      return { kind: "network-error", code };
    } finally {
      clearTimeout(timer);
    }
  }
}

function hopeless(code: string, url: string): boolean {
  if (code === "ENOTFOUND") return true;
  try {
    return code === "ECONNREFUSED" && isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

function networkErrorCode(error: unknown): string {
  const candidate = error as { code?: unknown; errno?: unknown; type?: unknown; name?: unknown };
  for (const value of [candidate?.code, candidate?.errno, candidate?.type, candidate?.name]) {
    if (typeof value === "string" && /^[A-Za-z0-9_-]{1,40}$/.test(value)) return value;
  }
  return "UNKNOWN";
}
