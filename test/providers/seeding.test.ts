/**
 * Seeding a configured token (first `pulumi up`, re-authorization, `check --refresh-token`) against the emulator
 * and moto over real HTTP: issue 10's situations (2) the seed follows the rotation discipline, (3) two seeds of
 * the same token at once, (6) a re-authorization is never silently discarded.
 */
import { AtlassianClient } from "../../atlassian";
import { updateConnection, createConnection, type DepsFactory } from "../../providers/jira-connection/lifecycle";
import { ConnectionValidationError } from "../../providers/jira-connection/problems";
import { validateConnection, type ValidationDeps } from "../../providers/jira-connection/validate";
import { createSecretsManagerStore, type RefreshTokenStore, rotateUnderLease, seedFingerprint, TokenStorePermissionError, TokenStoreRejectedError } from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";
import { crashBeforePersist, faultyStore } from "../token-store/rotation-world";
import { connectionInputs, createTokenSecret } from "./fixtures";

const MINUTE = 60_000;
let emulator: AtlassianEmulator;
let moto: Moto;
const savedEnv = { ...process.env };

beforeAll(async () => {
  [emulator, moto] = await Promise.all([startAtlassianEmulator({ sites: [{ name: "acme" }] }), startMoto()]);
  Object.assign(process.env, moto.env, emulator.env);
  emulator.clock.freeze();
}, 60_000);
afterAll(async () => {
  process.env = savedEnv;
  await Promise.all([emulator?.close(), moto?.stop()]);
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.clearRequests();
});

const now = () => new Date(emulator.clock.now());
const sleep = async (ms: number) => void emulator.clock.advance(ms);
const deps = (store: RefreshTokenStore): ValidationDeps => ({ atlassian: new AtlassianClient({ retry: { baseDelayMs: 1, maxRetries: 1 } }), store, now, sleep });
const refreshRequests = () => emulator.requests.filter((r) => r.path === "/oauth/token" && r.grantType === "refresh_token").length;
const familyOf = (token: string) => emulator.family(token)!;

describe("(2) a seed proves the store writable and records the exchange before presenting", () => {
  test("a store that refuses writes (no PutSecretValue): the configured token is never presented", async () => {
    const inputs = connectionInputs(emulator, await createTokenSecret(), { license: "none" });
    const denied = faultyStore(createSecretsManagerStore({ secretArn: inputs.tokenStore.secretArn }), ({ op }) =>
      op === "compareAndSwap" ? new TokenStorePermissionError("secretsmanager:test", "secretsmanager:PutSecretValue", "the secret", "AccessDeniedException") : undefined,
    );
    const result = await validateConnection(deps(denied), inputs, { kind: "exchange-configured" }, false);
    expect(result.checks).toContainEqual(expect.objectContaining({ check: "token-store-write", ok: false }));
    expect(result.problems[0]).toMatchObject({ property: "tokenStore.secretArn", message: expect.stringContaining("PutSecretValue") });
    expect(refreshRequests()).toBe(0);
    expect(familyOf(inputs.oauth.refreshToken).rotations).toBe(0);
  });

  test.each([
    ["a first `pulumi up` (empty store)", false],
    ["a re-authorization (the store holds the old grant's token)", true],
  ])("the successor cannot be saved on %s: minutes to re-run are named, and the re-run recovers the grant", async (_name, reauthorization) => {
    const inputs = connectionInputs(emulator, await createTokenSecret(), { license: "none" });
    const store = createSecretsManagerStore({ secretArn: inputs.tokenStore.secretArn });
    const old = reauthorization ? emulator.grant({ sites: ["acme"] }) : undefined;
    const at = now().toISOString();
    if (old) await store.compareAndSwap(undefined, { refreshToken: old.refreshToken, rotatedAt: at, familyStartedAt: at });
    // A disabled KMS key is not retried (it will not heal by itself): the run fails at once, minutes to spare.
    const outage = faultyStore(store, ({ op, next }) =>
      op === "compareAndSwap" && next && !next.lease ? new TokenStoreRejectedError(store.location, "PutSecretValue", "KMS key is disabled") : undefined,
    );
    const first = await validateConnection(deps(outage), inputs, { kind: "exchange-configured" }, false);
    const problem = first.problems.find((p) => p.property === "tokenStore.secretArn")!;
    expect(problem.message).toMatch(/could not be saved .*run `pulumi up` again within (9|10) minutes \(before \d\d:\d\d:\d\d UTC\)/);
    expect(problem.message).toMatch(/re-authorize/);
    // The record says which configured token was presented, and when.
    const record = (await store.read())!;
    if (old) {
      expect(record.refreshToken).toBe(old.refreshToken); // the old grant's token is intact
      expect(record.seeding).toEqual({ seededFrom: seedFingerprint(inputs.oauth.refreshToken), presentedAt: [at] });
    } else {
      expect(record).toMatchObject({ seededFrom: seedFingerprint(inputs.oauth.refreshToken), presentedAt: [at] });
    }
    // The admin fixes the key policy and re-runs two minutes later: the configured token is presented again.
    emulator.clock.advance(2 * MINUTE);
    const rerun = await validateConnection(deps(store), inputs, { kind: "exchange-configured" }, false);
    expect(rerun.problems).toEqual([]);
    const family = familyOf(inputs.oauth.refreshToken);
    expect(family.revoked).toBe(false);
    expect((await store.read())?.refreshToken).toBe(family.currentRefreshToken);
  });
});

test("(3) two seeds of the same token at once (check --refresh-token X while pulumi up seeds X): X is presented once", async () => {
  const inputs = connectionInputs(emulator, await createTokenSecret(), { license: "none" });
  const store = createSecretsManagerStore({ secretArn: inputs.tokenStore.secretArn });
  const [a, b] = await Promise.all([
    validateConnection({ ...deps(store), holder: "pulumi-up" }, inputs, { kind: "exchange-configured" }, false),
    validateConnection({ ...deps(store), holder: "cli-check" }, inputs, { kind: "exchange-configured" }, false),
  ]);
  expect([a.problems, b.problems]).toEqual([[], []]);
  const family = familyOf(inputs.oauth.refreshToken);
  expect(family.revoked).toBe(false);
  expect(refreshRequests()).toBe(2); // X once, then its successor once: never X twice
  expect((await store.read())?.refreshToken).toBe(family.currentRefreshToken);
});

describe("(6) a re-authorization is never silently discarded", () => {
  test("a stored record dated 3 days ahead (a fast laptop) does not swallow a new consent's token", async () => {
    const secretArn = await createTokenSecret();
    const store = createSecretsManagerStore({ secretArn });
    const future = new Date(emulator.clock.now() + 3 * 24 * 60 * MINUTE).toISOString();
    const old = emulator.grant({ sites: ["acme"] });
    await store.compareAndSwap(undefined, { refreshToken: old.refreshToken, rotatedAt: future, familyStartedAt: future });
    const inputs = connectionInputs(emulator, secretArn, { license: "none" });
    const result = await validateConnection(deps(store), inputs, { kind: "exchange-configured" }, false);
    expect(result.problems).toEqual([]);
    const stored = (await store.read())!;
    expect(stored.refreshToken).toBe(familyOf(inputs.oauth.refreshToken).currentRefreshToken);
    expect(stored.seededFrom).toBe(seedFingerprint(inputs.oauth.refreshToken));
  });

  test("moving the live token to a store whose record is dated ahead fails, naming the clock skew", async () => {
    const inputs = connectionInputs(emulator, await createTokenSecret(), { license: "none" });
    const factory: DepsFactory = (tokenStore) => deps(createSecretsManagerStore({ secretArn: tokenStore!.secretArn }));
    const { outs } = await createConnection(inputs, factory);
    const target = await createTokenSecret();
    const future = new Date(emulator.clock.now() + 24 * 60 * MINUTE).toISOString();
    await createSecretsManagerStore({ secretArn: target }).compareAndSwap(undefined, { refreshToken: "rt-other-grant", rotatedAt: future, familyStartedAt: future });
    const moved = { ...inputs, tokenStore: { secretArn: target } };
    const error = await updateConnection(outs, moved, factory).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionValidationError);
    expect((error as Error).message).toMatch(/dated \d+ min ahead of this machine's clock/);
  });
});

test("(4) a check never passes while the token is at risk: answers that do not rotate it fail the check, and nothing counts as stored", async () => {
  const inputs = connectionInputs(emulator, await createTokenSecret(), { license: "none" });
  const store = createSecretsManagerStore({ secretArn: inputs.tokenStore.secretArn });
  const at = now().toISOString();
  await store.compareAndSwap(undefined, { refreshToken: inputs.oauth.refreshToken, rotatedAt: at, familyStartedAt: at });
  const exchange = (refreshToken: string) => new AtlassianClient().oauth.refresh({ ...emulator.app(), refreshToken });
  await expect(rotateUnderLease(crashBeforePersist(store), { holder: "crashed-run", now, sleep, exchange })).rejects.toThrow();
  emulator.clock.advance(5.5 * MINUTE);
  emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, times: Infinity, action: { kind: "omit-refresh-token" } });
  const result = await validateConnection(deps(store), inputs, { kind: "exchange-live" }, false);
  emulator.faults.clear();
  expect(result.tokenStored).toBe(false);
  expect(result.problems).toContainEqual({ property: "tokenStore.secretArn", message: expect.stringMatching(/answers did not rotate .*run `pulumi up` again before /) });
  expect((await store.read())?.presentedAt?.[0]).toBe(at); // the deadline's source is still on record
});
