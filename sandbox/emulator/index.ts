/**
 * Atlassian (Jira Cloud) emulator: OAuth 2.0 (3LO) with rotating refresh tokens, the api.atlassian.com gateway
 * with granular scope checks, classic API-token access on the site host, seeded tenant data, rate limits,
 * fault injection and a controllable clock. See CONTRACT.md for the URL layout.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Clock } from "./clock";
import { CredentialStore, resolveExpiry } from "./credentials";
import { Faults } from "./faults";
import { defaultAccount, defaultSites } from "./oauth-routes";
import { OAuthState } from "./oauth-state";
import { RateLimiter } from "./rate-limit";
import { LimitLedger } from "./limit-ledger";
import { DEFAULT_SCOPES, OperationIndex } from "./scopes";
import { generateSite, type SeedUser } from "./seed-data";
import { createServer } from "./server";
import type { ApiTokenInfo, AppOptions, AtlassianEmulator, EmulatedSite, EmulatorOptions, EmulatorState, FamilyInfo, SiteOptions } from "./types";

export { DEFAULT_SCOPES } from "./scopes";
export type { FaultAction, FaultRule } from "./faults";
export type { AuditRecordJson, SeedIssue } from "./seed-activity";
export type { SeedGroup, SeedRole, SeedUser } from "./seed-data";
export { ACTION_SOURCES, latestVisible, PROFILE_SHARES } from "./seed-behaviour";
export type { ActionSource, ActivityTruth, ActivityTruthEntry, ProfileName, SeedComment, SeedHistory, SeedWorklog } from "./seed-behaviour";
export type * from "./types";

/** Jira's embedded-list caps in `search/jql` [A]; tests may change `emulator.modes.embeddedLimits`. */
export const DEFAULT_EMBEDDED_LIMITS = { comment: 20, worklog: 20, changelog: 100 } as const;

export const DEFAULT_APP: AppOptions = {
  clientId: "emulator-client-id",
  clientSecret: "emulator-client-secret",
  redirectUris: ["http://localhost:8080/callback"],
  scopes: DEFAULT_SCOPES,
};

/** `port` (extra, for the CLI) pins the listening port; tests use a random one. */
export async function startAtlassianEmulator(options: EmulatorOptions & { port?: number } = {}): Promise<AtlassianEmulator> {
  const seed = options.seed ?? 1;
  const clock = new Clock(options.startTime);
  const apps = options.apps ?? [DEFAULT_APP];
  if (apps.length === 0) throw new Error("at least one OAuth app is required");
  const state: EmulatorState = {
    seed,
    clock,
    oauth: new OAuthState(),
    apps: new Map(apps.map((a) => [a.clientId, { ...a, redirectUris: [...a.redirectUris], scopes: [...a.scopes] }])),
    sites: new Map(),
    credentials: new CredentialStore(),
    limiter: new RateLimiter(clock, options.burst?.perSecond, options.pointsPerHour ?? 65_000),
    faults: new Faults(),
    modes: { maxResultsCap: {}, usersSearchConflicts: 0, expiredAccessTokenStatus: 401, rateLimitWithoutRetryAfter: false, rateLimitHtmlBody: false, betaHeaders: false, rateLimitEveryNth: null, embeddedLimits: { ...DEFAULT_EMBEDDED_LIMITS } },
    limitLedger: new LimitLedger(() => clock.monotonic()),
    jiraRequests: 0,
    ops: new OperationIndex(),
    consent: { decision: "allow" },
    requests: [],
    latencyMs: options.latencyMs ?? 0,
    mounts: new Map(),
    origin: "",
  };
  const orgKeys = new Map<string, string>();
  // Seeded times are relative to the exact start time (not to "now" a few ms later), so a seed is reproducible.
  const start = options.startTime === undefined ? clock.now() : new Date(options.startTime).getTime();
  for (const siteOptions of options.sites ?? [{ name: "acme" }]) addSite(state, siteOptions, start, orgKeys);

  const server = createServer(state);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;
  const authUrl = `${state.origin}/auth`;
  const apiUrl = `${state.origin}/api`;
  const siteUrl = `${state.origin}/site/{site}`;

  const site = (name: string): EmulatedSite => {
    const found = state.sites.get(name.toLowerCase());
    if (!found) throw new Error(`unknown emulated site: ${name}`);
    return found;
  };
  const app = (clientId?: string): AppOptions => {
    const found = clientId === undefined ? state.apps.values().next().value : state.apps.get(clientId);
    if (!found) throw new Error(`unknown OAuth app: ${clientId}`);
    return found;
  };

  return {
    url: state.origin,
    authUrl,
    apiUrl,
    siteUrl,
    env: { JIRA_CONNECTOR_AUTH_URL: authUrl, JIRA_CONNECTOR_API_URL: apiUrl, JIRA_CONNECTOR_SITE_URL: siteUrl },
    clock,
    site,
    setCloudId: (name, cloudId) => void (site(name).cloudId = cloudId),
    removeSite: (name) => void state.sites.delete(site(name).name),
    app,
    grant: (opts = {}) => {
      const client = app(opts.clientId);
      const pair = state.oauth.createFamily(
        client.clientId,
        opts.accountId ?? defaultAccount(state),
        opts.scopes ?? client.scopes,
        opts.sites ?? defaultSites(state),
        clock.now(),
      );
      // [A] without offline_access there is no refresh token; "" keeps the return type simple.
      return { refreshToken: pair.refreshToken ?? "", accessToken: pair.accessToken, familyId: pair.familyId };
    },
    family: (idOrToken): FamilyInfo | undefined => {
      const f = state.oauth.family(idOrToken);
      if (!f) return undefined;
      return { id: f.id, createdAt: f.createdAt, revoked: f.revoked, ...(f.revokedReason ? { revokedReason: f.revokedReason } : {}), rotations: f.rotations, currentRefreshToken: f.current ?? "" };
    },
    setConsent: (behaviour) => void Object.assign(state.consent, behaviour, { decision: behaviour.decision ?? state.consent.decision }),
    createApiToken: (name, opts) => {
      const s = site(name);
      const user = findUser(s, opts.accountId, opts.email);
      const now = clock.now();
      const expiresAt = resolveExpiry(now, opts, opts.scopes !== undefined);
      return state.credentials.create({ site: s.name, accountId: user.accountId, scopes: opts.scopes, createdAt: now, ...(expiresAt !== undefined ? { expiresAt } : {}) });
    },
    pointsQuota: (clientId) => ({ ...state.limiter.quota(app(clientId).clientId) }),
    revokeGrant: (idOrToken) => {
      if (!state.oauth.revokeFamily(idOrToken)) throw new Error("unknown OAuth grant");
    },
    revokeApiToken: (token) => {
      if (!state.credentials.revoke(token, clock.now())) throw new Error("unknown API token");
    },
    apiTokenInfo: (token): ApiTokenInfo | undefined => {
      const r = state.credentials.lookup(token);
      if (!r) return undefined;
      return {
        kind: r.scopes ? "scoped" : "classic",
        site: r.site,
        accountId: r.accountId,
        ...(r.scopes ? { scopes: [...r.scopes] } : {}),
        createdAt: r.createdAt,
        ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}),
        revoked: r.revokedAt !== undefined,
        ...(r.revokedAt !== undefined ? { revokedAt: r.revokedAt } : {}),
        active: state.credentials.active(token, clock.now()) !== undefined,
      };
    },
    requests: state.requests,
    clearRequests: () => void state.requests.splice(0),
    faults: { add: (rule) => state.faults.add(rule), clear: () => state.faults.clear() },
    modes: state.modes,
    limitLedger: state.limitLedger,
    mount: (prefix, handler) => void state.mounts.set(prefix, handler),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function addSite(state: EmulatorState, options: SiteOptions, now: number, orgKeys: Map<string, string>): void {
  const name = options.name.toLowerCase();
  if (state.sites.has(name)) throw new Error(`duplicate site: ${name}`);
  const data = generateSite(state.seed, { ...options, name }, now);
  const credentialsOf = (user: SeedUser) => ({
    accountId: user.accountId,
    email: user.email!,
    // [A] seeded classic tokens have no expiry (as if created before Atlassian's cut-over).
    apiToken: state.credentials.create({ site: name, accountId: user.accountId, createdAt: now }),
  });
  // One API key per organisation (sites of one org share it).
  const orgApiKey = orgKeys.get(data.orgId) ?? `orgkey-${randomBytes(24).toString("base64url")}`;
  orgKeys.set(data.orgId, orgApiKey);
  state.sites.set(name, Object.assign(data, { admin: credentialsOf(data.users[0]), member: credentialsOf(data.users[1]), orgApiKey, activityTruth: () => data.activity.truth }));
}

function findUser(site: EmulatedSite, accountId?: string, email?: string): SeedUser {
  if (!accountId && !email) return site.users[0];
  const user = accountId ? site.usersById.get(accountId) : site.users.find((u) => u.email?.toLowerCase() === email!.toLowerCase());
  if (!user) throw new Error(`no user ${accountId ?? email} on site ${site.name}`);
  return user;
}
