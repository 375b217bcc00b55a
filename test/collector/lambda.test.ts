import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
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
    "<snapshot>/seat-report.json",
    "<snapshot>/subscriptions.json",
    "<snapshot>/users.ndjson.gz",
    "connectors/acme/latest.json",
  ]);

  const emf = lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
  const run = emf.find((l) => l.Success !== undefined && !l.Product);
  expect(run).toMatchObject({ Connector: "acme", Success: 1, DaysUntilRefreshTokenFamilyExpiry: 364 });
  expect(run.DaysUntilApiTokenExpiry).toBeGreaterThan(0);
  expect(emf.filter((l) => l.Product).map((l) => l.Product).sort()).toEqual(site.applicationRoles.map((r: { key: string }) => r.key).sort());

  const stored = await createSecretsManagerStore({ secretArn: tokenSecret.ARN! }).read();
  expect(stored?.refreshToken).toBe(emulator.family(grant.familyId)?.currentRefreshToken);
  const output = lines.join("");
  for (const secret of [app.clientSecret, site.admin.apiToken, grant.refreshToken, stored!.refreshToken]) expect(output.includes(secret)).toBe(false);
});
