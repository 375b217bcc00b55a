import { randomBytes } from "crypto";
import { endpointsOf, type AtlassianContext } from "../context";
import { InvalidArgumentError } from "../errors";
import { DEFAULT_REQUIRED_SCOPES, OFFLINE_ACCESS } from "../scopes";

export interface AuthorizationUrlOptions {
  clientId: string;
  /** Must equal a callback URL registered on the app, e.g. `http://localhost:8080/callback`. */
  redirectUri: string;
  /** Unguessable, per-request value bound to the admin's session; verify it on the callback (CSRF guard). */
  state: string;
  /** Defaults to the connector's 13 granular scopes + `offline_access`; `offline_access` is always added. */
  scopes?: readonly string[];
}

/** A fresh 256-bit `state` value. */
export function generateOAuthState(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Builds the 3LO consent URL: `audience=api.atlassian.com`, `prompt=consent` (so the admin sees and confirms the
 * scopes and site), `response_type=code`.
 */
export function buildAuthorizationUrl(context: AtlassianContext, options: AuthorizationUrlOptions): string {
  if (!options.clientId) throw new InvalidArgumentError("clientId", "is required");
  if (!/^[\x21-\x7e]{16,512}$/.test(options.state)) {
    throw new InvalidArgumentError(
      "state",
      "must be an unguessable value of 16-512 printable characters (use generateOAuthState())",
    );
  }
  let redirect: URL;
  try {
    redirect = new URL(options.redirectUri);
  } catch {
    throw new InvalidArgumentError("redirectUri", "must be an absolute URL registered as the app's callback");
  }
  if (redirect.hash) throw new InvalidArgumentError("redirectUri", "must not contain a fragment");
  const scopes = [...new Set([...(options.scopes ?? DEFAULT_REQUIRED_SCOPES), OFFLINE_ACCESS])];
  const query = new URLSearchParams({
    audience: "api.atlassian.com",
    client_id: options.clientId,
    scope: scopes.join(" "),
    redirect_uri: options.redirectUri,
    state: options.state,
    response_type: "code",
    prompt: "consent",
  });
  // Atlassian's documentation shows %20 between scopes; URLSearchParams would write '+'.
  return `${endpointsOf(context).authUrl}/authorize?${query.toString().replace(/\+/g, "%20")}`;
}
