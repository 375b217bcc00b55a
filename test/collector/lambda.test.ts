import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createSecretsManagerStore } from "../../token-store";
import { LAMBDA_ENV } from "../../collector/lambda-config";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";

/** The Lambda entry point end to end: env config, Secrets Manager + S3 in moto, the emulator for Atlassian. */

let emulator: AtlassianEmulator;
let moto: Moto;
beforeAll(async () => {
  [emulator, moto] = await Promise.all([startAtlassianEmulator(), startMoto()]);
  Object.assign(process.env, moto.env, emulator.env);
}, 60_000);
afterAll(async () => {
  await Promise.all([emulator?.close(), moto?.stop()]);
});

test("a scheduled run: collects, writes to S3, logs JSON and EMF metrics without secrets", async () => {
  const site = emulator.site("acme");
  const app = emulator.app();
  const sm = new SecretsManagerClient({});
  const credentials = await sm.send(
    new CreateSecretCommand({
      Name: "jira/acme/credentials",
      SecretString: JSON.stringify({ clientId: app.clientId, clientSecret: app.clientSecret, email: site.admin.email, apiToken: site.admin.apiToken }),
    }),
  );
  const tokenSecret = await sm.send(new CreateSecretCommand({ Name: "jira/acme/refresh-token" }));
  const grant = emulator.grant();
  const startedAt = new Date().toISOString();
  await createSecretsManagerStore({ secretArn: tokenSecret.ARN! }).compareAndSwap(undefined, {
    refreshToken: grant.refreshToken,
    rotatedAt: startedAt,
    familyStartedAt: startedAt,
  });
  const s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "acme-jira-snapshots" }));
  Object.assign(process.env, {
    [LAMBDA_ENV.connectorName]: "acme",
    [LAMBDA_ENV.site]: "acme",
    [LAMBDA_ENV.cloudId]: site.cloudId,
    [LAMBDA_ENV.credentialsSecretArn]: credentials.ARN!,
    [LAMBDA_ENV.refreshTokenSecretArn]: tokenSecret.ARN!,
    [LAMBDA_ENV.bucketName]: "acme-jira-snapshots",
    [LAMBDA_ENV.apiTokenExpiresAt]: "2027-06-30",
  });

  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  let result: { complete: boolean; snapshotPrefix: string };
  try {
    const { handler } = await import("../../collector/lambda");
    result = await handler({}, { awsRequestId: "req-1" });
  } finally {
    spy.mockRestore();
  }
  expect(result.complete).toBe(true);

  const listed = await s3.send(new ListObjectsV2Command({ Bucket: "acme-jira-snapshots", Prefix: "connectors/acme/" }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!.replace(result.snapshotPrefix, "<snapshot>/")).sort();
  expect(keys).toEqual([
    "<snapshot>/activity.ndjson.gz",
    "<snapshot>/manifest.json",
    "<snapshot>/people.ndjson.gz",
    "<snapshot>/products.ndjson.gz",
    "<snapshot>/seat-report.json",
    "<snapshot>/subscriptions.json",
    "<snapshot>/users.ndjson.gz",
    "connectors/acme/latest.json",
  ]);

  const emf = lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
  const run = emf.find((l) => l.Success !== undefined && !l.Product);
  expect(run).toMatchObject({ Connector: "acme", Success: 1, DaysUntilRefreshTokenFamilyExpiry: 364, RequestsSentDuringKnownLimit: 0, RequestsInFlightAtRateLimit: 0 });
  expect(run.DaysUntilApiTokenExpiry).toBeGreaterThan(0);
  expect(emf.filter((l) => l.Product).map((l) => l.Product).sort()).toEqual(site.applicationRoles.map((r: { key: string }) => r.key).sort());

  const stored = await createSecretsManagerStore({ secretArn: tokenSecret.ARN! }).read();
  expect(stored?.refreshToken).toBe(emulator.family(grant.familyId)?.currentRefreshToken);
  const output = lines.join("");
  for (const secret of [app.clientSecret, site.admin.apiToken, grant.refreshToken, stored!.refreshToken]) expect(output.includes(secret)).toBe(false);
});

describe("the org Admin API through the Lambda's configuration", () => {
  async function configure(name: string, secret: Record<string, string>, env: Record<string, string | undefined>) {
    const site = emulator.site("acme");
    const sm = new SecretsManagerClient({});
    const credentials = await sm.send(new CreateSecretCommand({ Name: `jira/${name}/credentials`, SecretString: JSON.stringify(secret) }));
    const tokenSecret = await sm.send(new CreateSecretCommand({ Name: `jira/${name}/refresh-token` }));
    const at = new Date().toISOString();
    await createSecretsManagerStore({ secretArn: tokenSecret.ARN! }).compareAndSwap(undefined, { refreshToken: emulator.grant().refreshToken, rotatedAt: at, familyStartedAt: at });
    await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: `${name}-snapshots` }));
    Object.assign(process.env, {
      [LAMBDA_ENV.connectorName]: name,
      [LAMBDA_ENV.site]: "acme",
      [LAMBDA_ENV.cloudId]: site.cloudId,
      [LAMBDA_ENV.credentialsSecretArn]: credentials.ARN!,
      [LAMBDA_ENV.refreshTokenSecretArn]: tokenSecret.ARN!,
      [LAMBDA_ENV.bucketName]: `${name}-snapshots`,
    });
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  async function invoke(): Promise<{ result?: { complete: boolean; snapshotPrefix: string }; error?: Error; output: string }> {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const { handler } = await import("../../collector/lambda");
      return { result: await handler({}, { awsRequestId: `req-${lines.length}-${Date.now()}` }), output: lines.join("") };
    } catch (error) {
      return { error: error as Error, output: lines.join("") };
    } finally {
      spy.mockRestore();
    }
  }
  afterEach(() => {
    delete process.env[LAMBDA_ENV.orgId];
    delete process.env[LAMBDA_ENV.pricing];
  });

  test("orgApiKey in the secret + JIRA_CONNECTOR_ORG_ID: the collector reads last-active dates with that key, never logging it; JIRA_CONNECTOR_PRICING prices the report", async () => {
    const site = emulator.site("acme");
    const app = emulator.app();
    await configure(
      "acme-org",
      // OAuth only (no license token): the run stays within the 13 read scopes' sources, so it is complete and quick.
      { clientId: app.clientId, clientSecret: app.clientSecret, orgApiKey: site.orgApiKey },
      { [LAMBDA_ENV.orgId]: site.orgId, [LAMBDA_ENV.pricing]: JSON.stringify({ currency: "USD", monthlyPerSeat: { "jira-software": 8.6 } }) },
    );
    emulator.clearRequests();
    const { result, error, output } = await invoke();
    expect(error).toBeUndefined();
    expect(result?.complete).toBe(true);
    const s3 = new S3Client({ forcePathStyle: true });
    const object = await s3.send(new GetObjectCommand({ Bucket: "acme-org-snapshots", Key: `${result!.snapshotPrefix}seat-report.json` }));
    const seatReport = JSON.parse(await object.Body!.transformToString());
    expect(seatReport.cost).toMatchObject({ currency: "USD" });
    expect(seatReport.products.find((p: { productKey: string }) => p.productKey === "jira-software").cost).toMatchObject({ monthlyPerSeat: 8.6 });
    const org = emulator.requests.filter((r) => r.path.startsWith(`/admin/v1/orgs/${site.orgId}/directory/users/`));
    expect(org.length).toBeGreaterThan(0);
    // Every org request was authorized: the configured key, not a stand-in, reached the Admin API.
    expect(org.every((r) => r.auth === "bearer" && (r.status === 200 || r.status === 404))).toBe(true);
    expect(org.some((r) => r.status === 200)).toBe(true);
    expect(output.includes(site.orgApiKey)).toBe(false);
  });

  test("without the org ID there are no org requests; one half of the org configuration is a named configuration error", async () => {
    const site = emulator.site("acme");
    const app = emulator.app();
    const base = { clientId: app.clientId, clientSecret: app.clientSecret };
    await configure("acme-noorg", base, {});
    emulator.clearRequests();
    const plain = await invoke();
    expect(plain.error).toBeUndefined();
    expect(plain.result?.complete).toBe(true);
    expect(emulator.requests.filter((r) => r.path.startsWith("/admin/"))).toEqual([]);

    await configure("acme-id-only", base, { [LAMBDA_ENV.orgId]: site.orgId });
    const idOnly = await invoke();
    expect(idOnly.error?.name).toBe("CollectorConfigurationError");
    expect(idOnly.error?.message).toMatch(/JIRA_CONNECTOR_ORG_ID is set but the credentials secret has no orgApiKey; set the component's org\.apiKey/);

    await configure("acme-key-only", { ...base, orgApiKey: site.orgApiKey }, { [LAMBDA_ENV.orgId]: undefined });
    const keyOnly = await invoke();
    expect(keyOnly.error?.name).toBe("CollectorConfigurationError");
    expect(keyOnly.error?.message).toMatch(/the credentials secret has an orgApiKey but JIRA_CONNECTOR_ORG_ID is not set/);
    expect(`${keyOnly.error?.message}${keyOnly.output}`.includes(site.orgApiKey)).toBe(false);
  });
  test("the site now maps to another cloud ID: the run fails with the mismatch before any credential is presented; Success 0, the code logged", async () => {
    const site = emulator.site("acme");
    const app = emulator.app();
    await configure("remapped", { clientId: app.clientId, clientSecret: app.clientSecret, email: site.admin.email, apiToken: site.admin.apiToken }, {
      // What the connector was deployed with; tenant_info now answers acme's real ID (the site was moved or renamed).
      [LAMBDA_ENV.cloudId]: "0b9c2f4e-7d1a-4c3b-9e8f-123456789abc",
    });
    const tokenSecretArn = process.env[LAMBDA_ENV.refreshTokenSecretArn]!;
    const before = await createSecretsManagerStore({ secretArn: tokenSecretArn }).read();
    emulator.clearRequests();
    const { error, output } = await invoke();
    expect(error).toMatchObject({ code: "CLOUD_ID_MISMATCH" });
    expect(error!.message).toContain(`has cloud ID ${site.cloudId}, but 0b9c2f4e-7d1a-4c3b-9e8f-123456789abc was configured`);
    expect(emulator.requests.map((r) => r.path)).toEqual(["/_edge/tenant_info"]);
    expect((await createSecretsManagerStore({ secretArn: tokenSecretArn }).read())?.refreshToken).toBe(before!.refreshToken);
    const lines = output.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.find((l) => l._aws && l.Success !== undefined)).toMatchObject({ Connector: "remapped", Success: 0 });
    expect(lines.find((l) => l.event === "collector.run.failed")).toMatchObject({ connector: "remapped", code: "CLOUD_ID_MISMATCH" });
    for (const secret of [app.clientSecret, site.admin.apiToken, before!.refreshToken]) expect(output.includes(secret)).toBe(false);
  });
});
