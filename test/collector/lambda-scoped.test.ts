import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { LAMBDA_ENV } from "../../collector/lambda-config";
import { DEFAULT_SCOPES, type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";

/**
 * The Lambda entry point with a scoped API token, end to end: the credentials secret in its scoped shape (as the
 * component writes it), no refresh-token secret or variable, Secrets Manager + S3 in moto, the emulator for
 * Atlassian (the token goes through its gateway).
 */

let emulator: AtlassianEmulator;
let moto: Moto;
const EXPIRES_AT = new Date(Date.now() + 100 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  [emulator, moto] = await Promise.all([startAtlassianEmulator(), startMoto()]);
  Object.assign(process.env, moto.env, emulator.env);
}, 60_000);
afterAll(async () => {
  await Promise.all([emulator?.close(), moto?.stop()]);
});

/** Writes the secret and bucket of connector `name` and points the function's environment at them. */
async function configure(name: string, secret: Record<string, string>): Promise<void> {
  const site = emulator.site("acme");
  const sm = new SecretsManagerClient({});
  const credentials = await sm.send(new CreateSecretCommand({ Name: `jira/${name}/credentials`, SecretString: JSON.stringify(secret) }));
  await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: `${name}-snapshots` }));
  delete process.env[LAMBDA_ENV.refreshTokenSecretArn];
  Object.assign(process.env, {
    [LAMBDA_ENV.connectorName]: name,
    [LAMBDA_ENV.site]: "acme",
    [LAMBDA_ENV.cloudId]: site.cloudId,
    [LAMBDA_ENV.credentialsSecretArn]: credentials.ARN!,
    [LAMBDA_ENV.bucketName]: `${name}-snapshots`,
    [LAMBDA_ENV.apiTokenExpiresAt]: EXPIRES_AT,
  });
}

type Handler = (event: unknown, context: { awsRequestId: string }) => Promise<{ complete: boolean; snapshotPrefix: string }>;
/** The source entry, or the built bundle (bin/lambda/collector/index.js) the function's archive holds. */
const SOURCE = async (): Promise<Handler> => (await import("../../collector/lambda")).handler;
const BUNDLE = async (): Promise<Handler> => require(require("path").join(__dirname, "../../bin/lambda/collector/index.js")).handler;

async function invoke(load: () => Promise<Handler> = SOURCE): Promise<{ result?: { complete: boolean; snapshotPrefix: string }; error?: Error; output: string }> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const handler = await load();
    return { result: await handler({}, { awsRequestId: `req-${Date.now()}` }), output: lines.join("") };
  } catch (error) {
    return { error: error as Error, output: lines.join("") };
  } finally {
    spy.mockRestore();
  }
}

const scopedSecret = (apiToken: string) => ({ method: "scoped-api-token", email: emulator.site("acme").admin.email, apiToken });
const runMetrics = (output: string) =>
  output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l))
    .find((l) => l._aws && l.Success !== undefined && !l.Product);

test("a scheduled run with a scoped token: a snapshot in S3, the expiry metric, no refresh-token metric, no secret in the logs", async () => {
  const site = emulator.site("acme");
  const token = emulator.createApiToken("acme", { accountId: site.admin.accountId, scopes: DEFAULT_SCOPES });
  await configure("acme-scoped", scopedSecret(token));
  emulator.clearRequests();

  const { result, error, output } = await invoke();
  expect(error).toBeUndefined();
  expect(result?.complete).toBe(true);

  const s3 = new S3Client({ forcePathStyle: true });
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: "acme-scoped-snapshots", Prefix: "connectors/acme-scoped/" }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!);
  expect(keys).toEqual(expect.arrayContaining([`${result!.snapshotPrefix}manifest.json`, `${result!.snapshotPrefix}seat-report.json`, "connectors/acme-scoped/latest.json"]));
  const manifest = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: "acme-scoped-snapshots", Key: `${result!.snapshotPrefix}manifest.json` }))).Body!.transformToString());
  expect(manifest).toMatchObject({ complete: true });

  // Every Atlassian request was the scoped token's Basic auth through the gateway: no OAuth token endpoint.
  expect(emulator.requests.length).toBeGreaterThan(0);
  expect(emulator.requests.filter((r) => r.path.includes("/oauth/token"))).toEqual([]);
  // The site's identity first (tenant_info, unauthenticated), then only the scoped token through the gateway.
  expect(emulator.requests[0]).toMatchObject({ host: "site", auth: "none", path: "/_edge/tenant_info" });
  expect([...new Set(emulator.requests.slice(1).map((r) => `${r.host} ${r.auth}`))]).toEqual(["api basic"]);

  const run = runMetrics(output);
  expect(run).toMatchObject({ Connector: "acme-scoped", Success: 1 });
  expect(run.DaysUntilApiTokenExpiry).toBeGreaterThanOrEqual(99);
  expect(run.DaysUntilApiTokenExpiry).toBeLessThanOrEqual(100);
  expect(run).not.toHaveProperty("DaysUntilRefreshTokenFamilyExpiry");
  expect(output.includes(token)).toBe(false);
});

test("a revoked scoped token fails the run (the error alarm) with ScopedApiTokenRefusedError saying to create a new scoped token", async () => {
  const site = emulator.site("acme");
  const token = emulator.createApiToken("acme", { accountId: site.admin.accountId, scopes: DEFAULT_SCOPES });
  emulator.revokeApiToken(token);
  await configure("acme-revoked", scopedSecret(token));

  const { error, output } = await invoke();
  expect(error?.name).toBe("ScopedApiTokenRefusedError");
  expect(error?.message).toMatch(/Atlassian refused the scoped API token \(HTTP 401\): it has expired or was revoked/);
  expect(error?.message).toMatch(/Create a new scoped token at https:\/\/id\.atlassian\.com.*set scopedApiToken\.apiToken and scopedApiToken\.expiresAt and run pulumi up/);
  expect(runMetrics(output)).toMatchObject({ Connector: "acme-revoked", Success: 0 });
  expect(output).toMatch(/"event":"collector\.run\.failed".*"error":"ScopedApiTokenRefusedError"/);
  expect(`${error?.message}${output}`.includes(token)).toBe(false);
});

test("an OAuth secret without the refresh-token secret's variable is a named configuration error, before any Atlassian request", async () => {
  const app = emulator.app();
  await configure("acme-no-store", { clientId: app.clientId, clientSecret: app.clientSecret });
  emulator.clearRequests();

  const { error, output } = await invoke();
  expect(error?.name).toBe("CollectorConfigurationError");
  expect(error?.message).toMatch(/the credentials secret holds an OAuth client but JIRA_CONNECTOR_REFRESH_TOKEN_SECRET_ARN is not set/);
  expect(emulator.requests).toEqual([]);
  expect(`${error?.message}${output}`.includes(app.clientSecret)).toBe(false);
});

test("the built Lambda bundle runs a scoped-token connector the same way (npm run build makes it)", async () => {
  const site = emulator.site("acme");
  const token = emulator.createApiToken("acme", { accountId: site.admin.accountId, scopes: DEFAULT_SCOPES });
  await configure("acme-bundle", scopedSecret(token));
  emulator.clearRequests();
  const { result, error, output } = await invoke(BUNDLE);
  expect(error).toBeUndefined();
  expect(result?.complete).toBe(true);
  // The site's identity first (tenant_info, unauthenticated), then only the scoped token through the gateway.
  expect(emulator.requests[0]).toMatchObject({ host: "site", auth: "none", path: "/_edge/tenant_info" });
  expect([...new Set(emulator.requests.slice(1).map((r) => `${r.host} ${r.auth}`))]).toEqual(["api basic"]);
  expect(runMetrics(output)).toMatchObject({ Connector: "acme-bundle", Success: 1 });
  expect(output.includes(token)).toBe(false);
});
