import type { z } from "zod";
import { UnexpectedResponseError } from "../errors";
import type { PipelineResponse } from "./pipeline";
import { summarizeBody } from "./redaction";

/** Parses a JSON body; a non-JSON body (Atlassian's HTML error pages, truncated bodies) is an UnexpectedResponseError. */
export function parseJsonBody(response: PipelineResponse, secrets: readonly string[] = []): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    throw new UnexpectedResponseError(
      response.operation,
      `HTTP ${response.status} with a body that is not JSON: ${summarizeBody(response.text, secrets, { max: 80 })}`,
      response.status,
    );
  }
}

/**
 * Validates a decoded body with a zod schema. The error lists paths, issue codes and expected types only — never
 * zod's messages or the received values, which for token responses are secrets.
 */
export function parseWithSchema<S extends z.ZodType>(schema: S, value: unknown, response: PipelineResponse): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)";
    const expected = "expected" in issue && typeof issue.expected === "string" ? `, expected ${issue.expected}` : "";
    return `${path}: ${issue.code}${expected}`;
  });
  const more = result.error.issues.length > 5 ? ` and ${result.error.issues.length - 5} more` : "";
  throw new UnexpectedResponseError(response.operation, `schema mismatch at ${issues.join("; ")}${more}`, response.status);
}

/** Atlassian's error text from an ErrorCollection, an OAuth error or a gateway error body, scrubbed and shortened. */
export function atlassianErrorDetail(response: PipelineResponse, secrets: readonly string[] = []): string {
  let detail: string;
  try {
    const body = JSON.parse(response.text) as Record<string, unknown>;
    const messages = Array.isArray(body.errorMessages) ? body.errorMessages.filter((m) => typeof m === "string") : [];
    const fieldErrors =
      body.errors && typeof body.errors === "object"
        ? Object.entries(body.errors as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`)
        : [];
    const candidates = [
      ...messages,
      ...fieldErrors,
      typeof body.error_description === "string" ? body.error_description : undefined,
      typeof body.message === "string" ? body.message : undefined,
      typeof body.error === "string" ? body.error : undefined,
    ].filter((m): m is string => typeof m === "string" && m !== "");
    detail = candidates.length > 0 ? candidates.join("; ") : response.text;
  } catch {
    detail = response.text;
  }
  // The whole text is scrubbed before it is shortened (redaction.ts says why).
  return summarizeBody(detail, secrets);
}
