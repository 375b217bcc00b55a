import { endpointsOf, type AtlassianContext } from "../context";
import {
  InvalidArgumentError,
  InvalidClientCredentialsError,
  MissingScopesError,
  ReauthorizationRequiredError,
  UnexpectedResponseError,
} from "../errors";
import { classifyCommonFailures } from "../http/classify";
import type { PipelineResponse } from "../http/pipeline";
import { OFFLINE_ACCESS, parseScopeString } from "../scopes";
import { describeTokenBody, readOAuthError, readTokenResponse, type TokenResponse } from "./token-response";

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** The result of a token exchange. `refreshToken` is the one to persist — before using `accessToken`. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** False when Atlassian omitted `refresh_token` and the presented one is kept (seen in the field). */
  refreshTokenRotated: boolean;
  expiresInSeconds: number;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
  grantedScopes: string[];
}

const OPERATION = "POST /oauth/token";

/**
 * Exchanges an authorization code (from the consent redirect) for the first token pair. Never retried after an
 * unknown outcome: a code is single-use, so a blind retry would turn a success into `invalid_grant`.
 */
export async function exchangeAuthorizationCode(
  context: AtlassianContext,
  options: OAuthClientCredentials & { code: string; redirectUri: string },
): Promise<TokenSet> {
  requireCredentials(options);
  if (!options.code) throw new InvalidArgumentError("code", "is required");
  const secrets = [options.clientSecret, options.code];
  const response = await context.pipeline.send({
    operation: OPERATION,
    method: "POST",
    url: `${endpointsOf(context).authUrl}/oauth/token`,
    json: {
      grant_type: "authorization_code",
      client_id: options.clientId,
      client_secret: options.clientSecret,
      code: options.code,
      redirect_uri: options.redirectUri,
    },
    secrets,
    retry: "rate-limit-only",
  });
  const tokens = parseTokenResponse(context, response, secrets, "authorization_code");
  if (tokens.refresh_token === undefined) {
    // Without offline_access Atlassian issues no refresh token, and a connector cannot run unattended.
    throw new MissingScopesError([OFFLINE_ACCESS]);
  }
  return toTokenSet(context, tokens, tokens.refresh_token, true);
}

/**
 * Exchanges a refresh token. Atlassian rotates it: the returned `refreshToken` replaces the presented one, which
 * stays usable for 10 minutes only. Persist the new one before doing anything else.
 *
 * Retries on 5xx, timeouts and network errors are bounded (well under a minute) and rely on that 10-minute
 * leeway: presenting the same token again inside it yields a fresh pair rather than revoking the grant.
 */
export async function refreshAccessToken(
  context: AtlassianContext,
  options: OAuthClientCredentials & { refreshToken: string; budgetMs?: number },
): Promise<TokenSet> {
  requireCredentials(options);
  if (!options.refreshToken) throw new InvalidArgumentError("refreshToken", "is required");
  const secrets = [options.clientSecret, options.refreshToken];
  const response = await context.pipeline.send({
    operation: OPERATION,
    method: "POST",
    url: `${endpointsOf(context).authUrl}/oauth/token`,
    json: {
      grant_type: "refresh_token",
      client_id: options.clientId,
      client_secret: options.clientSecret,
      refresh_token: options.refreshToken,
    },
    secrets,
    retry: "idempotent",
    ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
  });
  const tokens = parseTokenResponse(context, response, secrets, "refresh_token");
  if (tokens.refresh_token === undefined) {
    context.pipeline.logger.warn("atlassian.oauth.refresh-token-not-rotated", {
      note: "the refresh response carried no refresh_token; keeping the presented one",
    });
    return toTokenSet(context, tokens, options.refreshToken, false);
  }
  return toTokenSet(context, tokens, tokens.refresh_token, true);
}

function requireCredentials(options: OAuthClientCredentials): void {
  if (!options.clientId) throw new InvalidArgumentError("clientId", "is required");
  if (!options.clientSecret) throw new InvalidArgumentError("clientSecret", "is required");
}

function parseTokenResponse(
  context: AtlassianContext,
  response: PipelineResponse,
  secrets: readonly string[],
  grant: "refresh_token" | "authorization_code",
): TokenResponse {
  if (response.status === 200) {
    const read = readTokenResponse(response);
    if (read.ok) return read.tokens;
    // Never quoted: the body may hold the new tokens (token-response.ts).
    const detail = `${describeTokenBody(response)}: ${read.problem}`;
    // The exchange may have rotated the token without us seeing the new one; the leeway makes a retry safe.
    throw new UnexpectedResponseError(
      OPERATION,
      grant === "refresh_token"
        ? `${detail}; the presented refresh token stays usable for about 10 minutes, so retry soon with the same token`
        : detail,
      200,
    );
  }
  // OAuth errors are classified on `error`, not on the status (Atlassian's statuses vary: 400/401/403).
  const oauth = readOAuthError(response, secrets);
  if (oauth?.error === "invalid_grant" || oauth?.error === "unauthorized_client") {
    throw new ReauthorizationRequiredError(oauth.error, oauth.description, grant);
  }
  if (oauth?.error === "access_denied" || oauth?.error === "invalid_client") {
    throw new InvalidClientCredentialsError(oauth.error, response.status);
  }
  if (response.status === 401) throw new InvalidClientCredentialsError(oauth?.shownError ?? "HTTP 401", 401);
  classifyCommonFailures(response, context.pipeline.now());
  throw new UnexpectedResponseError(
    OPERATION,
    oauth ? `HTTP ${response.status}: ${oauth.shownError}: ${oauth.description}` : `${describeTokenBody(response)}: not an OAuth error response`,
    response.status,
  );
}

function toTokenSet(
  context: AtlassianContext,
  tokens: TokenResponse,
  refreshToken: string,
  rotated: boolean,
): TokenSet {
  return {
    accessToken: tokens.access_token,
    refreshToken,
    refreshTokenRotated: rotated,
    expiresInSeconds: tokens.expires_in,
    expiresAt: context.pipeline.now() + tokens.expires_in * 1000,
    grantedScopes: parseScopeString(tokens.scope),
  };
}
