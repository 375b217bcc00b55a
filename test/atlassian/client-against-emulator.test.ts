import {
  AccessTokenRejectedError,
  ApiTokenRejectedError,
  assertSiteAccessible,
  AtlassianClient,
  AtlassianUnavailableError,
  BadRequestError,
  CloudIdMismatchError,
  collectItems,
  DEFAULT_REQUIRED_SCOPES,
  generateOAuthState,
  getApplicationRoles,
  getApproximateLicenseCount,
  getInstanceLicense,
  getMyPermissions,
  getMyself,
  InvalidClientCredentialsError,
  MissingScopesError,
  missingScopes,
  NotAdministratorError,
  NotFoundError,
  RateLimitedError,
  ReauthorizationRequiredError,
  searchUsers,
  SiteNotAccessibleError,
  SiteNotFoundError,
  UnexpectedResponseError,
} from "../../atlassian";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { consentAsBrowser } from "../support/browser";

/** Every error class, produced by a real HTTP exchange with the emulator. */

let emulator: AtlassianEmulator;
let atlassian: AtlassianClient;

beforeAll(async () => {
  emulator = await startAtlassianEmulator({ sites: [{ name: "acme" }, { name: "globex" }] });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.faults.clear();
  atlassian = new AtlassianClient({ env: emulator.env, retry: { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 } });
});

const app = () => emulator.app();
const acme = () => emulator.site("acme");

describe("tenant_info", () => {
  test("derives the cloud ID from any accepted site form", async () => {
    await expect(atlassian.cloudId("https://acme.atlassian.net/")).resolves.toBe(acme().cloudId);
  });
  test("unknown site → SiteNotFoundError", async () => {
    await expect(atlassian.cloudId("nosuchsite")).rejects.toThrow(SiteNotFoundError);
  });
  test("configured cloud ID differs → CloudIdMismatchError naming both", async () => {
    const other = emulator.site("globex").cloudId;
    const error = await atlassian.cloudId("acme", { expected: other }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudIdMismatchError);
    expect(error).toMatchObject({ expected: other, actual: acme().cloudId });
  });
  test("malformed JSON → SiteNotFoundError, not a crash", async () => {
    emulator.faults.add({ match: { path: "/_edge/tenant_info" }, action: { kind: "malformed-json" } });
    await expect(atlassian.cloudId("acme")).rejects.toThrow(SiteNotFoundError);
  });
});

describe("OAuth", () => {
  test("consent → code → tokens carrying the 13 scopes + offline_access; code reuse is refused", async () => {
    const state = generateOAuthState();
    const redirectUri = app().redirectUris[0];
    const url = atlassian.oauth.authorizationUrl({ clientId: app().clientId, redirectUri, state });
    expect(url).toContain("audience=api.atlassian.com");
    expect(url).toContain("prompt=consent");
    const { params } = await consentAsBrowser(url);
    expect(params.get("state")).toBe(state);
    const code = params.get("code")!;
    const tokens = await atlassian.oauth.exchangeCode({ ...app(), code, redirectUri });
    expect(missingScopes(DEFAULT_REQUIRED_SCOPES, tokens.grantedScopes)).toEqual([]);
    expect(tokens.expiresInSeconds).toBe(3600);
    await expect(atlassian.oauth.exchangeCode({ ...app(), code, redirectUri })).rejects.toThrow(ReauthorizationRequiredError);
  });

  test("refresh rotates the token; the old one dies after the leeway and takes the family with it", async () => {
    const { refreshToken } = emulator.grant();
    const first = await atlassian.oauth.refresh({ ...app(), refreshToken });
    expect(first.refreshToken).not.toBe(refreshToken);
    expect(first.refreshTokenRotated).toBe(true);
    emulator.clock.advance(11 * 60 * 1000);
    const reused = await atlassian.oauth.refresh({ ...app(), refreshToken }).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(ReauthorizationRequiredError);
    expect((reused as ReauthorizationRequiredError).oauthError).toBe("invalid_grant");
    await expect(atlassian.oauth.refresh({ ...app(), refreshToken: first.refreshToken })).rejects.toThrow(
      ReauthorizationRequiredError,
    );
  });

  test("a refresh response without refresh_token keeps the presented token", async () => {
    const { refreshToken } = emulator.grant();
    emulator.faults.add({ match: { path: "/oauth/token" }, action: { kind: "omit-refresh-token" } });
    const tokens = await atlassian.oauth.refresh({ ...app(), refreshToken });
    expect(tokens).toMatchObject({ refreshToken, refreshTokenRotated: false });
  });

  test("wrong client secret → InvalidClientCredentialsError", async () => {
    const { refreshToken } = emulator.grant();
    await expect(
      atlassian.oauth.refresh({ clientId: app().clientId, clientSecret: "wrong-secret-value", refreshToken }),
    ).rejects.toThrow(InvalidClientCredentialsError);
  });

  test("unknown refresh token → ReauthorizationRequiredError", async () => {
    await expect(atlassian.oauth.refresh({ ...app(), refreshToken: "not-a-real-refresh-token" })).rejects.toThrow(
      ReauthorizationRequiredError,
    );
  });

  test("accessible-resources lists the grant's sites; another site → SiteNotAccessibleError", async () => {
    const { refreshToken } = emulator.grant({ sites: ["acme"] });
    const tokens = await atlassian.oauth.refresh({ ...app(), refreshToken });
    const resources = await atlassian.oauth.accessibleResources(tokens.accessToken);
    expect(assertSiteAccessible(resources, acme().cloudId).id).toBe(acme().cloudId);
    expect(() => assertSiteAccessible(resources, emulator.site("globex").cloudId)).toThrow(SiteNotAccessibleError);
  });
});

describe("Jira REST through the gateway (OAuth) and the site (API token)", () => {
  async function oauthJira(scopes?: string[]) {
    const { refreshToken } = emulator.grant(scopes ? { scopes } : {});
    const tokens = await atlassian.oauth.refresh({ ...app(), refreshToken });
    return atlassian.jira({ kind: "oauth", cloudId: acme().cloudId, accessToken: tokens.accessToken, grantedScopes: tokens.grantedScopes });
  }
  const adminToken = () => atlassian.jira({ kind: "api-token", site: "acme", ...credentials(acme().admin) });
  const memberToken = () => atlassian.jira({ kind: "api-token", site: "acme", ...credentials(acme().member) });
  const credentials = (c: { email: string; apiToken: string }) => ({ email: c.email, apiToken: c.apiToken });

  test("seat data reads both ways", async () => {
    for (const jira of [await oauthJira(), adminToken()]) {
      const roles = await getApplicationRoles(jira);
      expect(roles.map((r) => r.key)).toEqual(acme().applicationRoles.map((r: { key: string }) => r.key));
      expect((await getInstanceLicense(jira)).applications.length).toBeGreaterThan(0);
      expect(typeof (await getApproximateLicenseCount(jira, "jira-software"))).toBe("number");
    }
    expect(await getMyPermissions(adminToken(), ["ADMINISTER"])).toEqual({ ADMINISTER: true });
    expect(await getMyPermissions(memberToken(), ["ADMINISTER"])).toEqual({ ADMINISTER: false });
  });

  test("a grant lacking a scope → MissingScopesError listing exactly the missing ones", async () => {
    const jira = await oauthJira(DEFAULT_REQUIRED_SCOPES.filter((s) => s !== "read:user:jira" && s !== "read:avatar:jira"));
    const error = await collectItems(searchUsers(jira)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingScopesError);
    expect((error as MissingScopesError).missing).toEqual(["read:user:jira", "read:avatar:jira"]);
  });

  test("expired access token → AccessTokenRejectedError", async () => {
    const jira = await oauthJira();
    emulator.clock.advance(3601 * 1000);
    await expect(getMyself(jira)).rejects.toThrow(AccessTokenRejectedError);
  });

  test("bad API token → ApiTokenRejectedError", async () => {
    const jira = atlassian.jira({ kind: "api-token", site: "acme", email: acme().admin.email, apiToken: "wrong-api-token-value" });
    await expect(getMyself(jira)).rejects.toThrow(ApiTokenRejectedError);
  });

  test("non-admin on an admin-only endpoint → NotAdministratorError", async () => {
    await expect(getApplicationRoles(memberToken())).rejects.toThrow(NotAdministratorError);
    await expect(getApproximateLicenseCount(memberToken())).rejects.toThrow(NotAdministratorError);
  });

  test("unknown application role → NotFoundError; bad parameters → BadRequestError", async () => {
    const { getApplicationRole } = await import("../../atlassian");
    await expect(getApplicationRole(adminToken(), "no-such-role")).rejects.toThrow(NotFoundError);
    await expect(getMyPermissions(adminToken(), [])).rejects.toThrow(BadRequestError);
  });

  test("rate limit beyond the maximum wait → RateLimitedError with Atlassian's reason", async () => {
    emulator.faults.add({
      match: { path: "/rest/api/3/myself" },
      action: { kind: "rate-limit", retryAfterSeconds: 1800, reason: "jira-quota-global-based" },
    });
    const error = await getMyself(adminToken()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 1_800_000, reason: "jira-quota-global-based" });
  });

  test("429 with and without Retry-After, then success", async () => {
    emulator.faults.add({ match: { path: "/rest/api/3/myself" }, action: { kind: "rate-limit", retryAfterSeconds: 0 } });
    emulator.faults.add({ match: { path: "/rest/api/3/myself" }, action: { kind: "rate-limit", retryAfterSeconds: null } });
    await expect(getMyself(adminToken())).resolves.toMatchObject({ accountId: acme().admin.accountId });
    expect(atlassian.stats).toMatchObject({ rateLimited: 2, retries: 2 });
  });

  test("5xx then success; persistent 5xx → AtlassianUnavailableError", async () => {
    emulator.faults.add({ match: { path: "/rest/api/3/myself" }, action: { kind: "status", status: 503 } });
    await expect(getMyself(adminToken())).resolves.toBeDefined();
    emulator.faults.add({ match: { path: "/rest/api/3/myself" }, times: Infinity, action: { kind: "status", status: 500 } });
    await expect(getMyself(adminToken())).rejects.toThrow(AtlassianUnavailableError);
  });

  test("a hung response times out and the retry succeeds", async () => {
    atlassian = new AtlassianClient({ env: emulator.env, retry: { baseDelayMs: 1, timeoutMs: 300 } });
    emulator.faults.add({ match: { path: "/rest/api/3/myself" }, action: { kind: "hang" } });
    await expect(getMyself(adminToken())).resolves.toBeDefined();
    expect(atlassian.stats.timeouts).toBe(1);
  });

  test("malformed JSON → UnexpectedResponseError", async () => {
    emulator.faults.add({ match: { path: "/rest/api/3/applicationrole" }, action: { kind: "malformed-json" } });
    await expect(getApplicationRoles(adminToken())).rejects.toThrow(UnexpectedResponseError);
  });
});
