import { inspect } from "util";
import { AtlassianClient } from "../../atlassian";
import { createSecretsManagerStore } from "../../token-store";
import { createConnection, deleteConnection, readConnection, updateConnection } from "../../providers/jira-connection/lifecycle";
import { ConnectionValidationError } from "../../providers/jira-connection/problems";
import { type AtlassianEmulator, DEFAULT_SCOPES, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";
import { connectionInputs, createTokenSecret, secretsOf } from "./fixtures";

/** JiraConnection create/update/read/delete against the Atlassian emulator and moto, over real HTTP. */

let emulator: AtlassianEmulator;
let moto: Moto;

beforeAll(async () => {
  [emulator, moto] = await Promise.all([startAtlassianEmulator({ sites: [{ name: "acme" }, { name: "globex" }] }), startMoto()]);
  Object.assign(process.env, moto.env, emulator.env);
}, 60_000);
afterAll(async () => {
  await Promise.all([emulator?.close(), moto?.stop()]);
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.clearRequests();
});

const tokenRequests = () => emulator.requests.filter((r) => r.path === "/oauth/token");
const storeOf = (secretArn: string) => createSecretsManagerStore({ secretArn });
async function failureOf(promise: Promise<unknown>): Promise<ConnectionValidationError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectionValidationError);
  return error as ConnectionValidationError;
}

describe("create", () => {
  test("validates everything, seeds the token store with a working token, and rotates the configured one out", async () => {
    const secretArn = await createTokenSecret();
    const inputs = connectionInputs(emulator, secretArn);
    const { id, outs } = await createConnection(inputs);
    const acme = emulator.site("acme");
    expect(id).toBe(`acme/${acme.cloudId}`);
    expect(outs).toMatchObject({
      siteName: "acme",
      cloudId: acme.cloudId,
      licenseAccountId: acme.admin.accountId,
      tokenStore: { secretArn, region: "us-east-1" },
    });
    expect(outs.grantedScopes).toEqual(expect.arrayContaining(DEFAULT_SCOPES));
    expect(outs.products.map((p) => p.key)).toEqual(acme.applicationRoles.map((r: { key: string }) => r.key).sort());
    expect(outs.products.every((p) => p.plan !== undefined)).toBe(true);
    expect(tokenRequests()).toHaveLength(1);

    const stored = await storeOf(secretArn).read();
    expect(stored?.refreshToken).not.toBe(inputs.oauth.refreshToken);
    expect(emulator.family(inputs.oauth.refreshToken)?.currentRefreshToken).toBe(stored?.refreshToken);
    // The stored token works; the configured one is dead once the leeway passes.
    await expect(new AtlassianClient({ env: emulator.env }).oauth.refresh({ ...inputs.oauth, refreshToken: stored!.refreshToken })).resolves.toBeDefined();
    expect(JSON.stringify(outs)).not.toMatch(new RegExp(secretsOf(inputs).join("|")));
  });

  test("accessible-resources is checked with the exchanged token, after the exchange", async () => {
    const inputs = connectionInputs(emulator, await createTokenSecret());
    emulator.clearRequests();
    await createConnection(inputs);
    const order = emulator.requests.map((r) => r.path);
    expect(order.indexOf("/oauth/token/accessible-resources")).toBeGreaterThan(order.indexOf("/oauth/token"));
  });

  test.each<[string, () => Promise<ReturnType<typeof connectionInputs>>, string, RegExp]>([
    ["cloud ID mismatch", async () => ({ ...connectionInputs(emulator, await createTokenSecret()), cloudId: emulator.site("globex").cloudId }), "cloudId", /cloud ID .* but .* was configured/],
    ["unknown site", async () => ({ ...connectionInputs(emulator, await createTokenSecret()), site: "nosuchsite" }), "site", /not found as a Jira Cloud site/],
    [
      "missing scopes (all listed)",
      async () => connectionInputs(emulator, await createTokenSecret(), { grant: { scopes: DEFAULT_SCOPES.filter((s) => !["read:user:jira", "read:audit-log:jira"].includes(s)) } }),
      "oauth.refreshToken",
      /lacks scopes read:audit-log:jira, read:user:jira/,
    ],
    ["site not in accessible-resources", async () => ({ ...connectionInputs(emulator, await createTokenSecret(), { grant: { sites: ["globex"], accountId: emulator.site("globex").users[7].accountId } }) }), "oauth.refreshToken", /does not reach the site/],
    ["unknown refresh token", async () => connectionInputs(emulator, await createTokenSecret(), { refreshToken: "no-such-refresh-token" }), "oauth.refreshToken", /authorize again/],
    ["non-admin license account", async () => connectionInputs(emulator, await createTokenSecret(), { license: "member" }), "license.email", /not a Jira administrator/],
    ["bad API token", async () => { const i = connectionInputs(emulator, await createTokenSecret()); i.license!.apiToken = "wrong-api-token"; return i; }, "license.apiToken", /API token were rejected/],
    ["wrong client secret", async () => { const i = connectionInputs(emulator, await createTokenSecret()); i.oauth.clientSecret = "wrong-client-secret"; return i; }, "oauth.clientSecret", /client ID or client secret/],
    ["missing token secret", async () => connectionInputs(emulator, "arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf"), "tokenStore.secretArn", /nope/],
  ])("%s → a problem on the property to fix", async (_name, makeInputs, property, message) => {
    const inputs = await makeInputs();
    const error = await failureOf(createConnection(inputs));
    expect(error.problems).toContainEqual({ property, message: expect.stringMatching(message) });
    for (const secret of secretsOf(inputs)) expect(inspect(error, { depth: Infinity })).not.toContain(secret);
  });

  test("a revoked token family (an old token was replayed after the leeway) → re-authorize", async () => {
    const { refreshToken } = emulator.grant();
    const client = new AtlassianClient({ env: emulator.env });
    const rotated = await client.oauth.refresh({ ...emulator.app(), refreshToken });
    emulator.clock.advance(11 * 60 * 1000);
    await expect(client.oauth.refresh({ ...emulator.app(), refreshToken })).rejects.toThrow(/refused/);
    const inputs = connectionInputs(emulator, await createTokenSecret(), { refreshToken: rotated.refreshToken });
    const error = await failureOf(createConnection(inputs));
    expect(error.problems).toEqual([{ property: "oauth.refreshToken", message: expect.stringMatching(/invalid_grant.*authorize again/) }]);
    expect(error.tokenStored).toBe(false);
  });

  test("an expired (365-day) token family → re-authorize", async () => {
    const inputs = connectionInputs(emulator, await createTokenSecret());
    emulator.clock.advance(366 * 24 * 3600 * 1000);
    try {
      const error = await failureOf(createConnection(inputs));
      expect(error.problems).toContainEqual({ property: "oauth.refreshToken", message: expect.stringMatching(/authorize again/) });
    } finally {
      emulator.clock.advance(-366 * 24 * 3600 * 1000);
    }
  });

  test("several problems at once → one error listing all, each with its fix; the rotated token is still saved", async () => {
    const secretArn = await createTokenSecret();
    const inputs = { ...connectionInputs(emulator, secretArn, { license: "member", grant: { scopes: DEFAULT_SCOPES.filter((s) => s !== "read:jql:jira") } }), cloudId: emulator.site("globex").cloudId };
    const error = await failureOf(createConnection(inputs));
    expect(error.problems.map((p) => p.property).sort()).toEqual(["cloudId", "license.email", "oauth.refreshToken"]);
    expect(error.message).toMatch(/3 problems/);
    expect(error.tokenStored).toBe(true);
    const stored = await storeOf(secretArn).read();
    expect(stored?.refreshToken).toBe(emulator.family(inputs.oauth.refreshToken)?.currentRefreshToken);

    // Fix the problems and `up` again after the 10-minute leeway: the dead configured token is not presented.
    emulator.clock.advance(11 * 60 * 1000);
    const fixed = { ...connectionInputs(emulator, secretArn, { refreshToken: inputs.oauth.refreshToken }), requiredScopes: DEFAULT_SCOPES.filter((s) => s !== "read:jql:jira") };
    await expect(createConnection(fixed)).resolves.toMatchObject({ outs: { siteName: "acme" } });
    expect(emulator.family(inputs.oauth.refreshToken)?.revoked).toBe(false);
  });
});

describe("update", () => {
  async function created() {
    const secretArn = await createTokenSecret();
    const inputs = connectionInputs(emulator, secretArn);
    const { outs } = await createConnection(inputs);
    emulator.clearRequests();
    return { inputs, outs, secretArn };
  }

  test("unchanged refresh token → zero token exchanges (license change re-validated)", async () => {
    const { inputs, outs } = await created();
    const news = { ...inputs, license: { ...inputs.license!, apiToken: emulator.createApiToken("acme", { accountId: emulator.site("acme").admin.accountId }) } };
    const { outs: updated } = await updateConnection(outs, news);
    expect(tokenRequests()).toHaveLength(0);
    expect(emulator.requests.some((r) => r.path === "/rest/api/3/myself")).toBe(true);
    expect(updated.fingerprints.apiToken).not.toBe(outs.fingerprints.apiToken);
    expect(updated.fingerprints.refreshToken).toBe(outs.fingerprints.refreshToken);
  });

  test("a new refresh token (re-authorized) → exchanged once and re-seeded", async () => {
    const { inputs, outs, secretArn } = await created();
    const fresh = emulator.grant().refreshToken;
    await updateConnection(outs, { ...inputs, oauth: { ...inputs.oauth, refreshToken: fresh } });
    expect(tokenRequests()).toHaveLength(1);
    expect((await storeOf(secretArn).read())?.refreshToken).toBe(emulator.family(fresh)?.currentRefreshToken);
  });

  test("a new client secret is validated with the live token, whose rotation is persisted", async () => {
    const { inputs, outs, secretArn } = await created();
    const before = await storeOf(secretArn).read();
    const error = await failureOf(updateConnection(outs, { ...inputs, oauth: { ...inputs.oauth, clientSecret: "rotated-but-wrong-secret" } }));
    expect(error.problems[0].property).toBe("oauth.clientSecret");
    expect(tokenRequests()).toHaveLength(1);
    expect((await storeOf(secretArn).read())?.refreshToken).toBe(before?.refreshToken);
  });
});

describe("read and delete", () => {
  test("read detects a changed site → cloud ID mapping, without a token exchange", async () => {
    const inputs = connectionInputs(emulator, await createTokenSecret(), { site: "globex" });
    const { id, outs } = await createConnection(inputs);
    emulator.clearRequests();
    const original = emulator.site("globex").cloudId;
    emulator.setCloudId("globex", "11111111-2222-3333-4444-555555555555");
    try {
      const result = await readConnection(id, outs);
      expect(result.props.cloudId).toBe("11111111-2222-3333-4444-555555555555");
      expect(result.props.refreshTokenRotatedAt).toBeDefined();
      expect(tokenRequests()).toHaveLength(0);
    } finally {
      emulator.setCloudId("globex", original);
    }
  });

  test("delete succeeds with Atlassian unreachable", async () => {
    emulator.faults.add({ match: {}, times: Infinity, action: { kind: "status", status: 503 } });
    await expect(deleteConnection()).resolves.toBeUndefined();
    expect(emulator.requests).toHaveLength(0);
  });
});
