import { checkConnectionInputs } from "../../providers/jira-connection/check";
import { parseIsoDate } from "../../providers/jira-connection/check-auth";
import { changedProperties, diffConnection } from "../../providers/jira-connection/diff";
import { fingerprintsOf } from "../../providers/jira-connection/fingerprint";
import { type ConnectionOutputs, UNKNOWN } from "../../providers/jira-connection/inputs";
import { requiredConnectorScopes } from "../../atlassian/scope-probes";

/** check and diff for the scoped-API-token method, and every bad combination of the two methods' inputs. Pure. */

const NOW = new Date("2026-11-28T12:00:00Z");
const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jira/acme/refresh-token-AbCdEf";
const CLOUD = "94edd5e5-d480-4ed6-ac74-50e2a79f77cd";
const OAUTH = { clientId: "client-id-1", clientSecret: "client-secret-value-1", refreshToken: "refresh-token-value-1" };
const LICENSE = { email: "admin@acme.example", apiToken: "api-token-value-1" };
const scoped = () => ({
  site: "acme",
  scopedApiToken: { email: "admin@acme.example", apiToken: "scoped-token-value-1", expiresAt: "2027-06-30" },
});
const failuresOf = (news: Record<string, unknown>) => checkConnectionInputs(news, NOW).failures;

describe("check: scoped API token", () => {
  test("valid: the connector's probed scopes are its required scopes; no token store, no license", () => {
    const { inputs, failures } = checkConnectionInputs(scoped(), NOW);
    expect(failures).toEqual([]);
    expect(inputs.requiredScopes).toEqual(requiredConnectorScopes());
    expect(inputs).not.toHaveProperty("tokenStore");
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ["both methods", { ...scoped(), oauth: OAUTH, tokenStore: { secretArn: ARN } }, "scopedApiToken", /exactly one of oauth and scopedApiToken, not both/],
    ["neither method", { site: "acme" }, "scopedApiToken", /is missing, and so is oauth: set scopedApiToken: \{ email, apiToken, expiresAt \}/],
    ["neither, but a token store (meant OAuth)", { site: "acme", tokenStore: { secretArn: ARN } }, "oauth", /oauth: is missing: set oauth: .* or replace tokenStore with scopedApiToken/],
    ["a token store next to a scoped token", { ...scoped(), tokenStore: { secretArn: ARN } }, "tokenStore", /no refresh token to store; remove tokenStore/],
    ["a license next to a scoped token", { ...scoped(), license: LICENSE }, "license", /not used with scopedApiToken.*remove license/],
    ["requiredScopes next to a scoped token", { ...scoped(), requiredScopes: ["read:user:jira"] }, "requiredScopes", /OAuth grants only/],
    ["not an object", { ...scoped(), scopedApiToken: "ATATT-token" }, "scopedApiToken", /not an object/],
    ["a bad email", { ...scoped(), scopedApiToken: { ...scoped().scopedApiToken, email: "admin" } }, "scopedApiToken.email", /email address of the Atlassian account/],
    ["no token", { ...scoped(), scopedApiToken: { ...scoped().scopedApiToken, apiToken: " " } }, "scopedApiToken.apiToken", /Create API token with scopes/],
    ["a pasted token with a newline", { ...scoped(), scopedApiToken: { ...scoped().scopedApiToken, apiToken: "abc\ndef" } }, "scopedApiToken.apiToken", /whitespace/],
    ["no expiry", { ...scoped(), scopedApiToken: { email: "admin@acme.example", apiToken: "t" } }, "scopedApiToken.expiresAt", /is required: .*Atlassian forces one/],
    ["an impossible date", { ...scoped(), scopedApiToken: { ...scoped().scopedApiToken, expiresAt: "2027-02-30" } }, "scopedApiToken.expiresAt", /calendar date/],
    ["a past expiry", { ...scoped(), scopedApiToken: { ...scoped().scopedApiToken, expiresAt: "2026-11-01" } }, "scopedApiToken.expiresAt", /expired on 2026-11-01/],
    ["an expiry beyond 365 days", { ...scoped(), scopedApiToken: { ...scoped().scopedApiToken, expiresAt: "2028-01-15" } }, "scopedApiToken.expiresAt", /at most 365 days/],
    ["strictScopes not a boolean", { ...scoped(), strictScopes: "yes" }, "strictScopes", /must be true .* or false/],
  ])("%s → one failure on %s", (_name, news, property, reason) => {
    const failures = failuresOf(news);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ property, reason: expect.stringMatching(reason) });
    expect(JSON.stringify(failures)).not.toMatch(/scoped-token-value-1|client-secret-value-1|refresh-token-value-1|api-token-value-1/);
  });

  test("values unknown at preview pass; a number or array as the token is a named failure, not a crash", () => {
    expect(failuresOf({ ...scoped(), scopedApiToken: UNKNOWN })).toEqual([]);
    expect(failuresOf({ ...scoped(), scopedApiToken: { email: UNKNOWN, apiToken: UNKNOWN, expiresAt: UNKNOWN } })).toEqual([]);
    expect(failuresOf({ ...scoped(), scopedApiToken: { ...scoped().scopedApiToken, apiToken: 42 } })[0]?.property).toBe("scopedApiToken.apiToken");
    expect(failuresOf({ ...scoped(), scopedApiToken: [] })[0]?.property).toBe("scopedApiToken");
  });

  test("calendar dates: leap days and times are accepted, impossible ones refused", () => {
    expect(parseIsoDate("2028-02-29")).toBe(Date.UTC(2028, 1, 29));
    expect(parseIsoDate("2027-06-30T12:30:00Z")).toBe(Date.UTC(2027, 5, 30, 12, 30));
    for (const bad of ["2027-02-29", "2027-13-01", "2027-04-31", "2027-06-30T24:00", "30/06/2027", "", 20270630]) expect(parseIsoDate(bad)).toBeNaN();
  });
});

describe("diff: scoped API token", () => {
  const salt = "0011223344556677";
  const scopedState = (): Partial<ConnectionOutputs> => {
    const inputs = checkConnectionInputs(scoped(), NOW).inputs as any;
    return {
      siteName: "acme",
      cloudId: CLOUD,
      authMethod: "scoped-api-token",
      scopedApiTokenEmail: inputs.scopedApiToken.email,
      scopedApiTokenExpiresAt: inputs.scopedApiToken.expiresAt,
      requiredScopes: inputs.requiredScopes,
      fingerprintSalt: salt,
      fingerprints: fingerprintsOf(salt, inputs),
    };
  };
  const news = (mutate: (i: any) => void = () => {}) => {
    const i = scoped() as any;
    mutate(i);
    return checkConnectionInputs(i, NOW).inputs;
  };

  test("unchanged → no update", () => {
    expect(diffConnection(scopedState(), news())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  test.each<[string, (i: any) => void]>([
    ["scopedApiToken.apiToken", (i) => (i.scopedApiToken.apiToken = "scoped-token-value-2")],
    ["scopedApiToken.email", (i) => (i.scopedApiToken.email = "other@acme.example")],
    ["scopedApiToken.expiresAt", (i) => (i.scopedApiToken.expiresAt = "2027-09-30")],
    ["strictScopes", (i) => (i.strictScopes = true)],
  ])("a change of %s updates that property only", (property, mutate) => {
    expect(changedProperties(scopedState(), news(mutate))).toEqual([property]);
    expect(diffConnection(scopedState(), news(mutate)).replaces).toEqual([]);
  });

  test("switching methods is an update (never a replace), in both directions", () => {
    const toOauth = checkConnectionInputs({ site: "acme", oauth: OAUTH, tokenStore: { secretArn: ARN } }, NOW).inputs;
    expect(changedProperties(scopedState(), toOauth).sort()).toEqual(["oauth.clientId", "oauth.clientSecret", "oauth.refreshToken", "requiredScopes", "scopedApiToken", "tokenStore.region", "tokenStore.secretArn"]);
    expect(diffConnection(scopedState(), toOauth)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    const oauthInputs = checkConnectionInputs({ site: "acme", oauth: OAUTH, tokenStore: { secretArn: ARN } }, NOW).inputs as any;
    // State written before scoped tokens existed has no authMethod: it is OAuth.
    const oauthState: Partial<ConnectionOutputs> = {
      siteName: "acme",
      cloudId: CLOUD,
      clientId: OAUTH.clientId,
      requiredScopes: oauthInputs.requiredScopes,
      tokenStore: oauthInputs.tokenStore,
      fingerprintSalt: salt,
      fingerprints: fingerprintsOf(salt, oauthInputs),
    };
    expect(diffConnection(oauthState, oauthInputs).changes).toBe(false);
    expect(changedProperties(oauthState, news()).sort()).toEqual(["oauth", "requiredScopes", "scopedApiToken.apiToken", "scopedApiToken.email", "scopedApiToken.expiresAt", "tokenStore"]);
    expect(diffConnection(oauthState, news())).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
});
