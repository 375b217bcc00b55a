/** Public option and handle types of the emulator, plus the internal state shared by the route modules. */
import type { Clock, EmulatorClock } from "./clock";
import type { CredentialStore } from "./credentials";
import type { FaultRule, Faults, HostName } from "./faults";
import type { OAuthState } from "./oauth-state";
import type { RateLimiter } from "./rate-limit";
import type { LimitLedger } from "./limit-ledger";
import type { OperationIndex } from "./scopes";
import type { ActivityTruth } from "./seed-behaviour";
import type { SiteData, SiteSeedOptions } from "./seed-data";

export type SiteOptions = SiteSeedOptions;

export interface AppOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  scopes: string[];
}

export interface EmulatorOptions {
  /** PRNG seed (default 1): all seeded data is a pure function of (seed, site options, startTime). */
  seed?: number;
  sites?: SiteOptions[];
  apps?: AppOptions[];
  startTime?: number | Date;
  burst?: { perSecond?: number };
  pointsPerHour?: number;
  latencyMs?: number;
}

export interface AccountCredentials {
  accountId: string;
  email: string;
  /** Classic (unscoped) API token: works on the site host. */
  apiToken: string;
}

export interface EmulatedSite extends SiteData {
  /** Site admin (member of `site-admins` and `jira-admins`). */
  admin: AccountCredentials;
  /** Ordinary licensed user without admin rights. */
  member: AccountCredentials;
  orgApiKey: string;
  /**
   * Ground truth of seeded activity per account (every user of the site): behaviour profile, latest action per
   * source, and the org last-active dates per product held. Computed once from the seeded data; do not mutate.
   */
  activityTruth(): ActivityTruth;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  host: HostName;
  site?: string;
  /** Without the virtual-host prefix and without the query. */
  path: string;
  query: Record<string, string>;
  auth: "none" | "bearer" | "basic";
  status: number;
  grantType?: string;
}

export interface Modes {
  /** Path → silent cap on `maxResults` (or `limit`). */
  maxResultsCap: Record<string, number>;
  /** The next N `users/search` (and `users`) calls answer 409. */
  usersSearchConflicts: number;
  expiredAccessTokenStatus: 401 | 403 | 404;
  rateLimitWithoutRetryAfter: boolean;
  rateLimitHtmlBody: boolean;
  betaHeaders: boolean;
  /**
   * Every `every`-th Jira REST request (counted across routes) answers a burst 429 — with `Retry-After` of
   * `retryAfterSeconds`, or without any wait when null — and successful responses carry no rate-limit headers, so a
   * client cannot pace from them and only learns of the limit from the 429s. `limitLedger` records what follows.
   */
  rateLimitEveryNth: { every: number; retryAfterSeconds: number | null } | null;
  /**
   * [A] How many comments / worklogs / changelog histories `search/jql` embeds per issue (Jira: 20 / 20 / the 100
   * most recent). Lists longer than this are truncated; `total` keeps the real count.
   */
  embeddedLimits: { comment: number; worklog: number; changelog: number };
}

export interface ConsentBehaviour {
  decision: "allow" | "deny";
  accountId?: string;
  sites?: string[];
}

export interface FamilyInfo {
  id: string;
  createdAt: number;
  revoked: boolean;
  revokedReason?: string;
  rotations: number;
  currentRefreshToken: string;
}

export interface CreateApiTokenOptions {
  accountId?: string;
  email?: string;
  /** Granular or classic scopes: makes a scoped token. */
  scopes?: string[];
  /** Absolute expiry (emulator-clock ms or Date), 1–365 days from now. */
  expiresAt?: number | Date;
  /** Expiry in whole days from now, 1–365. */
  expiresInDays?: number;
}

export interface ApiTokenInfo {
  kind: "classic" | "scoped";
  site: string;
  accountId: string;
  /** Scoped tokens only. */
  scopes?: string[];
  /** Emulator-clock ms. */
  createdAt: number;
  /** Emulator-clock ms from which the token is refused; absent for a classic token without expiry. */
  expiresAt?: number;
  revoked: boolean;
  revokedAt?: number;
  /** Usable at the emulator clock's current time (not revoked, not expired). */
  active: boolean;
}

export interface AtlassianEmulator {
  url: string;
  authUrl: string;
  apiUrl: string;
  siteUrl: string;
  env: Record<"JIRA_CONNECTOR_AUTH_URL" | "JIRA_CONNECTOR_API_URL" | "JIRA_CONNECTOR_SITE_URL", string>;
  clock: EmulatorClock;
  site(name: string): EmulatedSite;
  setCloudId(site: string, cloudId: string): void;
  removeSite(site: string): void;
  app(clientId?: string): AppOptions;
  grant(opts?: { clientId?: string; accountId?: string; scopes?: string[]; sites?: string[] }): { refreshToken: string; accessToken: string; familyId: string };
  family(familyIdOrRefreshToken: string): FamilyInfo | undefined;
  setConsent(behaviour: { decision?: "allow" | "deny"; accountId?: string; sites?: string[] }): void;
  /**
   * A new API token of a seeded user (default: the site's first user). With `scopes`: a scoped token (gateway
   * only), always expiring — default 365 days from the emulator clock. Without: a classic token (site host only),
   * expiring only when asked. `expiresAt` (absolute) or `expiresInDays` (integer) must lie 1–365 days from now,
   * else this throws, as Atlassian's dialog refuses.
   */
  createApiToken(site: string, opts: CreateApiTokenOptions): string;
  /** Revokes an OAuth grant (by family ID or any of its refresh tokens), as a user removing the app. Throws when unknown. */
  revokeGrant(familyIdOrRefreshToken: string): void;
  /** Revokes a token (seeded ones included): refused from now on like an expired one. Throws for an unknown token. */
  revokeApiToken(token: string): void;
  /** A token's metadata, or undefined for a token the emulator never issued. */
  apiTokenInfo(token: string): ApiTokenInfo | undefined;
  /** The OAuth app's hourly points quota now (default app): what tests compare a collection's own tally with. */
  pointsQuota(clientId?: string): { limit: number; remaining: number; resetAt: number };
  requests: RequestLogEntry[];
  clearRequests(): void;
  faults: { add(rule: FaultRule): void; clear(): void };
  modes: Modes;
  /** Requests that arrived while a 429 the emulator sent was still in force (limit-ledger.ts). */
  limitLedger: LimitLedger;
  /** Serves paths under `prefix` (e.g. `/_sandbox/`) with `handler` instead of the emulated hosts; not logged in `requests`. */
  mount(prefix: string, handler: MountedHandler): void;
  close(): Promise<void>;
}

export type MountedHandler = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>;

/** Everything the route modules need; owned by index.ts. */
export interface EmulatorState {
  seed: number;
  clock: Clock;
  oauth: OAuthState;
  apps: Map<string, AppOptions>;
  sites: Map<string, EmulatedSite>;
  credentials: CredentialStore;
  limiter: RateLimiter;
  faults: Faults;
  modes: Modes;
  limitLedger: LimitLedger;
  /** Jira REST requests seen, for `modes.rateLimitEveryNth`. */
  jiraRequests: number;
  ops: OperationIndex;
  consent: ConsentBehaviour;
  requests: RequestLogEntry[];
  latencyMs: number;
  /** Extra handlers by path prefix (the sandbox's admin controls). */
  mounts: Map<string, MountedHandler>;
  /** `http://127.0.0.1:PORT`, known once listening. */
  origin: string;
}

export function siteBase(state: EmulatorState, site: string): string {
  return `${state.origin}/site/${site}`;
}

export function gatewayBase(state: EmulatorState, cloudId: string): string {
  return `${state.origin}/api/ex/jira/${cloudId}`;
}

export function siteByCloudId(state: EmulatorState, cloudId: string): EmulatedSite | undefined {
  for (const site of state.sites.values()) if (site.cloudId === cloudId) return site;
  return undefined;
}
