/** Replaces every occurrence of the given secret values in `text`; used on any server text we surface. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    // Very short values would scrub ordinary words; real tokens and secrets are far longer.
    if (secret.length < 6) continue;
    scrubbed = scrubbed.split(secret).join("[REDACTED]");
  }
  return scrubbed;
}

/** Shortens server text for an error message (Atlassian sometimes answers with whole HTML pages). */
export function summarizeBody(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat === "") return "empty body";
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
