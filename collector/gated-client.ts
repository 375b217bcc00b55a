import { AtlassianClient, type AtlassianClientOptions } from "../atlassian/client";
import type { LimitStats } from "./decisions/known-limit";
import type { AdaptiveRequestGate } from "./request-gate";

/**
 * The collector's Atlassian client: every attempt of every call (first or retry, concurrent page or single read)
 * passes `gate` first, and every response teaches it. Hooks the caller passed in `options` still run.
 */
export function gatedAtlassianClient(gate: AdaptiveRequestGate, options: AtlassianClientOptions): AtlassianClient {
  const { beforeAttempt: before, onResponse: observe } = options;
  const hooks = gate.pipelineHooks();
  return new AtlassianClient({
    ...options,
    // The caller's hook first, then the gate's; the pipeline asks again after each wait (PipelineOptions.beforeAttempt).
    beforeAttempt: (operation) => before?.(operation) ?? hooks.beforeAttempt(operation),
    onResponse: (event) => {
      hooks.onResponse(event);
      observe?.(event);
    },
  });
}

/** The pipeline's counters with the gate's: attempts sent into a known 429 (must be 0) and the in-flight overlap. */
export function requestStats(atlassian: AtlassianClient, gate: AdaptiveRequestGate): AtlassianClient["stats"] & LimitStats {
  return { ...atlassian.stats, ...gate.limitStats };
}
