/**
 * Progress of a fleet scan (`query`, `fleet-report`): which stage runs — counting the snapshot folders, creating the
 * views, each report query — with a count or DuckDB's own percentage when it has one, and the time so far.
 *
 * Pure pieces (the line's format and the throttle) are separate from the writer so tests need no clock or
 * terminal. Throttled because a scan of thousands of snapshot folders reports each one; a terminal redraw per
 * folder costs more than the read. Progress goes to stderr only: stdout carries the table or the JSON document.
 */

export interface FleetProgressEvent {
  /** e.g. "counting snapshots", "creating views", "query 2/4: people on several sites". */
  stage: string;
  /** Items done so far in this stage, and of how many when known. */
  done?: number;
  total?: number;
  unit?: string;
  /** DuckDB's query progress, 0–100, when it reports one. */
  percent?: number;
}

export type FleetProgress = (event: FleetProgressEvent) => void;

/** One status line: `fleet: counting snapshots — 120 snapshot folders (1.2 s)`. */
export function formatFleetProgress(event: FleetProgressEvent, elapsedMs: number): string {
  const parts: string[] = [];
  if (event.done !== undefined) parts.push(`${event.done}${event.total !== undefined ? `/${event.total}` : ""}${event.unit ? ` ${event.unit}` : ""}`);
  if (event.percent !== undefined && event.percent >= 0) parts.push(`${Math.min(100, Math.floor(event.percent))}%`);
  return `fleet: ${event.stage}${parts.length ? ` — ${parts.join(", ")}` : ""} (${(elapsedMs / 1000).toFixed(1)} s)`;
}

/**
 * Whether to draw now: always on a new stage (each stage is worth one line), otherwise at most once per
 * `intervalMs`. Returns the new state; `draw` says whether to write.
 */
export function throttle(state: { lastAt: number; lastStage: string } | undefined, stage: string, now: number, intervalMs: number): { draw: boolean; state: { lastAt: number; lastStage: string } } {
  if (state === undefined || state.lastStage !== stage || now - state.lastAt >= intervalMs) return { draw: true, state: { lastAt: now, lastStage: stage } };
  return { draw: false, state };
}

export interface ProgressSink {
  /** Redraws the status line in place (a terminal). */
  redraw(line: string): void;
  /** Writes a whole line (a pipe or file, with --progress). */
  line(text: string): void;
}

/**
 * A reporter over `sink`: redrawn in place on a terminal, one line per drawn update otherwise (a log keeps every
 * stage). `done()` clears the terminal line so the output that follows starts clean.
 */
export function fleetProgressReporter(sink: ProgressSink, options: { tty: boolean; intervalMs?: number; now?: () => number }): { report: FleetProgress; done: () => void } {
  const now = options.now ?? Date.now;
  const started = now();
  const intervalMs = options.intervalMs ?? (options.tty ? 100 : 1000);
  let state: { lastAt: number; lastStage: string } | undefined;
  let drawn = false;
  return {
    report: (event) => {
      const at = now();
      const next = throttle(state, event.stage, at, intervalMs);
      state = next.state;
      if (!next.draw) return;
      const text = formatFleetProgress(event, at - started);
      if (options.tty) {
        sink.redraw(text);
        drawn = true;
      } else sink.line(text);
    },
    done: () => {
      if (drawn) sink.redraw("");
    },
  };
}
