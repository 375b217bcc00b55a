import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { LAMBDA_ENV } from "../../collector/lambda-config";
import { createConnection } from "../../providers/jira-connection/lifecycle";
import { checkConnectionInputs, asConnectionInputs } from "../../providers/jira-connection/check";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";

/**
 * The refresh-token family expiry metric counts from the consent (issue 14 item 3): the provider seeds the secret
 * (create, against the emulator and moto), then the Lambda runs and reports the days left.
 */

const DAY = 86_400_000;
let emulator: AtlassianEmulator;
let moto: Moto;
beforeAll(async () => {
  [emulator, moto] = await Promise.all([startAtlassianEmulator(), startMoto()]);
  Object.assign(process.env, moto.env, emulator.env);
}, 60_000);
afterAll(async () => {
  await Promise.all([emulator?.close(), moto?.stop()]);
});

async function deployAndRun(name: string, issuedAt: string | undefined): Promise<Record<string, unknown>> {
  const site = emulator.site("acme");
  const app = emulator.app();
  const sm = new SecretsManagerClient({});
  const credentials = await sm.send(new CreateSecretCommand({ Name: `jira/${name}/credentials`, SecretString: JSON.stringify({ clientId: app.clientId, clientSecret: app.clientSecret }) }));
  const tokenSecret = await sm.send(new CreateSecretCommand({ Name: `jira/${name}/refresh-token` }));
  const raw = {
    site: "acme",
    oauth: { clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: emulator.grant().refreshToken, ...(issuedAt ? { refreshTokenIssuedAt: issuedAt } : {}) },
    tokenStore: { secretArn: tokenSecret.ARN! },
  };
  const checked = checkConnectionInputs(raw);
  expect(checked.failures).toEqual([]);
  await createConnection(asConnectionInputs(checked.inputs));
  await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: `${name}-snapshots` }));
  Object.assign(process.env, {
    [LAMBDA_ENV.connectorName]: name,
    [LAMBDA_ENV.site]: "acme",
    [LAMBDA_ENV.cloudId]: site.cloudId,
    [LAMBDA_ENV.credentialsSecretArn]: credentials.ARN!,
    [LAMBDA_ENV.refreshTokenSecretArn]: tokenSecret.ARN!,
    [LAMBDA_ENV.bucketName]: `${name}-snapshots`,
  });
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const { handler } = await import("../../collector/lambda");
    await handler({}, { awsRequestId: `req-${name}` });
  } finally {
    spy.mockRestore();
  }
  return lines.map((l) => JSON.parse(l)).find((l) => l._aws && l.Success !== undefined && !l.Product);
}

test("with refreshTokenIssuedAt 30 days ago, the Lambda reports 334 days until the grant expires", async () => {
  const issuedAt = new Date(Date.now() - 30 * DAY).toISOString();
  expect(await deployAndRun("consented", issuedAt)).toMatchObject({ Success: 1, DaysUntilRefreshTokenFamilyExpiry: 334 });
}, 60_000);

test("without it, the family counts from the first `up`: 364 days", async () => {
  expect(await deployAndRun("first-up", undefined)).toMatchObject({ Success: 1, DaysUntilRefreshTokenFamilyExpiry: 364 });
}, 60_000);
