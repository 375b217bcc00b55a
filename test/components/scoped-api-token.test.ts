import * as pulumi from "@pulumi/pulumi";
import { JiraConnector } from "../../components";
import { LAMBDA_ENV } from "../../collector/lambda-config";
import { childrenOf, daysFromNow, only, scopedConnectorArgs } from "./support/fixtures";
import { ACCOUNT, isSecret, REGION, settle, startMockEngine, unwrapSecret, valueOf, type Registration } from "./support/mock-engine";

/**
 * A connector with a scoped API token: no refresh-token secret (nothing rotates), the credentials secret holds the
 * scoped token in its own shape, the collector's policy names only what exists, and the API-token alarm is driven
 * by `scopedApiToken.expiresAt`.
 */

let registrations: Registration[];
let initech: JiraConnector;
const ORG_ID = "5a6b7c8d-1234-4abc-9def-0123456789ab";
const UMBRELLA_EXPIRY = daysFromNow(200);

beforeAll(async () => {
  registrations = await startMockEngine();
  initech = new JiraConnector("initech", scopedConnectorArgs("initech"));
  // Secret config arrives as secret Outputs; with an org, its key joins the scoped token in the secret.
  new JiraConnector("umbrella", scopedConnectorArgs("umbrella", {
    scopedApiToken: { email: "admin@umbrella.example", apiToken: pulumi.secret("umbrella-PLAIN-scoped-token"), expiresAt: UMBRELLA_EXPIRY },
    org: { orgId: ORG_ID, apiKey: pulumi.secret("umbrella-PLAIN-org-key") },
  }));
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

const named = (type: string, connector: string) => childrenOf(registrations, connector).filter((r) => r.type === type).map((r) => r.name).sort();

test("no refresh-token secret: the only secret is the credentials secret, with one SecretVersion", () => {
  expect(named("aws:secretsmanager/secret:Secret", "initech")).toEqual(["initech-credentials"]);
  expect(named("aws:secretsmanager/secretVersion:SecretVersion", "initech")).toEqual(["initech-credentials-value"]);
  expect(registrations.some((r) => r.name.endsWith("-refresh-token"))).toBe(false);
});

test('the credentials secret holds {"method":"scoped-api-token","email","apiToken"} as a Pulumi secret, no OAuth or refresh-token parts', () => {
  const version = only(registrations, "aws:secretsmanager/secretVersion:SecretVersion", "initech-credentials-value");
  expect(isSecret(version.inputs.secretString)).toBe(true);
  const value = JSON.parse(unwrapSecret(version.inputs.secretString));
  expect(value).toEqual({ method: "scoped-api-token", email: "admin@initech.example", apiToken: "initech-PLAIN-scoped-token" });
  expect(Object.keys(value).filter((k) => /client|refresh/i.test(k))).toEqual([]);
  const withOrg = JSON.parse(unwrapSecret(only(registrations, "aws:secretsmanager/secretVersion:SecretVersion", "umbrella-credentials-value").inputs.secretString));
  expect(withOrg).toEqual({ method: "scoped-api-token", email: "admin@umbrella.example", apiToken: "umbrella-PLAIN-scoped-token", orgApiKey: "umbrella-PLAIN-org-key" });
});

test("the connection gets scopedApiToken (token secret), and no oauth, tokenStore or license", () => {
  const connection = only(registrations, "pulumi-nodejs:dynamic/jira:Connection", "initech-connection");
  // Secret at the token or above it (a secret field makes its containing object secret on the wire).
  expect(isSecret(connection.inputs.scopedApiToken) || isSecret(connection.inputs.scopedApiToken?.apiToken)).toBe(true);
  const token = unwrapSecret(connection.inputs.scopedApiToken);
  expect(token.email).toBe("admin@initech.example");
  expect(unwrapSecret(token.apiToken)).toBe("initech-PLAIN-scoped-token");
  expect(token.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(connection.inputs.oauth).toBeUndefined();
  expect(connection.inputs.tokenStore).toBeUndefined();
  expect(connection.inputs.license).toBeUndefined();
});

test("the collector's policy names only the credentials secret, the key, the bucket prefixes, the log group and the DLQ", () => {
  const arnOf = (name: string) => registrations.find((r) => r.name === name)!.outputs.arn as string;
  const policy = JSON.parse(only(registrations, "aws:iam/rolePolicy:RolePolicy", "initech-collector-policy").inputs.policy);
  expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
    "ReadCredentials",
    "UseConnectorKeyThroughServices",
    "WriteOwnSnapshots",
    "WriteOwnFleetTables",
    "TellMissingSnapshotsFromDenied",
    "WriteOwnLogs",
    "SendFailedInvocations",
  ]);
  expect(policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource)).toEqual([
    arnOf("initech-credentials"),
    arnOf("initech-key"),
    `${arnOf("initech-snapshots")}/connectors/initech/*`,
    ...["manifests", "users", "activity", "people", "products", "roles"].map((k) => `${arnOf("initech-snapshots")}/fleet-tables/${k}/connector=initech/*`),
    arnOf("initech-snapshots"),
    `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/jira-connector/initech/collector:*`,
    arnOf("initech-dead-letters"),
  ]);
  expect(JSON.stringify(policy)).not.toMatch(/PutSecretValue|UpdateSecretVersionStage|refresh-token/);
});

test("the function's environment: the expiry from scopedApiToken.expiresAt, no refresh-token secret variable", () => {
  const env = only(registrations, "aws:lambda/function:Function", "initech-collector").inputs.environment.variables;
  const connection = only(registrations, "pulumi-nodejs:dynamic/jira:Connection", "initech-connection");
  expect(env[LAMBDA_ENV.apiTokenExpiresAt]).toBe(unwrapSecret(connection.inputs.scopedApiToken).expiresAt);
  expect(env[LAMBDA_ENV.refreshTokenSecretArn]).toBeUndefined();
  expect(env[LAMBDA_ENV.credentialsSecretArn]).toMatch(/initech-credentials/);
  const umbrella = only(registrations, "aws:lambda/function:Function", "umbrella-collector").inputs.environment.variables;
  expect(umbrella[LAMBDA_ENV.apiTokenExpiresAt]).toBe(UMBRELLA_EXPIRY);
  expect(umbrella[LAMBDA_ENV.orgId]).toBe(ORG_ID);
});

test("alarms: the API-token alarm always (expiresAt is required), no refresh-token alarm; descriptions say what to do", () => {
  expect(named("aws:cloudwatch/metricAlarm:MetricAlarm", "initech")).toEqual([
    "initech-api-token-expiry",
    "initech-dead-letters",
    "initech-function-errors",
    "initech-no-successful-run",
  ]);
  const alarm = (suffix: string) => only(registrations, "aws:cloudwatch/metricAlarm:MetricAlarm", `initech-${suffix}`).inputs;
  expect(alarm("api-token-expiry")).toMatchObject({ metricName: "DaysUntilApiTokenExpiry", namespace: "JiraConnector", threshold: 14, comparisonOperator: "LessThanOrEqualToThreshold" });
  const expiry = alarm("api-token-expiry").alarmDescription;
  expect(expiry).toContain("scopedApiToken.apiToken");
  expect(expiry).toContain("scopedApiToken.expiresAt");
  expect(expiry).toContain("Create API token with scopes");
  for (const suffix of ["function-errors", "dead-letters", "no-successful-run", "api-token-expiry"]) {
    const text = alarm(suffix).alarmDescription as string;
    // Nothing about a token secret that does not exist; still within CloudWatch's limit.
    expect(text).not.toMatch(/AWSPREVIOUS|refresh-token|re-authorize/);
    expect(text.length).toBeLessThanOrEqual(1024);
  }
  expect(alarm("function-errors").alarmDescription).toMatch(/ScopedApiTokenRefusedError.*create a new scoped token/);
});

test("outputs: refreshTokenSecretArn is undefined, the credentials secret's ARN is set", async () => {
  expect(await valueOf(initech.refreshTokenSecretArn)).toBeUndefined();
  expect(await valueOf(initech.credentialsSecretArn)).toMatch(/^arn:aws:secretsmanager:.*initech-credentials/);
});

test("no plaintext scoped token or org key outside a secret, in any resource's inputs", () => {
  const stripSecrets = (value: any): any => {
    if (isSecret(value)) return "[secret]";
    if (Array.isArray(value)) return value.map(stripSecrets);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripSecrets(v)]));
    return value;
  };
  for (const registration of registrations) {
    expect([registration.name, JSON.stringify(stripSecrets(registration.inputs))]).toEqual([registration.name, expect.not.stringMatching(/PLAIN-/)]);
  }
});
