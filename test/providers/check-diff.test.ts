import { checkConnectionInputs } from "../../providers/jira-connection/check";
import { changedProperties, diffConnection } from "../../providers/jira-connection/diff";
import { fingerprintsOf } from "../../providers/jira-connection/fingerprint";
import { type ConnectionOutputs, UNKNOWN } from "../../providers/jira-connection/inputs";
import { DEFAULT_REQUIRED_SCOPES } from "../../atlassian";

const NOW = new Date("2026-11-28T12:00:00Z");
const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jira/acme/refresh-token-AbCdEf";
const CLOUD = "94edd5e5-d480-4ed6-ac74-50e2a79f77cd";
const valid = () => ({
  site: "https://acme.atlassian.net/",
  oauth: { clientId: "client-id-1", clientSecret: "client-secret-value-1", refreshToken: "refresh-token-value-1" },
  license: { email: "admin@acme.example", apiToken: "api-token-value-1", apiTokenExpiresAt: "2027-06-30" },
  tokenStore: { secretArn: ARN },
});

describe("check", () => {
  test("valid inputs normalise: site, default scopes, region from the ARN", () => {
    const { inputs, failures } = checkConnectionInputs(valid(), NOW);
    expect(failures).toEqual([]);
    expect(inputs.site).toBe("acme");
    expect(inputs.requiredScopes).toEqual(DEFAULT_REQUIRED_SCOPES);
    expect(inputs.tokenStore).toEqual({ secretArn: ARN, region: "eu-west-1" });
  });

  test.each<[string, (i: any) => void, string, RegExp]>([
    ["site path", (i) => (i.site = "https://acme.atlassian.net/jira"), "site", /site: use the site name 'acme', not a URL path/],
    ["site other host", (i) => (i.site = "evil.com"), "site", /site: .*not an Atlassian Cloud site/],
    ["cloudId", (i) => (i.cloudId = "not-a-uuid"), "cloudId", /cloudId: must be the site's cloud ID/],
    ["oauth missing", (i) => delete i.oauth, "oauth", /oauth: is missing/],
    ["clientId empty", (i) => (i.oauth.clientId = ""), "oauth.clientId", /oauth.clientId: is missing or empty; copy the Client ID/],
    ["clientSecret spaces", (i) => (i.oauth.clientSecret = "abc def"), "oauth.clientSecret", /whitespace/],
    ["refreshToken a pasted file", (i) => (i.oauth.refreshToken = "x".repeat(9000)), "oauth.refreshToken", /is 9000 characters, more than 8192/],
    ["refreshToken missing", (i) => delete i.oauth.refreshToken, "oauth.refreshToken", /jira-connector authorize/],
    ["email", (i) => (i.license.email = "not-an-email"), "license.email", /license.email: must be the email address/],
    ["apiToken", (i) => (i.license.apiToken = ""), "license.apiToken", /id.atlassian.com/],
    ["expiry format", (i) => (i.license.apiTokenExpiresAt = "next year"), "license.apiTokenExpiresAt", /calendar date/],
    ["expiry past", (i) => (i.license.apiTokenExpiresAt = "2026-01-01"), "license.apiTokenExpiresAt", /expired on 2026-01-01/],
    ["scopes empty", (i) => (i.requiredScopes = []), "requiredScopes", /non-empty list/],
    ["scopes junk", (i) => (i.requiredScopes = ["offline_access", "Bad Scope"]), "requiredScopes", /not scope names: "Bad Scope"/],
    ["no offline_access", (i) => (i.requiredScopes = ["read:user:jira"]), "requiredScopes", /must include offline_access/],
    ["tokenStore missing", (i) => delete i.tokenStore, "tokenStore", /tokenStore: is missing/],
    ["arn", (i) => (i.tokenStore.secretArn = "arn:aws:s3:::bucket"), "tokenStore.secretArn", /Secrets Manager secret ARN/],
    ["region", (i) => (i.tokenStore.region = "Europe"), "tokenStore.region", /AWS region/],
    ["region mismatch", (i) => (i.tokenStore.region = "us-east-1"), "tokenStore.region", /secret ARN is in eu-west-1/],
  ])("rejects %s with a failure naming %s", (_name, mutate, property, reason) => {
    const news = valid();
    mutate(news);
    const { failures } = checkConnectionInputs(news, NOW);
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe(property);
    expect(failures[0].reason).toMatch(reason);
  });

  test("several bad properties → one failure each; no secret value in any reason", () => {
    const { failures } = checkConnectionInputs(
      { site: "a.b", oauth: { clientId: "x", clientSecret: "secret with space", refreshToken: "" }, tokenStore: {} },
      NOW,
    );
    expect(failures.map((f) => f.property)).toEqual(["site", "oauth.clientSecret", "oauth.refreshToken", "tokenStore.secretArn"]);
    expect(JSON.stringify(failures)).not.toContain("secret with space");
  });

  test("unknown values during preview are tolerated", () => {
    const news = {
      site: UNKNOWN,
      cloudId: UNKNOWN,
      oauth: { clientId: UNKNOWN, clientSecret: UNKNOWN, refreshToken: UNKNOWN },
      license: UNKNOWN,
      requiredScopes: UNKNOWN,
      tokenStore: { secretArn: UNKNOWN, region: UNKNOWN },
    };
    expect(checkConnectionInputs(news, NOW).failures).toEqual([]);
    expect(checkConnectionInputs({ ...valid(), tokenStore: UNKNOWN, oauth: UNKNOWN }, NOW).failures).toEqual([]);
  });
});

describe("diff", () => {
  const salt = "0011223344556677";
  const state = (): Partial<ConnectionOutputs> & { __provider: string } => {
    const inputs = checkConnectionInputs(valid(), NOW).inputs as any;
    return {
      __provider: "exports.handler = function () { /* v1 */ }",
      siteName: "acme",
      cloudId: CLOUD,
      clientId: inputs.oauth.clientId,
      licenseEmail: inputs.license.email,
      apiTokenExpiresAt: inputs.license.apiTokenExpiresAt,
      requiredScopes: inputs.requiredScopes,
      tokenStore: inputs.tokenStore,
      fingerprintSalt: salt,
      fingerprints: fingerprintsOf(salt, inputs),
    };
  };
  const news = (mutate: (i: any) => void = () => {}) => {
    const i = valid() as any;
    mutate(i);
    return { ...checkConnectionInputs(i, NOW).inputs, __provider: "exports.handler = function () { /* v2, upgraded */ }" };
  };

  test("nothing changed (and a provider upgrade) → no update", () => {
    expect(diffConnection(state(), news())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  test("an equivalent site spelling or an explicit equal cloudId → no change", () => {
    expect(diffConnection(state(), news((i) => (i.site = "acme.atlassian.net"))).changes).toBe(false);
    expect(diffConnection(state(), news((i) => (i.cloudId = CLOUD.toUpperCase()))).changes).toBe(false);
  });

  test.each<[string, (i: any) => void]>([
    ["site", (i) => (i.site = "globex")],
    ["cloudId", (i) => (i.cloudId = "11111111-2222-3333-4444-555555555555")],
  ])("%s change → replace", (property, mutate) => {
    expect(diffConnection(state(), news(mutate))).toEqual({ changes: true, replaces: [property], deleteBeforeReplace: false });
  });

  test.each<[string, (i: any) => void]>([
    ["oauth.clientId", (i) => (i.oauth.clientId = "client-id-2")],
    ["oauth.clientSecret", (i) => (i.oauth.clientSecret = "client-secret-value-2")],
    ["oauth.refreshToken", (i) => (i.oauth.refreshToken = "refresh-token-value-2")],
    ["license.email", (i) => (i.license.email = "other@acme.example")],
    ["license.apiToken", (i) => (i.license.apiToken = "api-token-value-2")],
    ["license.apiTokenExpiresAt", (i) => (i.license.apiTokenExpiresAt = "2027-12-31")],
    ["license", (i) => delete i.license],
    ["requiredScopes", (i) => (i.requiredScopes = ["offline_access", "read:user:jira"])],
    ["tokenStore.secretArn", (i) => (i.tokenStore.secretArn = ARN.replace("acme", "acme2"))],
  ])("a change of %s updates that property only", (property, mutate) => {
    expect(changedProperties(state(), news(mutate))).toEqual([property]);
    expect(diffConnection(state(), news(mutate))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  test("a refreshed cloud ID that differs from the one in the id (the site was remapped) → replace", () => {
    const refreshed = { ...state(), cloudId: "11111111-2222-3333-4444-555555555555" };
    expect(diffConnection(refreshed, news(), `acme/${CLOUD}`)).toEqual({ changes: true, replaces: ["cloudId"], deleteBeforeReplace: false });
    expect(diffConnection(state(), news(), `acme/${CLOUD.toUpperCase()}`).changes).toBe(false);
    expect(diffConnection(refreshed, news())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  test("unknown values → a change (replace when it is the site)", () => {
    expect(diffConnection(state(), news((i) => (i.oauth.clientSecret = UNKNOWN))).changes).toBe(true);
    expect(diffConnection(state(), { ...news(), site: UNKNOWN }).replaces).toEqual(["site"]);
  });
});
