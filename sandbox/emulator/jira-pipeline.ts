/**
 * The path of a Jira REST call on either host: authentication (site host: classic API token; gateway: 3LO
 * bearer or scoped API token), granular scope check, points quota, burst bucket, handler, rate headers.
 */
import type { Credentials } from "./credentials";
import { errorCollection, HttpError, json, type Reply } from "./http-util";
import type { JiraRequest } from "./jira-context";
import { ANONYMOUS_TEMPLATES, JIRA_ROUTES } from "./jira-routes";
import { normalRateHeaders, pointsCost, rateLimitedReply } from "./rate-limit";
import { missingScopes, type OperationInfo } from "./scopes";
import type { SeedUser } from "./seed-data";
import { gatewayBase, siteBase, siteByCloudId, type EmulatedSite, type EmulatorState } from "./types";

interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  creds: Credentials;
  /** Raw request body ("" for GET). */
  body: string;
}

/**
 * The seeded user behind a Basic header, when the token exists, is neither expired nor revoked, is theirs, and they
 * are active. An expired or revoked token is refused exactly like an unknown one on either host: Atlassian documents
 * no distinct answer (expired classic tokens observed on the site host: the Seraph 401 with
 * `X-Seraph-LoginReason: AUTHENTICATED_FAILED`, MrRefactoring/jira.js#418; gateway body [A]).
 */
function tokenUser(state: EmulatorState, creds: Credentials) {
  if (creds.kind !== "basic") return undefined;
  const record = state.credentials.active(creds.secret, state.clock.now());
  const user = record && state.sites.get(record.site)?.usersById.get(record.accountId);
  if (!record || !user || !user.active || user.email?.toLowerCase() !== creds.email.toLowerCase()) return undefined;
  return { record, user };
}

function seraph401(state: EmulatorState, site: EmulatedSite): Reply {
  return json(401, { message: "Client must be authenticated to access this resource.", "status-code": 401 }, {
    "WWW-Authenticate": `OAuth realm="${encodeURIComponent(siteBase(state, site.name))}"`,
    "X-Seraph-LoginReason": "AUTHENTICATED_FAILED",
  });
}

const gateway401 = () => json(401, { code: 401, message: "Unauthorized" });

/** [A] bodies for the field-reported 403/404 variants of an expired token. */
function expiredToken(status: 401 | 403 | 404): Reply {
  const message = status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : "Not Found";
  return json(status, { code: status, message });
}

/** `https://{site}.atlassian.net/rest/...`: classic (unscoped) API tokens only; bearer and scoped tokens get 401. */
export function siteRest(state: EmulatorState, site: EmulatedSite, call: Call): Reply {
  const op = state.ops.match(call.method, call.path);
  if (call.creds.kind === "none" && op && ANONYMOUS_TEMPLATES.has(op.template)) {
    return run(state, site, siteBase(state, site.name), undefined, undefined, op, call);
  }
  const found = tokenUser(state, call.creds);
  // A scoped token on the site host: Atlassian's KB ("401 Unauthorized error when service account accesses Jira or
  // Confluence API") says 401 "or the response indicates permission issues"; the emulator always answers the
  // Seraph 401 [A] (the 404 "Issue does not exist or you do not have permission" variant is not emulated).
  if (!found || found.record.scopes || found.record.site !== site.name) return seraph401(state, site);
  return run(state, site, siteBase(state, site.name), found.user, undefined, op, call);
}

/** `https://api.atlassian.com/ex/jira/{cloudId}/rest/...`. */
export function gatewayRest(state: EmulatorState, cloudId: string, call: Call): Reply {
  const site = siteByCloudId(state, cloudId);
  let principal: SeedUser | undefined;
  let granted: Set<string>;
  let quotaClient: string | undefined;
  if (call.creds.kind === "bearer") {
    const access = state.oauth.validateAccess(call.creds.token, state.clock.now());
    if (!access.ok) return expiredToken(state.modes.expiredAccessTokenStatus);
    if (!site) return json(404, { code: 404, message: "Not Found" }); // [A] unknown cloud ID
    // [A] a cloud ID outside the grant's sites is a 401, as if the token did not cover it.
    if (!access.sites.includes(site.name)) return gateway401();
    principal = site.usersById.get(access.family.accountId);
    granted = new Set(access.family.scopes);
    quotaClient = access.family.clientId;
  } else {
    const found = tokenUser(state, call.creds);
    // [A] a classic token on the gateway, and an expired or revoked scoped token, are refused like a bad one.
    if (!found || !found.record.scopes) return gateway401();
    if (!site) return json(404, { code: 404, message: "Not Found" });
    if (found.record.site !== site.name) return gateway401();
    principal = found.user;
    granted = new Set(found.record.scopes);
  }
  if (!principal || !principal.active) return gateway401();
  const op = state.ops.match(call.method, call.path);
  if (op && missingScopes(op, granted).length > 0) {
    return json(401, { code: 401, message: "Unauthorized; scope does not match" }, { "X-Failure-Category": "FAILURE_CLIENT_SCOPE_CHECK" });
  }
  return run(state, site, gatewayBase(state, site.cloudId), principal, quotaClient, op, call);
}

function run(
  state: EmulatorState,
  site: EmulatedSite,
  base: string,
  principal: SeedUser | undefined,
  quotaClient: string | undefined,
  op: OperationInfo | undefined,
  call: Call,
): Reply {
  const { limiter, modes } = state;
  const now = state.clock.now();
  if (quotaClient) {
    const quota = limiter.quota(quotaClient);
    if (quota.remaining <= 0) {
      // Exhausted quota refuses everything until the top of the UTC hour; no gradual throttling.
      const retryAfterSeconds = Math.max(1, Math.ceil((quota.resetAt - now) / 1000));
      return rateLimitedReply({ reason: "jira-quota-global-based", retryAfterSeconds, limit: quota.limit, resetAt: quota.resetAt }, modes);
    }
  }
  state.jiraRequests++;
  const nth = modes.rateLimitEveryNth;
  if (nth && nth.every > 0 && state.jiraRequests % nth.every === 0) {
    const waitMs = (nth.retryAfterSeconds ?? 1) * 1000;
    return rateLimitedReply({ reason: "jira-burst-based", retryAfterSeconds: nth.retryAfterSeconds, limit: 100, resetAt: now + waitMs }, modes);
  }
  const burst = limiter.burst(site.name, op?.template ?? call.path, call.method);
  if (!burst.ok) {
    const retryAfterSeconds = Math.max(1, Math.ceil(burst.retryAfterMs / 1000));
    return rateLimitedReply({ reason: "jira-burst-based", retryAfterSeconds, limit: burst.limit, resetAt: now + burst.retryAfterMs }, modes);
  }

  const handler = op ? JIRA_ROUTES[`${call.method} ${op.template}`] : undefined;
  let reply: Reply;
  let core = 0;
  let identity = 0;
  if (!handler) {
    // [A] unknown resources (and operations the emulator does not implement) → 404 ErrorCollection.
    reply = errorCollection(404, [op ? `The Atlassian emulator does not implement ${call.method} ${op.template}.` : `null for uri: ${base}${call.path}`]);
  } else {
    const req: JiraRequest = { site, principal, base, siteUrl: siteBase(state, site.name), path: call.path, query: call.query, params: op!.params, now, modes, body: call.body };
    try {
      const result = handler(req);
      reply = json(result.status ?? 200, result.body);
      core = result.core ?? 0;
      identity = result.identity ?? 0;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      reply = error.reply;
    }
  }

  let rate = { limit: burst.limit, remaining: burst.remaining, quota: false, resetAt: undefined as number | undefined };
  if (quotaClient) {
    limiter.charge(quotaClient, pointsCost(core, identity));
    rate = { ...limiter.quota(quotaClient), quota: true };
  }
  // The every-Nth mode hides the bucket: the client must learn the limit from the 429s alone.
  if (!nth) Object.assign(reply.headers, normalRateHeaders(rate, modes, now));
  return reply;
}
