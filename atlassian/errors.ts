/**
 * Typed, classified Atlassian errors. Every message says what happened and what an admin should do.
 *
 * Rule: no secret value (token, client secret, API token, authorization code) is ever placed in a message or a
 * property of these errors. Server-provided text is scrubbed of the request's secrets before it gets here.
 */

import { assignErrorIdentity } from "./typed-error";

export type AtlassianErrorCode =
  | "INVALID_SITE_NAME"
  | "ENDPOINT_CONFIGURATION"
  | "INVALID_ARGUMENT"
  | "SITE_NOT_FOUND"
  | "SITE_NOT_ACCESSIBLE"
  | "CLOUD_ID_MISMATCH"
  | "REAUTHORIZATION_REQUIRED"
  | "INVALID_CLIENT_CREDENTIALS"
  | "MISSING_SCOPES"
  | "ACCESS_TOKEN_REJECTED"
  | "API_TOKEN_REJECTED"
  | "ORG_API_KEY_REJECTED"
  | "NOT_ADMINISTRATOR"
  | "PERMISSION_DENIED"
  | "NOT_FOUND"
  | "BAD_REQUEST"
  | "RATE_LIMITED"
  | "ATLASSIAN_UNAVAILABLE"
  | "UNEXPECTED_RESPONSE"
  | "LISTING_BOUND"
  | "PAGINATION_STALLED"
  | "RESPONSE_TOO_LARGE"
  | "RUN_DEADLINE";

export abstract class AtlassianError extends Error {
  declare readonly code: AtlassianErrorCode;
  /** Whether the same call may succeed later without any configuration change. */
  declare readonly retryable: boolean;
  /** HTTP status of the response that caused this error, when there was one. */
  declare readonly status?: number;
  /** The API operation, e.g. `GET /rest/api/3/users/search` (never a URL with credentials). */
  declare readonly operation?: string;

  /**
   * Every property is assigned here, explicitly, and the name comes from a table: class names do not survive
   * minified bundles (the Lambda), and `new.target`/field initialisers do not survive Pulumi's closure serializer.
   */
  constructor(code: AtlassianErrorCode, message: string, details: { status?: number; operation?: string; retryable?: boolean } = {}) {
    super(message);
    assignErrorIdentity(this, { message, name: ERROR_NAMES[code], code, retryable: details.retryable ?? false }, {
      status: details.status,
      operation: details.operation,
    });
  }
}

const ERROR_NAMES: Record<AtlassianErrorCode, string> = {
  INVALID_SITE_NAME: "InvalidSiteNameError",
  ENDPOINT_CONFIGURATION: "EndpointConfigurationError",
  INVALID_ARGUMENT: "InvalidArgumentError",
  SITE_NOT_FOUND: "SiteNotFoundError",
  SITE_NOT_ACCESSIBLE: "SiteNotAccessibleError",
  CLOUD_ID_MISMATCH: "CloudIdMismatchError",
  REAUTHORIZATION_REQUIRED: "ReauthorizationRequiredError",
  INVALID_CLIENT_CREDENTIALS: "InvalidClientCredentialsError",
  MISSING_SCOPES: "MissingScopesError",
  ACCESS_TOKEN_REJECTED: "AccessTokenRejectedError",
  API_TOKEN_REJECTED: "ApiTokenRejectedError",
  ORG_API_KEY_REJECTED: "OrgApiKeyRejectedError",
  NOT_ADMINISTRATOR: "NotAdministratorError",
  PERMISSION_DENIED: "PermissionDeniedError",
  NOT_FOUND: "NotFoundError",
  BAD_REQUEST: "BadRequestError",
  RATE_LIMITED: "RateLimitedError",
  ATLASSIAN_UNAVAILABLE: "AtlassianUnavailableError",
  UNEXPECTED_RESPONSE: "UnexpectedResponseError",
  LISTING_BOUND: "ListingBoundError",
  PAGINATION_STALLED: "PaginationStalledError",
  RESPONSE_TOO_LARGE: "ResponseTooLargeError",
  RUN_DEADLINE: "RunDeadlineError",
};

export class InvalidSiteNameError extends AtlassianError {
  declare readonly code: "INVALID_SITE_NAME";
  constructor(readonly reason: string) {
    super("INVALID_SITE_NAME", `site: ${reason}`);
  }
}

export class EndpointConfigurationError extends AtlassianError {
  declare readonly code: "ENDPOINT_CONFIGURATION";
  constructor(readonly variable: string, reason: string) {
    super("ENDPOINT_CONFIGURATION", `${variable}: ${reason}`);
  }
}

/** A caller passed an argument this client refuses to put on the wire (e.g. a weak OAuth `state`). */
export class InvalidArgumentError extends AtlassianError {
  declare readonly code: "INVALID_ARGUMENT";
  constructor(readonly argument: string, reason: string) {
    super("INVALID_ARGUMENT", `${argument}: ${reason}`);
  }
}

export class SiteNotFoundError extends AtlassianError {
  declare readonly code: "SITE_NOT_FOUND";
  constructor(readonly site: string, detail: string, status?: number) {
    super(
      "SITE_NOT_FOUND",
      `site "${site}" was not found as a Jira Cloud site (${detail}). Check the spelling: use the part before ` +
        `".atlassian.net" in your Jira URL.`,
      { status, operation: "GET /_edge/tenant_info" },
    );
  }
}

export class SiteNotAccessibleError extends AtlassianError {
  declare readonly code: "SITE_NOT_ACCESSIBLE";
  constructor(readonly cloudId: string, readonly accessibleCloudIds: string[]) {
    super(
      "SITE_NOT_ACCESSIBLE",
      `the OAuth grant does not reach the site with cloud ID ${cloudId} (it reaches ` +
        `${accessibleCloudIds.length === 0 ? "no site at all" : accessibleCloudIds.join(", ")}). ` +
        `Re-run the authorization and pick this site on the consent screen.`,
      { operation: "GET /oauth/token/accessible-resources" },
    );
  }
}

export class CloudIdMismatchError extends AtlassianError {
  declare readonly code: "CLOUD_ID_MISMATCH";
  constructor(readonly site: string, readonly expected: string, readonly actual: string) {
    super(
      "CLOUD_ID_MISMATCH",
      `cloudId: site "${site}" has cloud ID ${actual}, but ${expected} was configured. Remove cloudId to derive it, ` +
        `or correct it (the site may have been migrated or the wrong site named).`,
    );
  }
}

export class ReauthorizationRequiredError extends AtlassianError {
  declare readonly code: "REAUTHORIZATION_REQUIRED";
  constructor(readonly oauthError: string, description: string, grant: "refresh_token" | "authorization_code") {
    super(
      "REAUTHORIZATION_REQUIRED",
      grant === "refresh_token"
        ? `the refresh token was refused (${oauthError}: ${description}). It expired, was rotated out, or its ` +
            `grant was revoked; an admin must authorize again (jira-connector authorize) and supply the new token.`
        : `the authorization code was refused (${oauthError}: ${description}). Codes are single-use, expire quickly ` +
            `and are bound to the redirect URI; start the authorization again.`,
      { status: 403, operation: "POST /oauth/token" },
    );
  }
}

export class InvalidClientCredentialsError extends AtlassianError {
  declare readonly code: "INVALID_CLIENT_CREDENTIALS";
  constructor(readonly oauthError: string, status: number) {
    super(
      "INVALID_CLIENT_CREDENTIALS",
      `Atlassian rejected the OAuth client ID or client secret (${oauthError}). Copy both again from the app's ` +
        `"Settings" page in the Atlassian developer console.`,
      { status, operation: "POST /oauth/token" },
    );
  }
}

export class MissingScopesError extends AtlassianError {
  declare readonly code: "MISSING_SCOPES";
  constructor(readonly missing: string[], operation?: string, credential: "oauth" | "scoped-api-token" = "oauth") {
    const scopes = `${missing.length === 1 ? "scope" : "scopes"} ${missing.join(", ")}${operation ? ` (needed by ${operation})` : ""}`;
    super(
      "MISSING_SCOPES",
      credential === "oauth"
        ? `the OAuth grant lacks ${scopes}. Add ${missing.length === 1 ? "it" : "them"} to the app's permissions in the ` +
            `Atlassian developer console, then authorize again to get a token that carries them.`
        : `the scoped API token lacks ${scopes}. Atlassian cannot add scopes to an existing token: create a new one at ` +
            `https://id.atlassian.com/manage-profile/security/api-tokens ("Create API token with scopes", app Jira) with every scope the connector needs.`,
      { status: operation ? 401 : undefined, operation },
    );
  }
}

export class AccessTokenRejectedError extends AtlassianError {
  declare readonly code: "ACCESS_TOKEN_REJECTED";
  constructor(status: number, operation: string) {
    super(
      "ACCESS_TOKEN_REJECTED",
      `the OAuth access token was rejected (HTTP ${status}); it expired or its refresh token was rotated out. ` +
        `Exchange the current refresh token for a new access token.`,
      { status, operation, retryable: true },
    );
  }
}

export class OrgApiKeyRejectedError extends AtlassianError {
  declare readonly code: "ORG_API_KEY_REJECTED";
  constructor(status: number, operation: string) {
    super(
      "ORG_API_KEY_REJECTED",
      `the organization API key was rejected (HTTP ${status}). Create an API key in Atlassian Administration → ` +
        `Settings → API keys for this organization (not an account API token), check the organization ID, and ` +
        `make sure the key has not expired.`,
      { status, operation },
    );
  }
}

export class ApiTokenRejectedError extends AtlassianError {
  declare readonly code: "API_TOKEN_REJECTED";
  constructor(status: number, operation: string, detail: string, credential: "api-token" | "scoped-api-token" = "api-token") {
    super(
      "API_TOKEN_REJECTED",
      credential === "api-token"
        ? `the account email and API token were rejected (HTTP ${status}: ${detail}). Check the email, create a new ` +
            `API token at https://id.atlassian.com/manage-profile/security/api-tokens (an unscoped one for the site URL), ` +
            `and make sure it has not expired.`
        : `the email and scoped API token were rejected through the API gateway (HTTP ${status}: ${detail}): a scoped token ` +
            `always expires (1–365 days) and may have been revoked, and the email must be the account that created it. ` +
            `Create a new scoped token at https://id.atlassian.com/manage-profile/security/api-tokens ("Create API token with ` +
            `scopes", app Jira) and update scopedApiToken (apiToken and expiresAt).`,
      { status, operation },
    );
  }
}

export class NotAdministratorError extends AtlassianError {
  declare readonly code: "NOT_ADMINISTRATOR";
  constructor(operation: string, detail: string) {
    super(
      "NOT_ADMINISTRATOR",
      `the account is not a Jira administrator (${detail}). ${operation} needs the "Administer Jira" global ` +
        `permission: use an admin's credentials or add the account to an admin group.`,
      { status: 403, operation },
    );
  }
}

export class PermissionDeniedError extends AtlassianError {
  declare readonly code: "PERMISSION_DENIED";
  constructor(operation: string, detail: string) {
    super(
      "PERMISSION_DENIED",
      `Jira refused ${operation} (HTTP 403: ${detail}). Grant the account the permission this call needs.`, {
      status: 403,
      operation,
    });
  }
}

export class NotFoundError extends AtlassianError {
  declare readonly code: "NOT_FOUND";
  constructor(operation: string, detail: string) {
    super(
      "NOT_FOUND",
      `${operation} found nothing (HTTP 404: ${detail}).`, { status: 404, operation });
  }
}

export class BadRequestError extends AtlassianError {
  declare readonly code: "BAD_REQUEST";
  constructor(operation: string, status: number, detail: string) {
    super(
      "BAD_REQUEST",
      `Jira rejected the request ${operation} (HTTP ${status}: ${detail}).`, { status, operation });
  }
}

/**
 * Whether a `RateLimit-Reason` names the hourly points quota (refused until the top of the UTC hour) rather than a
 * burst or per-issue limit (seconds). Older names: `jira-cost-based`, `jira-quota-based`.
 */
export function isPointsQuotaReason(reason: string | undefined): boolean {
  return reason !== undefined && (reason.startsWith("jira-quota-") || reason === "jira-cost-based");
}

export class RateLimitedError extends AtlassianError {
  declare readonly code: "RATE_LIMITED";
  /** The hourly points quota stopped us: nothing more is answered before the reset, so a run checkpoints. */
  readonly pointsQuota: boolean;
  constructor(
    operation: string,
    /** How long Atlassian asked us to wait, when it said. */
    readonly retryAfterMs: number | undefined,
    /** `RateLimit-Reason`, e.g. `jira-quota-global-based` (hourly points) or `jira-burst-based`. */
    readonly reason: string | undefined,
  ) {
    super(
      "RATE_LIMITED",
      `Atlassian rate-limited ${operation}${reason ? ` (${reason})` : ""}` +
        `${retryAfterMs !== undefined ? `; retry in ${Math.ceil(retryAfterMs / 1000)} s` : ""}. ` +
        `Retries were exhausted or the wait exceeds the configured maximum; run again later.`,
      { status: 429, operation, retryable: true },
    );
    this.pointsQuota = isPointsQuotaReason(reason);
  }
}

/** A request that got no HTTP answer: where it went and why, so the message can name both. */
export interface NetworkFailure {
  host: string;
  /** `ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`… or `timeout` (our per-attempt timeout). */
  cause: string;
  /** The endpoint override variable that chose the host, with its value (a base URL, never credentials). */
  override?: { variable: string; value: string };
}

const CAUSES: Record<string, string> = {
  ECONNREFUSED: "connection refused: nothing is listening there",
  ENOTFOUND: "the host name does not resolve (DNS)",
  EAI_AGAIN: "DNS lookup failed temporarily",
  ECONNRESET: "the connection was reset",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
};

function networkFailureText(failure: NetworkFailure, detail: string): string {
  const cause = CAUSES[failure.cause] ? `${failure.cause}, ${CAUSES[failure.cause]}` : failure.cause;
  const where = failure.override
    ? ` The host comes from ${failure.override.variable}=${failure.override.value}: check that this server is running and reachable, ` +
      "or unset the variable to use Atlassian's own host."
    : " Check this machine's network, DNS and proxy settings, and https://status.atlassian.com.";
  return `could not reach ${failure.host} (${cause}; ${detail}).${where}`;
}

export class AtlassianUnavailableError extends AtlassianError {
  declare readonly code: "ATLASSIAN_UNAVAILABLE";
  constructor(operation: string, detail: string, status?: number, network?: NetworkFailure) {
    super(
      "ATLASSIAN_UNAVAILABLE",
      network
        ? `Atlassian did not answer ${operation}: ${networkFailureText(network, detail)}`
        : `Atlassian did not answer ${operation} successfully (${detail}) after bounded retries. ` +
            `Check https://status.atlassian.com and try again later.`,
      { status, operation, retryable: true },
    );
  }
}

export class UnexpectedResponseError extends AtlassianError {
  declare readonly code: "UNEXPECTED_RESPONSE";
  constructor(operation: string, detail: string, status?: number) {
    super(
      "UNEXPECTED_RESPONSE",
      `Atlassian answered ${operation} with an unexpected response (${detail}).`, { status, operation });
  }
}

/*
 * Bounds (README "Bounds"): whatever a server answers, a run's work and memory stay bounded. Each of these ends one
 * listing; the collector keeps what was read and marks the run partial with the message as its reason.
 */

/** A listing reached one of the connector's per-listing bounds (items, pages): it was stopped there. */
export class ListingBoundError extends AtlassianError {
  declare readonly code: "LISTING_BOUND";
  constructor(operation: string, readonly bound: string, readonly limit: number, detail: string) {
    super(
      "LISTING_BOUND",
      `${operation}: ${detail}, beyond the bound ${bound} = ${limit}; the listing was stopped there and the data is ` +
        `partial. No real Jira Cloud site is that large: check the site, or raise ${bound} if it really is.`,
      { operation },
    );
  }
}

/** A listing stopped making progress (a repeated cursor, empty pages that still name a next one). */
export class PaginationStalledError extends AtlassianError {
  declare readonly code: "PAGINATION_STALLED";
  constructor(operation: string, detail: string) {
    super("PAGINATION_STALLED", `${operation}: ${detail}; the listing was stopped there and the data is partial.`, { operation });
  }
}

/** A response body beyond the pipeline's cap: not read further (and never quoted), not retried. */
export class ResponseTooLargeError extends AtlassianError {
  declare readonly code: "RESPONSE_TOO_LARGE";
  constructor(operation: string, readonly maxBytes: number, how: "content-length" | "streamed") {
    super(
      "RESPONSE_TOO_LARGE",
      `${operation}: the response body is larger than the cap of ${maxBytes} bytes (maxResponseBytes)` +
        `${how === "content-length" ? ", by its Content-Length" : ""}; it was not read. No Jira answer is that large: ` +
        `check the site or any proxy in between, or raise maxResponseBytes.`,
      { operation },
    );
  }
}

/** The run's deadline came: no new request starts (the snapshot is then written, partial). */
export class RunDeadlineError extends AtlassianError {
  declare readonly code: "RUN_DEADLINE";
  constructor(operation: string, readonly deadline: number) {
    super(
      "RUN_DEADLINE",
      `${operation}: not started, the run deadline (${new Date(deadline).toISOString()}) was reached; give the run more ` +
        `time (collect --deadline, the Lambda timeout) or run it again.`,
      { operation },
    );
  }
}
