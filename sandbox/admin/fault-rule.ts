/** A fault rule from the JSON body of `POST /_sandbox/faults`; every problem is named so a caller can fix it. */
import type { FaultAction, FaultRule } from "../emulator/faults";

export class BadRequest extends Error {}

const HOSTS = new Set(["auth", "api", "site"]);
const SIMPLE = new Set(["hang", "malformed-json", "omit-refresh-token", "reset", "processed-reset"]);

function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) throw new BadRequest(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new BadRequest(`${name} must be a string`);
  return value;
}

function action(raw: unknown): FaultAction {
  if (typeof raw !== "object" || raw === null) throw new BadRequest('action must be an object such as {"kind":"status","status":503}');
  const a = raw as Record<string, unknown>;
  const kind = a.kind;
  if (typeof kind === "string" && SIMPLE.has(kind)) return { kind } as FaultAction;
  switch (kind) {
    case "status": {
      const headers = a.headers;
      if (headers !== undefined && (typeof headers !== "object" || headers === null || Object.values(headers).some((v) => typeof v !== "string"))) {
        throw new BadRequest("action.headers must map header names to strings");
      }
      const body = optionalString(a.body, "action.body");
      return { kind, status: integer(a.status, "action.status", 100, 599), ...(body !== undefined ? { body } : {}), ...(headers ? { headers: headers as Record<string, string> } : {}) };
    }
    case "latency":
      return { kind, ms: integer(a.ms, "action.ms", 0, 600_000) };
    case "truncate-body":
      return { kind, bytes: integer(a.bytes, "action.bytes", 0, 1 << 30) };
    case "rate-limit": {
      const reason = optionalString(a.reason, "action.reason");
      const retry = a.retryAfterSeconds === null ? null : a.retryAfterSeconds === undefined ? undefined : integer(a.retryAfterSeconds, "action.retryAfterSeconds", 0, 86_400);
      return { kind, ...(retry !== undefined ? { retryAfterSeconds: retry } : {}), ...(reason ? { reason } : {}) };
    }
    default:
      throw new BadRequest(`action.kind must be one of status, rate-limit, latency, truncate-body, ${[...SIMPLE].join(", ")}`);
  }
}

/** `{ match: { method?, host?, path? | pathPattern? }, action, times? (number or "always"), after? }`. */
export function faultRuleFrom(body: unknown): FaultRule {
  if (typeof body !== "object" || body === null) throw new BadRequest("the body must be a JSON object");
  const b = body as Record<string, unknown>;
  const m = (b.match ?? {}) as Record<string, unknown>;
  if (typeof m !== "object" || m === null) throw new BadRequest("match must be an object");
  const method = optionalString(m.method, "match.method");
  const host = optionalString(m.host, "match.host");
  if (host !== undefined && !HOSTS.has(host)) throw new BadRequest("match.host must be auth, api or site");
  const path = optionalString(m.path, "match.path");
  const pattern = optionalString(m.pathPattern, "match.pathPattern");
  if (path !== undefined && pattern !== undefined) throw new BadRequest("give match.path (exact) or match.pathPattern (a regular expression), not both");
  let regex: RegExp | undefined;
  try {
    regex = pattern === undefined ? undefined : new RegExp(pattern);
  } catch {
    throw new BadRequest("match.pathPattern is not a valid regular expression");
  }
  const times = b.times === "always" ? Infinity : b.times === undefined ? 1 : integer(b.times, "times", 1, 1_000_000);
  const after = b.after === undefined ? 0 : integer(b.after, "after", 0, 1_000_000);
  return {
    match: { ...(method ? { method } : {}), ...(host ? { host: host as "auth" | "api" | "site" } : {}), ...(path !== undefined ? { path } : regex ? { path: regex } : {}) },
    times,
    after,
    action: action(b.action),
  };
}
