import { inspect } from "util";
import { createConnection, readConnection, updateConnection, type DepsFactory } from "../../providers/jira-connection/lifecycle";
import { checkConnectionInputs } from "../../providers/jira-connection/check";
import type { ConnectionInputs, ScopedConnectionInputs } from "../../providers/jira-connection/inputs";
import { ConnectionValidationError } from "../../providers/jira-connection/problems";
import { validateScopedConnection } from "../../providers/jira-connection/validate-scoped";
import { AtlassianClient } from "../../atlassian";
import { requiredConnectorScopes } from "../../atlassian/scope-probes";
import { type AtlassianEmulator, DEFAULT_SCOPES, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";
import { connectionInputs, createTokenSecret } from "./fixtures";

/**
 * JiraConnection with an API token with scopes, against the emulator over real HTTP: no OAuth, no token store;
 * scopes proven by probes through the gateway in one round trip; every missing scope named in one problem; a
 * classic token, a bad email, an expired or revoked token each told apart; least privilege a warning or (strict) an
 * error; switching methods is an update.
 */

let emulator: AtlassianEmulator;
let moto: Moto;
const READ_SCOPES = DEFAULT_SCOPES.filter((s) => s !== "offline_access");
const DAY = 86_400_000;

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

const deps: DepsFactory = () => ({ atlassian: new AtlassianClient({ env: emulator.env }), store: undefined as never, now: () => new Date() });
const expiresAt = () => new Date(Date.now() + 200 * DAY).toISOString().slice(0, 10);

function scopedInputs(overrides: { scopes?: string[]; token?: string; email?: string; site?: string; cloudId?: string; strictScopes?: boolean } = {}): ScopedConnectionInputs {
  const site = emulator.site(overrides.site ?? "acme");
  const token = overrides.token ?? emulator.createApiToken(site.name, { scopes: overrides.scopes ?? READ_SCOPES, expiresInDays: 200 });
  const { inputs, failures } = checkConnectionInputs({
    site: site.name,
    ...(overrides.cloudId ? { cloudId: overrides.cloudId } : {}),
    scopedApiToken: { email: overrides.email ?? site.admin.email, apiToken: token, expiresAt: expiresAt() },
    ...(overrides.strictScopes !== undefined ? { strictScopes: overrides.strictScopes } : {}),
  });
  if (failures.length > 0) throw new Error(JSON.stringify(failures));
  return inputs as unknown as ScopedConnectionInputs;
}

async function problemsOf(inputs: ConnectionInputs) {
  const error = await createConnection(inputs, deps).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectionValidationError);
  expect(inspect(error, { depth: Infinity })).not.toContain(inputs.scopedApiToken!.apiToken);
  return (error as ConnectionValidationError).problems;
}

describe("create with a scoped API token", () => {
  test("validates through the gateway only, with no OAuth call and no token store; outputs hold no secret", async () => {
    const inputs = scopedInputs();
    const acme = emulator.site("acme");
    const { id, outs } = await createConnection(inputs, deps);
    expect(id).toBe(`acme/${acme.cloudId}`);
    expect(outs).toMatchObject({ authMethod: "scoped-api-token", siteName: "acme", cloudId: acme.cloudId, scopedApiTokenEmail: acme.admin.email, licenseAccountId: acme.admin.accountId, warnings: [] });
    expect(outs).not.toHaveProperty("tokenStore");
    expect(outs).not.toHaveProperty("refreshTokenFamilyStartedAt");
    expect(outs).not.toHaveProperty("clientId");
    expect(outs.grantedScopes).toEqual(expect.arrayContaining(requiredConnectorScopes()));
    expect(outs.products.map((p) => p.key)).toEqual(acme.applicationRoles.map((r: { key: string }) => r.key).sort());
    expect(outs.fingerprints.scopedApiToken).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(outs)).not.toContain(inputs.scopedApiToken.apiToken);
    const calls = emulator.requests;
    expect(calls.some((r) => r.host === "auth")).toBe(false);
    expect(calls.filter((r) => r.path.includes("/rest/")).every((r) => r.host === "api" && r.auth === "basic")).toBe(true);
  });

  test("with the cloud ID configured, tenant_info and the probes go out together (one round trip)", async () => {
    const acme = emulator.site("acme");
    const inputs = scopedInputs({ cloudId: acme.cloudId });
    await createConnection(inputs, deps);
    const tenant = emulator.requests.find((r) => r.path === "/_edge/tenant_info")!;
    const firstProbe = emulator.requests.find((r) => r.path.includes("/rest/"))!;
    // Both were received before either had been answered: the emulator logs a request when it answers.
    expect(Math.abs(firstProbe.at - tenant.at)).toBeLessThan(emulator.requests.length * 50);
  });

  test("missing scopes: every one named in one problem, with how to make a token that has them", async () => {
    const lacking = ["read:audit-log:jira", "read:group:jira", "read:license:jira"];
    const problems = await problemsOf(scopedInputs({ scopes: READ_SCOPES.filter((s) => !lacking.includes(s)) }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ property: "scopedApiToken.apiToken" });
    for (const scope of lacking) expect(problems[0]!.message).toContain(scope);
    expect(problems[0]!.message).toMatch(/Create API token with scopes/);
  });

  test("a classic (unscoped) token where a scoped one is expected: named as such", async () => {
    const acme = emulator.site("acme");
    const problems = await problemsOf(scopedInputs({ token: acme.admin.apiToken }));
    expect(problems).toEqual([{ property: "scopedApiToken.apiToken", message: expect.stringMatching(/this is a classic API token \(no scopes\)/) }]);
  });

  test("a wrong email, an expired token and a revoked token: refused, saying what to check", async () => {
    const wrongEmail = await problemsOf(scopedInputs({ email: "someone-else@example.com" }));
    expect(wrongEmail[0]!.message).toMatch(/^for someone-else@example.com: the email and scoped API token were rejected .*may have been revoked, and the email must be the account that created it/);
    const short = emulator.createApiToken("acme", { scopes: READ_SCOPES, expiresInDays: 1 });
    const t0 = emulator.clock.now();
    emulator.clock.advance(2 * DAY);
    try {
      expect((await problemsOf(scopedInputs({ token: short })))[0]!.message).toMatch(/always expires \(1–365 days\)/);
    } finally {
      emulator.clock.set(t0);
    }
    const revoked = emulator.createApiToken("acme", { scopes: READ_SCOPES, expiresInDays: 30 });
    emulator.revokeApiToken(revoked);
    expect((await problemsOf(scopedInputs({ token: revoked })))[0]).toMatchObject({ property: "scopedApiToken.apiToken" });
  });

  test("a token of a non-administrator: seats cannot be read, named on the email", async () => {
    const acme = emulator.site("acme");
    const token = emulator.createApiToken("acme", { accountId: acme.member.accountId, scopes: READ_SCOPES, expiresInDays: 30 });
    const problems = await problemsOf({ ...scopedInputs({ token }), scopedApiToken: { email: acme.member.email, apiToken: token, expiresAt: expiresAt() } });
    expect(problems).toEqual([{ property: "scopedApiToken.email", message: expect.stringMatching(/not a Jira administrator/) }]);
  });

  test("least privilege: a token that can write is a warning (still created), and an error with strictScopes", async () => {
    const scopes = [...READ_SCOPES, "write:jira-work", "manage:jira-configuration"];
    const { outs } = await createConnection(scopedInputs({ scopes }), deps);
    expect(outs.warnings).toHaveLength(1);
    expect(outs.warnings![0]).toMatch(/^scopedApiToken\.apiToken: the credential can do more than read: POST \/rest\/api\/3\/issue .*POST \/rest\/api\/3\/project .*POST \/rest\/api\/3\/group/);
    const problems = await problemsOf(scopedInputs({ scopes, strictScopes: true }));
    expect(problems).toEqual([{ property: "scopedApiToken.apiToken", message: expect.stringMatching(/can do more than read/) }]);
    // The write probes were sent with an empty body (Jira refuses it before writing) and never retried.
    const writes = emulator.requests.filter((r) => r.method === "POST" && ["/rest/api/3/issue", "/rest/api/3/project", "/rest/api/3/group"].some((p) => r.path.endsWith(p)));
    expect(writes).toHaveLength(6);
  });

  test("a server error on a probe makes the scope check inconclusive (a failure to re-run), never a pass", async () => {
    // The licence reads are the only ones needing read:license:jira; the audit read's scopes other probes prove.
    emulator.faults.add({ match: { host: "api", path: /\/(instance\/license|license\/approximateLicenseCount\/product\/[^/]+|auditing\/record)$/ }, action: { kind: "status", status: 503 }, times: Infinity });
    // The pipeline's bounded retries, without real waiting.
    const quick: DepsFactory = () => ({ atlassian: new AtlassianClient({ env: emulator.env, sleep: async () => undefined }), store: undefined as never, now: () => new Date() });
    const error = await createConnection(scopedInputs(), quick).then(() => undefined, (e: unknown) => e);
    expect((error as ConnectionValidationError).problems).toEqual([{ property: "scopedApiToken.apiToken", message: expect.stringMatching(/^could not verify read:license:jira: GET \/rest\/api\/3\/instance\/license, GET .*approximateLicenseCount.* failed \(.*HTTP 503.*\); run again$/) }]);
  });
});

test("vice versa: a scoped token given as the OAuth connector's license.apiToken is named as such", async () => {
  const inputs = connectionInputs(emulator, await createTokenSecret());
  const scopedToken = emulator.createApiToken("acme", { scopes: READ_SCOPES, expiresInDays: 30 });
  inputs.license = { email: emulator.site("acme").admin.email, apiToken: scopedToken };
  const error = (await createConnection(inputs).then(() => undefined, (e: unknown) => e)) as ConnectionValidationError;
  expect(error.problems).toEqual([{ property: "license.apiToken", message: expect.stringMatching(/^this is an API token with scopes, .*Create a classic token/) }]);
  expect(inspect(error, { depth: Infinity })).not.toContain(scopedToken);
});

describe("switching methods is an update of the same connector", () => {
  test("OAuth → scoped token → OAuth: same id; the outputs follow the method; OAuth comes back with a new exchange", async () => {
    const secretArn = await createTokenSecret();
    const oauth = connectionInputs(emulator, secretArn, { license: "none" });
    const created = await createConnection(oauth);
    expect(created.outs.authMethod).toBe("oauth");

    const scoped = scopedInputs();
    const toScoped = await updateConnection(created.outs, scoped, deps);
    expect(toScoped.outs).toMatchObject({ authMethod: "scoped-api-token", cloudId: created.outs.cloudId, fingerprintSalt: created.outs.fingerprintSalt });
    expect(toScoped.outs).not.toHaveProperty("tokenStore");
    expect(toScoped.outs.fingerprints).toEqual({ scopedApiToken: expect.any(String) });

    emulator.clearRequests();
    const back = connectionInputs(emulator, await createTokenSecret(), { license: "none" });
    const toOauth = await updateConnection(toScoped.outs, back);
    expect(toOauth.outs).toMatchObject({ authMethod: "oauth", tokenStore: { secretArn: back.tokenStore.secretArn } });
    expect(emulator.requests.filter((r) => r.path === "/oauth/token")).toHaveLength(1);

    // refresh of a scoped connector reads tenant_info only (there is no store to read).
    emulator.clearRequests();
    const read = await readConnection(created.id, toScoped.outs, deps);
    expect(read.props.cloudId).toBe(created.outs.cloudId);
    expect(emulator.requests.map((r) => r.path)).toEqual(["/_edge/tenant_info"]);
  });
});

test("validateScopedConnection reports each check in order for the CLI table", async () => {
  const result = await validateScopedConnection({ atlassian: new AtlassianClient({ env: emulator.env }), now: () => new Date() }, scopedInputs());
  expect(result.problems).toEqual([]);
  expect(result.checks.map((c) => c.check).sort()).toEqual(["least-privilege", "license-admin", "scoped-token", "scopes", "seats", "site"]);
  expect(result.tokenStored).toBe(false);
});
