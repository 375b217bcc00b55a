/**
 * One loopback HTTP server, three virtual hosts as path prefixes (CONTRACT.md): /auth → auth.atlassian.com,
 * /api → api.atlassian.com, /site/{site} → {site}.atlassian.net. Logs every request, applies faults and latency.
 */
import * as http from "node:http";
import { authKind, parseAuthorization } from "./credentials";
import type { FaultAction, HostName } from "./faults";
import { html, json, loggableQuery, readBody, UNAVAILABLE_SITE_HTML, type Reply } from "./http-util";
import { gatewayRest, siteRest } from "./jira-pipeline";
import { accessibleResources, authorize, token } from "./oauth-routes";
import { isOrgAdminPath, orgAdmin } from "./org-admin-routes";
import { isOrgPath, lastActiveDates } from "./org-routes";
import { rateLimitedReply } from "./rate-limit";
import { ledgerRoute } from "./limit-ledger";
import { siteByCloudId, type EmulatorState, type RequestLogEntry } from "./types";

interface Route {
  host: HostName;
  path: string;
  site?: string;
  cloudId?: string;
}

function classify(pathname: string): Route | undefined {
  const rest = (p: string) => p || "/";
  let m = /^\/api\/ex\/jira\/([^/]+)(\/.*)?$/.exec(pathname);
  if (m) return { host: "api", cloudId: decodeURIComponent(m[1]), path: rest(m[2] ?? "") };
  m = /^\/(auth|api)(\/.*)?$/.exec(pathname);
  if (m) return { host: m[1] as HostName, path: rest(m[2] ?? "") };
  m = /^\/site\/([^/]+)(\/.*)?$/.exec(pathname);
  if (m) return { host: "site", site: decodeURIComponent(m[1]).toLowerCase(), path: rest(m[2] ?? "") };
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function faultReply(state: EmulatorState, action: FaultAction): Reply | undefined {
  switch (action.kind) {
    case "status": {
      const body = action.body ?? JSON.stringify({ errorMessages: [`Injected fault: HTTP ${action.status}`], errors: {} });
      const type = /^\s*[{[]/.test(body) ? "application/json;charset=UTF-8" : "text/plain;charset=UTF-8";
      return { status: action.status, headers: { "Content-Type": type, ...action.headers }, body };
    }
    case "malformed-json":
      return { status: 200, headers: { "Content-Type": "application/json;charset=UTF-8" }, body: '{"truncated": tru' };
    case "rate-limit": {
      const retryAfterSeconds = action.retryAfterSeconds === undefined ? 1 : action.retryAfterSeconds;
      const resetAt = action.resetAt ?? state.clock.now() + (retryAfterSeconds ?? 1) * 1000;
      return rateLimitedReply({ reason: action.reason ?? "jira-burst-based", retryAfterSeconds, limit: 100, resetAt }, state.modes);
    }
    default:
      return undefined;
  }
}

function dispatch(state: EmulatorState, req: http.IncomingMessage, route: Route, url: URL, rawBody: string, fault?: FaultAction): Reply {
  const method = (req.method ?? "GET").toUpperCase();
  const creds = parseAuthorization(req.headers.authorization);
  const { path } = route;
  if (route.host === "auth") {
    if (method === "GET" && path === "/authorize") return authorize(state, url.searchParams);
    if (method === "POST" && path === "/oauth/token") return token(state, rawBody, fault);
    return html(404, "<html><body><h1>404 Not Found</h1></body></html>");
  }
  if (route.host === "api") {
    if (route.cloudId !== undefined) return gatewayRest(state, route.cloudId, { method, path, query: url.searchParams, creds, body: rawBody });
    if (method === "GET" && path === "/oauth/token/accessible-resources") return accessibleResources(state, creds);
    if (method === "GET" && isOrgPath(path)) return lastActiveDates(state, path, creds);
    if (isOrgAdminPath(method, path)) return orgAdmin(state, method, path, rawBody, creds);
    return json(404, { code: 404, message: "Not Found" });
  }
  const site = state.sites.get(route.site!);
  // Unknown site: an HTML "unavailable" page, never JSON [A].
  if (!site) return html(404, UNAVAILABLE_SITE_HTML);
  if (method === "GET" && path === "/_edge/tenant_info") return json(200, { cloudId: site.cloudId });
  if (path.startsWith("/rest/")) return siteRest(state, site, { method, path, query: url.searchParams, creds, body: rawBody });
  return html(404, UNAVAILABLE_SITE_HTML);
}

export function createServer(state: EmulatorState): http.Server {
  return http.createServer((req, res) => {
    void handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json;charset=UTF-8" });
        res.end(JSON.stringify({ errorMessages: [`Emulator error: ${(error as Error).message}`], errors: {} }));
      }
    });
  });
}

async function handle(state: EmulatorState, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  for (const [prefix, handler] of state.mounts) if (url.pathname.startsWith(prefix)) return handler(req, res);
  const route = classify(url.pathname);
  if (!route) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found: use /auth, /api or /site/{site}");
    return;
  }
  const method = (req.method ?? "GET").toUpperCase();
  const site = route.site ?? (route.cloudId !== undefined ? siteByCloudId(state, route.cloudId)?.name : undefined);
  // Only the path, the (redacted) query and the auth scheme are logged — never a secret.
  const entry: RequestLogEntry = {
    at: state.clock.now(),
    method,
    host: route.host,
    ...(site ? { site } : {}),
    path: route.path,
    query: loggableQuery(url.searchParams),
    auth: authKind(parseAuthorization(req.headers.authorization)),
    status: 0,
  };
  state.requests.push(entry);
  const ledgerKey = ledgerRoute(site, method, state.ops.match(method, route.path)?.template ?? route.path);
  state.limitLedger.arrived(ledgerKey);
  const rawBody = method === "POST" || method === "PUT" ? await readBody(req) : "";
  if (route.host === "auth" && route.path === "/oauth/token") entry.grantType = grantTypeOf(rawBody);
  if (state.latencyMs > 0) await sleep(state.latencyMs);

  const fault = state.faults.take(method, route.host, route.path);
  if (fault?.kind === "hang") return; // never answered; close() destroys the socket
  if (fault?.kind === "reset") {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === "latency") await sleep(fault.ms);
  const reply =
    fault?.kind === "json"
      ? { status: 200, headers: { "Content-Type": "application/json;charset=UTF-8" }, body: JSON.stringify(fault.body(url)) }
      : ((fault && faultReply(state, fault)) ?? dispatch(state, req, route, url, rawBody, fault));
  entry.status = reply.status;
  if (fault?.kind === "processed-reset") {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === "stream-body") {
    streamFiller(res, fault, state.clock.now());
    return;
  }
  const replaced = fault?.kind === "rewrite-json" ? JSON.stringify(fault.rewrite(JSON.parse(reply.body), url)) : reply.body;
  const body = fault?.kind === "truncate-body" ? truncated(reply.body, fault) : Buffer.from(replaced, "utf8");
  // `Date` follows the emulator clock, so clients that read it see the same time as token expiry does.
  res.writeHead(reply.status, { ...reply.headers, Date: new Date(state.clock.now()).toUTCString(), "Content-Length": String(body.length) });
  res.end(body);
  const retryAfter = reply.status === 429 ? Number(reply.headers["Retry-After"]) : NaN;
  if (Number.isFinite(retryAfter) && retryAfter > 0) state.limitLedger.announced(ledgerKey, retryAfter);
}

/** Writes filler as the socket drains, 64 KiB at a time: the emulator never holds the body (bounds tests use 400 MB). */
function streamFiller(res: http.ServerResponse, fault: Extract<FaultAction, { kind: "stream-body" }>, now: number): void {
  const chunk = Buffer.alloc(64 * 1024, "a");
  res.writeHead(200, {
    "Content-Type": "application/json;charset=UTF-8",
    Date: new Date(now).toUTCString(),
    ...(fault.declareLength ? { "Content-Length": String(fault.bytes) } : {}),
  });
  let sent = 0;
  let gone = false;
  res.on("close", () => {
    gone = true;
    fault.sent?.(sent);
  });
  const pump = () => {
    while (!gone && sent < fault.bytes) {
      const piece = sent === 0 ? Buffer.from('{"values":["') : chunk.subarray(0, Math.min(chunk.length, fault.bytes - sent));
      sent += piece.length;
      if (!res.write(piece)) {
        res.once("drain", pump);
        return;
      }
    }
    if (!gone) res.end();
  };
  pump();
}

function truncated(fullBody: string, fault: Extract<FaultAction, { kind: "truncate-body" }>): Buffer {
  fault.seen?.(fullBody);
  const bytes = typeof fault.bytes === "function" ? fault.bytes(fullBody) : fault.bytes;
  return Buffer.from(fullBody, "utf8").subarray(0, Math.max(0, bytes));
}

function grantTypeOf(rawBody: string): string | undefined {
  try {
    const parsed = JSON.parse(rawBody) as { grant_type?: unknown };
    return typeof parsed?.grant_type === "string" ? parsed.grant_type : undefined;
  } catch {
    return undefined;
  }
}
