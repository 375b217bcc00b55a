/**
 * Reading `POST /oauth/token` answers without ever quoting them. A 200 body that fails to parse may still hold the
 * fresh tokens, which we then cannot scrub by value; an unrecognised error body may echo what we sent. So a body is
 * described by status, content type and length only, and only a well-formed OAuth error contributes text: its
 * `error` code and its `error_description`, both scrubbed of known secrets and of anything token-like.
 */
import { z } from "zod";
import type { PipelineResponse } from "../http/pipeline";
import { scrubSecrets, scrubTokenLike, summarizeBody } from "../http/redaction";

export const tokenResponseSchema = () =>
  z.object({
    access_token: z.string().min(1),
    refresh_token: z.string().min(1).optional(),
    expires_in: z.number().positive(),
    scope: z.string().optional(),
    token_type: z.string().optional(),
  });

export type TokenResponse = z.output<ReturnType<typeof tokenResponseSchema>>;

/** E.g. `HTTP 200, application/json, 1234 bytes`: all an error may say about a token-endpoint body. */
export function describeTokenBody(response: PipelineResponse): string {
  return `HTTP ${response.status}, ${mediaType(response)}, ${Buffer.byteLength(response.text, "utf8")} bytes`;
}

function mediaType(response: PipelineResponse): string {
  const header = response.headers.get("content-type");
  if (header === null || header.trim() === "") return "no content type";
  const media = header.split(";")[0].trim().toLowerCase();
  // A header is server text too: only a plausible media type is shown, and never a token-like run.
  return /^[a-z0-9!#$&^_.+-]{1,40}\/[a-z0-9!#$&^_.+-]{1,40}$/.test(media) ? scrubTokenLike(media) : "unreadable content type";
}

/** The token response, or why the body is not one — in field names and zod issue codes, never values. */
export function readTokenResponse(response: PipelineResponse): { ok: true; tokens: TokenResponse } | { ok: false; problem: string } {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return { ok: false, problem: "not JSON" };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, problem: "not a valid token response (not a JSON object)" };
  }
  const result = tokenResponseSchema().safeParse(body);
  if (result.success) return { ok: true, tokens: result.data };
  // The schema is a non-strict object, so every issue path is one of its own keys, not a key from the body.
  const fields = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "invalid_type" && issue.path.length === 1 && !(String(issue.path[0]) in body)) return `${path} missing`;
    const expected = issue.code === "invalid_type" ? `, expected ${issue.expected}` : "";
    return `${path}: ${issue.code}${expected}`;
  });
  return { ok: false, problem: `not a valid token response (${fields.join("; ")})` };
}

export interface OAuthErrorBody {
  /** The raw `error` code, for classification only (compare it with constants; never show it). */
  error: string;
  /** The `error` code as it may be shown. */
  shownError: string;
  /** `error_description`, scrubbed and shortened, or "no description". */
  description: string;
}

/** RFC 6749 §5.2: an `error` code is printable ASCII without `"` and `\`; a longer one is not a code. */
const ERROR_CODE = /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

/** A well-formed OAuth error body (`{"error":"invalid_grant","error_description":"…"}`), or undefined. */
export function readOAuthError(response: PipelineResponse, secrets: readonly string[]): OAuthErrorBody | undefined {
  let body: { error?: unknown; error_description?: unknown };
  try {
    body = JSON.parse(response.text) as typeof body;
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null || typeof body.error !== "string" || !ERROR_CODE.test(body.error)) return undefined;
  const raw = typeof body.error_description === "string" ? body.error_description : "";
  return {
    error: body.error,
    shownError: scrubTokenLike(scrubSecrets(body.error, secrets)),
    // Atlassian-authored text, but it may echo a token: scrubbed over its whole length, then shortened.
    description: raw.trim() === "" ? "no description" : summarizeBody(raw, secrets, { tokenLike: true }),
  };
}
