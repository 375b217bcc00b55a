import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createSecretsManagerStore } from "../../token-store";
import { LAMBDA_ENV } from "../../collector/lambda-config";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";

/**
 * The Lambda's run deadline: from `getRemainingTimeInMillis()` minus the write margin. With less time left than the
 * margin, reads stop at once — after the token step, which completes. Without even the subscriptions there is
 * nothing to report: the run fails (the schedule's retry comes), with a manifest that names the deadline first.
 */

let emulator: AtlassianEmulator;
let moto: Moto;
beforeAll(async () => {
  [emulator, moto] = await Promise.all([startAtlassianEmulator(), startMoto()]);
  Object.assign(process.env, moto.env, emulator.env);
}, 60_000);
afterAll(async () => {
  await Promise.all([emulator?.close(), moto?.stop()]);
});

test("too little time left: the token still rotates, no read starts, the manifest names the deadline and the run fails", async () => {
  const site = emulator.site("acme");
  const app = emulator.app();
  const sm = new SecretsManagerClient({});
  const credentials = await sm.send(new CreateSecretCommand({ Name: "jira/late/credentials", SecretString: JSON.stringify({ clientId: app.clientId, clientSecret: app.clientSecret, email: site.admin.email, apiToken: site.admin.apiToken }) }));
  const tokenSecret = await sm.send(new CreateSecretCommand({ Name: "jira/late/refresh-token" }));
  const grant = emulator.grant();
  const at = new Date().toISOString();
  const store = createSecretsManagerStore({ secretArn: tokenSecret.ARN! });
  await store.compareAndSwap(undefined, { refreshToken: grant.refreshToken, rotatedAt: at, familyStartedAt: at });
  const s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "late-snapshots" }));
  Object.assign(process.env, {
    [LAMBDA_ENV.connectorName]: "late",
    [LAMBDA_ENV.site]: "acme",
    [LAMBDA_ENV.cloudId]: site.cloudId,
    [LAMBDA_ENV.credentialsSecretArn]: credentials.ARN!,
    [LAMBDA_ENV.refreshTokenSecretArn]: tokenSecret.ARN!,
    [LAMBDA_ENV.bucketName]: "late-snapshots",
  });
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  emulator.clearRequests();
  let error: unknown;
  try {
    const { handler } = await import("../../collector/lambda");
    await handler({}, { awsRequestId: "req-late", getRemainingTimeInMillis: () => 20_000 }).catch((e: unknown) => (error = e));
  } finally {
    spy.mockRestore();
  }
  expect(error).toMatchObject({ code: "RUN_DEADLINE" });
  // The token step ran whole: the stored token is the family's current one.
  expect((await store.read())?.refreshToken).toBe(emulator.family(grant.familyId)?.currentRefreshToken);
  // No Jira read after it (tenant_info and the token exchange only).
  expect(emulator.requests.filter((r) => /\/rest\/api\/3\/(users|group|auditing|search)/.test(r.path))).toEqual([]);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: "late-snapshots", Prefix: "connectors/late/" }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!);
  expect(keys).not.toContain("connectors/late/latest.json");
  const manifestKey = keys.find((k) => k.endsWith("/manifest.json"))!;
  const manifest = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: "late-snapshots", Key: manifestKey }))).Body!.transformToString());
  expect(manifest).toMatchObject({ complete: false, failed: true });
  expect(manifest.reasons[0]).toMatch(/^run deadline reached after 0 s/);
  const run = lines.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l)).find((l) => l.Success !== undefined && !l.Product);
  expect(run).toMatchObject({ Success: 0 });
});
