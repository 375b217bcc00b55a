/**
 * What the consent redirect to `http://localhost:<port>/callback` means, as a pure decision: a code to exchange,
 * a refusal (the admin clicked Cancel, or Atlassian refused the request), a `state` that is not ours (CSRF or a
 * stale tab: refuse), or a request that is not a redirect at all (ignore it and keep waiting).
 */
import { timingSafeEqual } from "crypto";
import { scrubSecrets } from "../../atlassian/http/redaction";

export type CallbackOutcome =
  | { kind: "code"; code: string }
  | { kind: "refused"; error: string; description: string }
  | { kind: "state-mismatch" }
  | { kind: "incomplete" };

export function interpretCallback(params: URLSearchParams, expectedState: string): CallbackOutcome {
  const code = params.get("code");
  const error = params.get("error");
  if (!code && !error) return { kind: "incomplete" };
  // The state is checked before anything else the redirect says, errors included: an unverified redirect is noise.
  if (!sameState(params.get("state"), expectedState)) return { kind: "state-mismatch" };
  if (error) {
    // Scrubbed before `printable` cuts it, so a cut cannot leave part of a code behind.
    const description = scrubSecrets(params.get("error_description") ?? "", [code ?? "", expectedState]);
    return { kind: "refused", error: printable(error, 60), description: printable(description, 300) };
  }
  return { kind: "code", code: code! };
}

/** Constant-time comparison, so the state cannot be guessed byte by byte from response timing. */
function sameState(received: string | null, expected: string): boolean {
  if (received === null) return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Text from the redirect is attacker-controlled: keep it short and free of control characters before printing. */
export function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** The admin-facing explanation of a refused authorization, with the fix. */
export function refusalMessage(error: string, description: string): string {
  const said = description ? ` (${error}: ${description})` : ` (${error})`;
  switch (error) {
    case "access_denied":
      return `the authorization was denied on Atlassian's consent screen${said}. Run \`jira-connector authorize\` again and click Accept; the account must be allowed to grant the app access to the site.`;
    case "invalid_scope":
      return `Atlassian refused the requested scopes${said}. Add the 13 read-only granular scopes to the app's Permissions page in the Atlassian developer console, then run \`jira-connector authorize\` again.`;
    case "unauthorized_client":
      return `Atlassian refused the app${said}. Check the client ID and that the app's callback URL equals the one this command printed, then run again.`;
    default:
      return `Atlassian refused the authorization${said}. Run \`jira-connector authorize\` again.`;
  }
}
