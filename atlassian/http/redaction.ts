/**
 * Server text we surface is scrubbed over its WHOLE length and only then shortened: shortening first could cut a
 * secret in two, and the prefix left before the cut is a leak that no exact match would find any more.
 */

export const REDACTED = "[REDACTED]";

/** Replaces every occurrence of the given secret values in `text`; used on any server text we surface. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  // Longest first: scrubbing a secret that is part of a longer one first would leave the rest of the longer one.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    // Very short values would scrub ordinary words; real tokens and secrets are far longer.
    if (secret.length < 6) continue;
    scrubbed = scrubbed.split(secret).join(REDACTED);
  }
  return scrubbed;
}

/** JWT-like values (`eyJ…`, with up to two dots) and any long base64url run: what an OAuth token looks like. */
const TOKEN_LIKE = /eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,2}|[A-Za-z0-9_-]{24,}/g;

/**
 * Redacts anything that looks like a token. For token-endpoint text, which may hold a fresh token we have not
 * parsed (so cannot scrub by value).
 */
export function scrubTokenLike(text: string): string {
  return text.replace(TOKEN_LIKE, REDACTED);
}

/**
 * Scrubs server text (known secrets; with `tokenLike`, token-looking runs too), then flattens and shortens it for an
 * error message (Atlassian sometimes answers with whole HTML pages).
 */
export function summarizeBody(
  text: string,
  secrets: readonly string[],
  options: { max?: number; tokenLike?: boolean } = {},
): string {
  const max = options.max ?? 200;
  const scrubbed = options.tokenLike ? scrubTokenLike(scrubSecrets(text, secrets)) : scrubSecrets(text, secrets);
  const flat = scrubbed.replace(/\s+/g, " ").trim();
  if (flat === "") return "empty body";
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
