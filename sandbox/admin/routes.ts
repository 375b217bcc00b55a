/**
 * The sandbox's admin controls over HTTP, for testing a pipeline against the emulator from any language:
 * the clock, fault injection, revocation, the consent decision and the request log. Served by the emulator's own
 * loopback server under /_sandbox/. Requests carrying another page's Origin, or a POST body that is not JSON, are
 * refused: a web page open in a browser must not drive the sandbox (cross-origin JSON needs a preflight we never grant).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AtlassianEmulator, MountedHandler } from "../emulator/types";
import { BadRequest, faultRuleFrom } from "./fault-rule";

export const SANDBOX_PREFIX = "/_sandbox";

/** What `GET /_sandbox` lists: the controls' documentation in one place. */
export const ADMIN_ENDPOINTS: readonly string[] = [
  "GET    /_sandbox/clock                       → { now }",
  'POST   /_sandbox/clock     {"advanceMs": 86400000} | {"set": "2027-01-01T00:00:00Z"} (+ "freeze": true|false)',
  'POST   /_sandbox/faults    {"match": {"method","host": "auth|api|site","path" | "pathPattern"}, "action": {"kind": "status","status": 503}, "times": 1 | "always", "after": 0}',
  "DELETE /_sandbox/faults                      → removes every fault",
  'POST   /_sandbox/revoke    {"refreshToken": "…"} | {"apiToken": "…"}',
  'POST   /_sandbox/consent   {"decision": "allow" | "deny"}',
  "GET    /_sandbox/requests?since=<n>          → { requests, next } (secret-free log of Atlassian calls)",
  "DELETE /_sandbox/requests                    → empties the log",
];

type Reply = { status: number; body: unknown };

const isLoopback = (address: string | undefined) => address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";

export function adminRoutes(emulator: AtlassianEmulator): MountedHandler {
  return async (req, res) => {
    const reply = await answer(emulator, req).catch((error: unknown): Reply => {
      if (error instanceof BadRequest) return { status: 400, body: { error: error.message } };
      return { status: 500, body: { error: `sandbox error: ${(error as Error).message}` } };
    });
    send(res, reply);
  };
}

async function answer(emulator: AtlassianEmulator, req: IncomingMessage): Promise<Reply> {
  if (!isLoopback(req.socket.remoteAddress)) return { status: 403, body: { error: "the sandbox's controls answer loopback clients only" } };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== emulator.url) return { status: 403, body: { error: "requests from web pages are refused" } };
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", emulator.url);
  const route = url.pathname.slice(SANDBOX_PREFIX.length).replace(/\/$/, "") || "/";
  const body = method === "POST" ? await jsonBody(req) : undefined;
  const key = `${method} ${route}`;
  switch (key) {
    case "GET /":
      return { status: 200, body: { env: emulator.env, now: iso(emulator.clock.now()), endpoints: ADMIN_ENDPOINTS } };
    case "GET /clock":
      return { status: 200, body: { now: iso(emulator.clock.now()) } };
    case "POST /clock":
      return clock(emulator, body as Record<string, unknown>);
    case "POST /faults":
      emulator.faults.add(faultRuleFrom(body));
      return { status: 201, body: { ok: true } };
    case "DELETE /faults":
      emulator.faults.clear();
      return { status: 200, body: { ok: true } };
    case "POST /revoke":
      return revoke(emulator, body as Record<string, unknown>);
    case "POST /consent": {
      const decision = (body as Record<string, unknown>).decision;
      if (decision !== "allow" && decision !== "deny") throw new BadRequest('decision must be "allow" or "deny"');
      emulator.setConsent({ decision });
      return { status: 200, body: { ok: true, decision } };
    }
    case "GET /requests": {
      const since = Number(url.searchParams.get("since") ?? "0");
      if (!Number.isInteger(since) || since < 0) throw new BadRequest("since must be a whole number (the `next` of an earlier answer)");
      return { status: 200, body: { requests: emulator.requests.slice(since), next: emulator.requests.length } };
    }
    case "DELETE /requests":
      emulator.clearRequests();
      return { status: 200, body: { ok: true } };
    default:
      return { status: 404, body: { error: `no such control: ${method} ${SANDBOX_PREFIX}${route === "/" ? "" : route}`, endpoints: ADMIN_ENDPOINTS } };
  }
}

function clock(emulator: AtlassianEmulator, body: Record<string, unknown>): Reply {
  const { advanceMs, set, freeze } = body;
  if ((advanceMs === undefined) === (set === undefined) && freeze === undefined) throw new BadRequest('give "advanceMs" (milliseconds) or "set" (an ISO date or epoch ms), and optionally "freeze"');
  if (advanceMs !== undefined && set !== undefined) throw new BadRequest('give "advanceMs" or "set", not both');
  if (advanceMs !== undefined) {
    if (typeof advanceMs !== "number" || !Number.isFinite(advanceMs)) throw new BadRequest("advanceMs must be a number of milliseconds");
    emulator.clock.advance(advanceMs);
  }
  if (set !== undefined) {
    const t = typeof set === "number" ? set : typeof set === "string" ? Date.parse(set) : NaN;
    if (!Number.isFinite(t)) throw new BadRequest("set must be an ISO date (2027-01-01T00:00:00Z) or epoch milliseconds");
    emulator.clock.set(t);
  }
  if (freeze === true) emulator.clock.freeze();
  else if (freeze === false) emulator.clock.unfreeze();
  else if (freeze !== undefined) throw new BadRequest("freeze must be true or false");
  return { status: 200, body: { now: iso(emulator.clock.now()) } };
}

function revoke(emulator: AtlassianEmulator, body: Record<string, unknown>): Reply {
  const { refreshToken, apiToken } = body;
  if ((typeof refreshToken === "string") === (typeof apiToken === "string")) throw new BadRequest('give "refreshToken" or "apiToken" (one of them)');
  try {
    if (typeof refreshToken === "string") emulator.revokeGrant(refreshToken);
    else emulator.revokeApiToken(apiToken as string);
  } catch {
    return { status: 404, body: { error: `unknown ${typeof refreshToken === "string" ? "refresh token" : "API token"}` } };
  }
  return { status: 200, body: { ok: true, revoked: typeof refreshToken === "string" ? "oauth-grant" : "api-token" } };
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) throw new BadRequest("send the body as JSON (Content-Type: application/json)");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new BadRequest("body too large");
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error();
    return value;
  } catch {
    throw new BadRequest("the body must be a JSON object");
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "Content-Type": "application/json;charset=UTF-8", "Content-Length": String(Buffer.byteLength(text)), "Cache-Control": "no-store" });
  res.end(text);
}

const iso = (ms: number) => new Date(ms).toISOString();
