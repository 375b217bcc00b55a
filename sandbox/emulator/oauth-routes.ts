/** `auth.atlassian.com` (/authorize, /oauth/token) and `api.atlassian.com/oauth/token/accessible-resources`. */
import type { Credentials } from "./credentials";
import type { FaultAction } from "./faults";
import { json, redirect, type Reply } from "./http-util";
import type { TokenPair } from "./oauth-state";
import { siteBase, type EmulatorState } from "./types";

const ID_ERROR = "https://id.atlassian.com/error";

function callback(redirectUri: string, params: Record<string, string | null>): Reply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return redirect(url.toString());
}

/** The consent screen, played by `state.consent` instead of a human. */
export function authorize(state: EmulatorState, q: URLSearchParams): Reply {
  const clientId = q.get("client_id") ?? "";
  const app = state.apps.get(clientId);
  const redirectUri = q.get("redirect_uri") ?? "";
  // Problems with the client or its callback never go to the callback: the user lands on an Atlassian page.
  if (!app) return redirect(`${ID_ERROR}?error=unauthorized_client&error_description=${encodeURIComponent("unknown client")}:%20${encodeURIComponent(clientId)}`);
  if (!app.redirectUris.includes(redirectUri)) {
    return redirect(`${ID_ERROR}?error=unauthorized_client&error_description=redirect_uri%20is%20not%20registered%20for%20client:%20${encodeURIComponent(redirectUri)}`);
  }
  const state_ = q.get("state");
  if (q.get("response_type") !== "code") {
    return callback(redirectUri, { error: "unsupported_response_type", error_description: "Unsupported response_type value", state: state_ });
  }
  const audience = q.get("audience") ?? "";
  // [A] Auth0's answer to a wrong audience.
  if (audience !== "api.atlassian.com") return callback(redirectUri, { error: "access_denied", error_description: `Service not found: ${audience}`, state: state_ });
  const requested = (q.get("scope") ?? "").split(/\s+/).filter(Boolean);
  const scopes = requested.filter((s) => app.scopes.includes(s));
  if (scopes.length === 0) return callback(redirectUri, { error: "invalid_scope", error_description: "No valid scopes were requested.", state: state_ });
  if (state.consent.decision === "deny") {
    return callback(redirectUri, { error: "access_denied", error_description: "User did not authorize the request", state: state_ });
  }
  const code = state.oauth.issueCode(
    { clientId, redirectUri, accountId: state.consent.accountId ?? defaultAccount(state), scopes, sites: state.consent.sites ?? defaultSites(state) },
    state.clock.now(),
  );
  return callback(redirectUri, { code, state: state_ });
}

export function defaultAccount(state: EmulatorState): string {
  const first = state.sites.values().next().value;
  if (!first) throw new Error("the emulator has no site");
  return first.admin.accountId;
}

/** [A] the consenting user picks the first site on the consent screen. */
export function defaultSites(state: EmulatorState): string[] {
  const first = state.sites.keys().next().value;
  return first ? [first] : [];
}

const oauthError = (status: number, error: string, description: string) => json(status, { error, error_description: description });
const INVALID_REFRESH = () => oauthError(403, "invalid_grant", "Unknown or invalid refresh token.");

/** `POST /oauth/token` with a JSON body: authorization_code and refresh_token grants. */
export function token(state: EmulatorState, raw: string, fault: FaultAction | undefined): Reply {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error("not an object");
  } catch {
    return oauthError(400, "invalid_request", "The request body must be a JSON object.");
  }
  const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : undefined);
  const grantType = str("grant_type");
  const app = state.apps.get(str("client_id") ?? "");
  // [A] status for a wrong secret is undocumented; the error code is Atlassian's.
  if (!app || app.clientSecret !== str("client_secret")) return oauthError(401, "access_denied", "Unauthorized");
  const omit = fault?.kind === "omit-refresh-token";
  const now = state.clock.now();
  if (grantType === "authorization_code") {
    const code = str("code");
    if (!code) return oauthError(400, "invalid_request", "Missing required parameter: code");
    const result = state.oauth.redeemCode(code, app.clientId, str("redirect_uri"), now);
    // [A] Auth0-style: a bad, expired or replayed code (or a redirect_uri mismatch) is invalid_grant.
    if (!result.ok) {
      const description = result.reason === "redirect-mismatch" ? "redirect_uri does not match the one used to obtain the code" : "Invalid authorization code";
      return oauthError(403, "invalid_grant", description);
    }
    return tokenReply(result.pair, omit);
  }
  if (grantType === "refresh_token") {
    const refreshToken = str("refresh_token");
    if (!refreshToken) return oauthError(400, "invalid_request", "Missing required parameter: refresh_token");
    const result = state.oauth.refresh(refreshToken, app.clientId, now, !omit);
    return result.ok ? tokenReply(result.pair, false) : INVALID_REFRESH();
  }
  if (!grantType) return oauthError(400, "invalid_request", "Missing required parameter: grant_type");
  return oauthError(403, "unauthorized_client", `Grant type '${grantType}' not allowed for the client.`);
}

function tokenReply(pair: TokenPair, omitRefresh: boolean): Reply {
  return json(
    200,
    {
      access_token: pair.accessToken,
      ...(pair.refreshToken && !omitRefresh ? { refresh_token: pair.refreshToken } : {}),
      expires_in: pair.expiresIn,
      scope: pair.scope,
      token_type: "Bearer",
    },
    { "Cache-Control": "no-store", Pragma: "no-cache" },
  );
}

/** `GET /oauth/token/accessible-resources`: one entry per site of the grant that still exists. */
export function accessibleResources(state: EmulatorState, creds: Credentials): Reply {
  if (creds.kind !== "bearer") return json(401, { code: 401, message: "Unauthorized" });
  const access = state.oauth.validateAccess(creds.token, state.clock.now());
  if (!access.ok) return json(401, { code: 401, message: "Unauthorized" });
  // [A] `offline_access` is a token property, not a site scope, so it is not listed per resource.
  const scopes = access.family.scopes.filter((s) => s !== "offline_access");
  const resources = access.sites.flatMap((name) => {
    const site = state.sites.get(name);
    if (!site) return [];
    return [{ id: site.cloudId, name: site.name, url: siteBase(state, site.name), scopes, avatarUrl: "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png" }];
  });
  return json(200, resources);
}
