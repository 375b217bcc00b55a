import { createHash, randomBytes } from "crypto";
import { UNKNOWN } from "./inputs";

/**
 * Credential revision markers: a plain (non-secret) input per secret input, so that `pulumi preview --diff` shows
 * *which* credential changed. The engine masks secrets before it diffs, and the SDK's dynamic-provider host passes
 * no detailed diff, so without a marker a secret-only change is an `~ update` with no property marked.
 *
 * A marker is 8 hex characters of a salted SHA-256 with its own domain (it never equals a stored fingerprint).
 * Computed in `check`, which sees only the old *inputs*: the salt is therefore an input too (`revisionSalt`),
 * drawn once on create and carried over from the old inputs afterwards, so markers are deterministic across
 * previews. 32 bits of a salted hash of a high-entropy token cannot be inverted or used to guess the token; the
 * per-resource salt keeps markers from being compared across connectors or stacks.
 */

export const REVISION_SALT = "revisionSalt";
export const CREDENTIAL_REVISIONS = "credentialRevisions";

/** The secret inputs, by the property path an admin sees in the program and in `check` failures. */
const SECRET_PATHS = [
  ["oauth", "clientSecret"],
  ["oauth", "refreshToken"],
  ["scopedApiToken", "apiToken"],
  ["license", "apiToken"],
] as const;

const SALT = /^[0-9a-f]{32}$/;

export function revisionSaltOf(olds: Record<string, unknown> | undefined): string {
  const salt = olds?.[REVISION_SALT];
  return typeof salt === "string" && SALT.test(salt) ? salt : randomBytes(16).toString("hex");
}

export function revisionMarker(salt: string, property: string, value: string): string {
  return createHash("sha256").update(`jira-connector/revision/v1\u0000${property}\u0000${salt}\u0000${value}`).digest("hex").slice(0, 8);
}

/** `{ "license.apiToken": "1a2b3c4d", … }` for each secret input present; an unknown value stays unknown. */
export function credentialRevisions(inputs: Record<string, unknown>, salt: string): Record<string, string> {
  const revisions: Record<string, string> = {};
  for (const [group, field] of SECRET_PATHS) {
    const parent = inputs[group];
    if (parent === null || typeof parent !== "object") continue;
    const value = (parent as Record<string, unknown>)[field];
    const property = `${group}.${field}`;
    if (value === UNKNOWN) revisions[property] = UNKNOWN;
    else if (typeof value === "string" && value !== "") revisions[property] = revisionMarker(salt, property, value);
  }
  return revisions;
}
