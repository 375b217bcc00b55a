/** Fault injection: rules are matched in the order added; each firing consumes one of its `times`. */
export type HostName = "auth" | "api" | "site";

export type FaultAction =
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "malformed-json" }
  | { kind: "omit-refresh-token" }
  /**
   * The request is processed for real (a token exchange rotates), then only the first `bytes` bytes of the genuine
   * body are sent, as a complete response (Content-Length matches). `bytes` may be computed from the full body;
   * `seen` receives the full body, so a test knows what was withheld.
   */
  | { kind: "truncate-body"; bytes: number | ((fullBody: string) => number); seen?: (fullBody: string) => void }
  | { kind: "latency"; ms: number }
  | { kind: "reset" }
  /** The request is processed for real (a token exchange rotates), then the connection is reset: the answer is lost. */
  | { kind: "processed-reset" }
  | { kind: "rate-limit"; retryAfterSeconds?: number | null; reason?: string; resetAt?: number }
  /**
   * Hostile answers (bounds tests): the request is processed for real, then its JSON body is replaced by what
   * `rewrite` returns — a `total` of 10^9, a fresh cursor on every page, endless full pages.
   */
  | { kind: "rewrite-json"; rewrite: (body: any, url: URL) => unknown }
  /** Hostile answers: a 200 with this JSON instead of the real answer (endless pages, cursors that repeat). */
  | { kind: "json"; body: (url: URL) => unknown }
  /**
   * A 200 whose body is `bytes` bytes of JSON-looking filler, generated as the client reads (never held whole), with a
   * matching Content-Length when `declareLength`, chunked otherwise. Stops when the client goes away.
   */
  | { kind: "stream-body"; bytes: number; declareLength: boolean; sent?: (bytes: number) => void };

export interface FaultRule {
  match: { method?: string; host?: HostName; path?: string | RegExp };
  /** Default 1; `Infinity` keeps the rule forever. */
  times?: number;
  /** Let this many matching requests through first (a fault that starts mid-way through a listing). Default 0. */
  after?: number;
  action: FaultAction;
}

interface LiveRule {
  rule: FaultRule;
  left: number;
  skip: number;
}

export class Faults {
  private rules: LiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, left: rule.times ?? 1, skip: rule.after ?? 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * The action of the first matching rule, consumed. `omit-refresh-token` only makes sense on the token
   * endpoint, so it is skipped elsewhere rather than wasted.
   */
  take(method: string, host: HostName, path: string): FaultAction | undefined {
    const index = this.rules.findIndex(({ rule }) => {
      const m = rule.match;
      if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
      if (m.host && m.host !== host) return false;
      if (m.path !== undefined && !(typeof m.path === "string" ? m.path === path : m.path.test(path))) return false;
      return !(rule.action.kind === "omit-refresh-token" && !(host === "auth" && path === "/oauth/token"));
    });
    if (index < 0) return undefined;
    const live = this.rules[index];
    if (live.skip > 0) {
      live.skip -= 1;
      return undefined;
    }
    live.left -= 1;
    if (live.left <= 0) this.rules.splice(index, 1);
    return live.rule.action;
  }
}
