import { AtlassianUnavailableError, RateLimitedError } from "../errors";
import { serverRequestedWait } from "./backoff";
import type { PipelineResponse } from "./pipeline";

/** Turns the failures every endpoint shares (429 after retries, 5xx after retries) into typed errors. */
export function classifyCommonFailures(response: PipelineResponse, now: number = Date.now()): void {
  if (response.status === 429) {
    throw new RateLimitedError(
      response.operation,
      serverRequestedWait(response.headers, now),
      response.headers.get("ratelimit-reason") ?? undefined,
    );
  }
  if (response.status >= 500) {
    throw new AtlassianUnavailableError(
      response.operation,
      `HTTP ${response.status}, ${response.attempts} attempt(s)`,
      response.status,
    );
  }
}
