/**
 * Which lease holders have a claim running in this process. A holder may re-enter its own lease only when the
 * claim was abandoned (a Lambda retry of a crashed invocation reuses the request ID); one still running here must
 * not be re-entered, or two presentations of one token would overlap.
 *
 * Kept on `globalThis` under a registered symbol, not at module level: Pulumi's closure serializer captures module
 * state into the provider, and this must stay per process.
 */
export interface RunningClaims {
  has(holder: string): boolean;
  enter(holder: string): void;
  leave(holder: string): void;
}

export function runningClaims(): RunningClaims {
  const key = Symbol.for("jira-connectors/running-claims");
  const global = globalThis as unknown as Record<symbol, Map<string, number> | undefined>;
  const counts = (global[key] ??= new Map<string, number>());
  return {
    has: (holder) => (counts.get(holder) ?? 0) > 0,
    enter: (holder) => void counts.set(holder, (counts.get(holder) ?? 0) + 1),
    leave: (holder) => {
      const left = (counts.get(holder) ?? 1) - 1;
      if (left <= 0) counts.delete(holder);
      else counts.set(holder, left);
    },
  };
}
