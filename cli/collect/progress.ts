/**
 * Progress of a collection, as a pure reducer over observed events (each Atlassian request, each snapshot file
 * written) and two renderers: one status line redrawn in place on a terminal, plain lines (one per new phase)
 * otherwise. The collector is observed from outside — its fetch and its sink are wrapped — so it needs no hooks.
 */

export type Phase = "token" | "subscriptions" | "group members" | "activity" | "users" | "writing";

export interface ProgressState {
  phase?: Phase;
  requests: number;
  byPhase: Partial<Record<Phase, number>>;
  files: string[];
}

export type ProgressEvent = { kind: "request"; url: string } | { kind: "file"; key: string };

export const initialProgress = (): ProgressState => ({ requests: 0, byPhase: {}, files: [] });

/** Which phase of a run a request belongs to, from its URL path. */
export function phaseOf(url: string): Phase {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  if (/\/oauth\/token/.test(path)) return "token";
  if (/\/(applicationrole|instance\/license|license\/approximate)/.test(path)) return "subscriptions";
  if (/\/group\/member/.test(path)) return "group members";
  if (/\/users(\/search)?$/.test(path)) return "users";
  if (/\/auditing\/record$|\/search(\/jql)?$/.test(path)) return "activity";
  return "subscriptions";
}

export function reduceProgress(state: ProgressState, event: ProgressEvent): ProgressState {
  if (event.kind === "file") {
    const name = event.key.split("/").pop() ?? event.key;
    return { ...state, phase: "writing", files: [...state.files, name] };
  }
  const phase = phaseOf(event.url);
  return { ...state, phase, requests: state.requests + 1, byPhase: { ...state.byPhase, [phase]: (state.byPhase[phase] ?? 0) + 1 } };
}

/** The one-line status for a terminal. */
export function progressLine(state: ProgressState, spinnerFrame: number): string {
  const spinner = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"[spinnerFrame % 10];
  const phases = (Object.entries(state.byPhase) as [Phase, number][]).map(([p, n]) => `${p} ${n}`).join(" · ");
  const written = state.files.length > 0 ? ` · wrote ${state.files.length} file${state.files.length === 1 ? "" : "s"}` : "";
  return `${spinner} ${state.phase ?? "starting"}… ${state.requests} request${state.requests === 1 ? "" : "s"}${phases ? ` (${phases})` : ""}${written}`;
}

/**
 * The plain line to print when an event is worth one — the first request of a phase, or a file written — else
 * undefined. Phases overlap (the collector fetches concurrently), so each is announced once, not at every switch.
 */
export function plainLine(before: ProgressState, after: ProgressState): string | undefined {
  if (after.files.length > before.files.length) return `wrote ${after.files[after.files.length - 1]}`;
  const started = (Object.keys(after.byPhase) as Phase[]).find((p) => before.byPhase[p] === undefined);
  return started ? `${started}…` : undefined;
}
