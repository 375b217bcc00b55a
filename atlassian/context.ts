import { type AtlassianEndpoints, resolveEndpoints } from "./endpoints";
import type { RequestPipeline } from "./http/pipeline";

/** What every API-area module needs: the shared request pipeline and where the endpoints come from. */
export interface AtlassianContext {
  pipeline: RequestPipeline;
  /** Environment to read `JIRA_CONNECTOR_*` from; `process.env` at call time when omitted. */
  env?: Record<string, string | undefined>;
}

export function endpointsOf(context: AtlassianContext): AtlassianEndpoints {
  return resolveEndpoints(context.env ?? process.env);
}
