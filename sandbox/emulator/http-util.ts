/** Small HTTP helpers shared by the routes: replies are plain values until server.ts writes them. */
import type { IncomingMessage } from "node:http";
import type { Reply } from "./rate-limit";

export type { Reply } from "./rate-limit";

export const JSON_TYPE = "application/json;charset=UTF-8";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "Content-Type": JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function html(status: number, text: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "Content-Type": "text/html;charset=UTF-8", ...headers }, body: text };
}

export function redirect(location: string): Reply {
  return { status: 302, headers: { Location: location, "Content-Type": "text/html;charset=UTF-8" }, body: `<html><body>Redirecting to <a href="${location}">${location}</a></body></html>` };
}

/** Jira's `ErrorCollection`. */
export function errorCollection(status: number, messages: string[], errors: Record<string, string> = {}): Reply {
  return json(status, { errorMessages: messages, errors });
}

/** Thrown by Jira handlers to answer with an error; the pipeline turns it into a reply. */
export class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export function fail(status: number, ...messages: string[]): never {
  throw new HttpError(errorCollection(status, messages));
}

export const UNAVAILABLE_SITE_HTML =
  "<!DOCTYPE html><html><head><title>Atlassian Cloud Notifications - Page Unavailable</title></head>" +
  "<body><h1>Your Atlassian Cloud site is currently unavailable.</h1></body></html>";

export async function readBody(req: IncomingMessage, limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Query values that are (or may be) secrets never reach the request log. */
const SECRET_PARAMS = /^(code|client_secret|refresh_token|access_token|id_token|token|password|api_?token|apikey)$/i;

export function loggableQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of new Set(params.keys())) {
    out[name] = SECRET_PARAMS.test(name) ? "[redacted]" : params.getAll(name).join(",");
  }
  return out;
}
