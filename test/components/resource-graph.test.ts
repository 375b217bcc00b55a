import { JiraConnector } from "../../components";
import * as pulumi from "@pulumi/pulumi";
import { childrenOf, connectorArgs, only } from "./support/fixtures";
import { CLOUD_ID, settle, startMockEngine, valueOf, type Registration } from "./support/mock-engine";

/** The component's resource tree under a mocked engine: every resource, its parent, name, tags and order. */

let registrations: Registration[];
let acme: JiraConnector;

beforeAll(async () => {
  registrations = await startMockEngine();
  acme = new JiraConnector("acme", connectorArgs("acme", { alarms: { email: "it@acme.example" } }));
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

const EXPECTED: Array<[type: string, name: string]> = [
  ["aws:kms/key:Key", "acme-key"],
  ["aws:kms/alias:Alias", "acme-key-alias"],
  ["aws:secretsmanager/secret:Secret", "acme-credentials"],
  ["aws:secretsmanager/secretVersion:SecretVersion", "acme-credentials-value"],
  ["aws:secretsmanager/secret:Secret", "acme-refresh-token"],
  ["pulumi-nodejs:dynamic/jira:Connection", "acme-connection"],
  ["aws:s3/bucket:Bucket", "acme-snapshots"],
  ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "acme-snapshots-public-access"],
  ["aws:s3/bucketOwnershipControls:BucketOwnershipControls", "acme-snapshots-ownership"],
  ["aws:s3/bucketVersioning:BucketVersioning", "acme-snapshots-versioning"],
  ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "acme-snapshots-encryption"],
  ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "acme-snapshots-lifecycle"],
  ["aws:s3/bucketPolicy:BucketPolicy", "acme-snapshots-tls-only"],
  ["aws:sqs/queue:Queue", "acme-dead-letters"],
  ["aws:sqs/queuePolicy:QueuePolicy", "acme-dead-letters-tls-only"],
  ["aws:secretsmanager/secretPolicy:SecretPolicy", "acme-credentials-policy"],
  ["aws:secretsmanager/secretPolicy:SecretPolicy", "acme-refresh-token-policy"],
  ["aws:cloudwatch/logGroup:LogGroup", "acme-collector-logs"],
  ["aws:iam/role:Role", "acme-collector-role"],
  ["aws:iam/rolePolicy:RolePolicy", "acme-collector-policy"],
  ["aws:lambda/function:Function", "acme-collector"],
  ["aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "acme-collector-async"],
  ["aws:iam/role:Role", "acme-schedule-role"],
  ["aws:iam/rolePolicy:RolePolicy", "acme-schedule-policy"],
  ["aws:scheduler/schedule:Schedule", "acme-schedule"],
  ["aws:sns/topic:Topic", "acme-alarms"],
  ["aws:sns/topicPolicy:TopicPolicy", "acme-alarms-policy"],
  ["aws:sns/topicSubscription:TopicSubscription", "acme-alarms-email"],
  ["aws:cloudwatch/metricAlarm:MetricAlarm", "acme-function-errors"],
  ["aws:cloudwatch/metricAlarm:MetricAlarm", "acme-dead-letters"],
  ["aws:cloudwatch/metricAlarm:MetricAlarm", "acme-no-successful-run"],
  ["aws:cloudwatch/metricAlarm:MetricAlarm", "acme-refresh-token-expiry"],
  ["aws:cloudwatch/metricAlarm:MetricAlarm", "acme-api-token-expiry"],
];

/** Resource types whose AWS API takes no tags. */
const UNTAGGABLE = new Set([
  "pulumi-nodejs:dynamic/jira:Connection",
  "aws:kms/alias:Alias",
  "aws:secretsmanager/secretVersion:SecretVersion",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:secretsmanager/secretPolicy:SecretPolicy",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  "aws:scheduler/schedule:Schedule",
  "aws:sns/topicSubscription:TopicSubscription",
]);

test("registers the component with its type token", () => {
  const component = only(registrations, "jira-connector:index:JiraConnector", "acme");
  expect(component.custom).toBe(false);
  expect(component.urn).toBe("urn:pulumi:test::jira-connectors::jira-connector:index:JiraConnector::acme");
});

test("every resource is present, parented to the component and named from the connector name", () => {
  const children = childrenOf(registrations, "acme");
  expect(children.map((r) => [r.type, r.name]).sort()).toEqual([...EXPECTED].sort());
  // Nothing is registered outside the component.
  expect(registrations.filter((r) => r.parent === "" || r.parent === undefined).map((r) => r.type)).toEqual(["jira-connector:index:JiraConnector"]);
  for (const child of children) {
    expect(child.name.startsWith("acme-")).toBe(true);
    expect(child.urn).toContain("jira-connector:index:JiraConnector$");
  }
});

test("every taggable resource carries the connector tags and the caller's", () => {
  const taggable = childrenOf(registrations, "acme").filter((r) => !UNTAGGABLE.has(r.type));
  expect(taggable.length).toBe(EXPECTED.filter(([type]) => !UNTAGGABLE.has(type)).length);
  for (const resource of taggable) {
    expect([resource.name, resource.inputs.tags]).toEqual([resource.name, { team: "it-asset-management", "jira-connector": "acme", "managed-by": "pulumi" }]);
  }
});

describe("dependency order", () => {
  const byName = (name: string) => registrations.find((r) => r.name === name)!;
  const waitsFor = (dependent: string, dependency: string) => byName(dependent).dependencies.includes(byName(dependency).urn);

  test("the connection waits for both secrets (and the credentials value)", () => {
    expect(waitsFor("acme-connection", "acme-refresh-token")).toBe(true);
    expect(waitsFor("acme-connection", "acme-credentials-value")).toBe(true);
  });

  test("every collector resource waits for the validated connection", () => {
    const collectorSide = EXPECTED.map(([, name]) => name).filter(
      (name) => !["acme-key", "acme-key-alias", "acme-credentials", "acme-credentials-value", "acme-refresh-token", "acme-connection"].includes(name),
    );
    for (const name of collectorSide) expect([name, waitsFor(name, "acme-connection")]).toEqual([name, true]);
  });

  test("the schedule comes after the function and its own policy; the function after its policy and log group", () => {
    expect(waitsFor("acme-schedule", "acme-collector")).toBe(true);
    expect(waitsFor("acme-schedule", "acme-schedule-policy")).toBe(true);
    expect(waitsFor("acme-collector", "acme-collector-policy")).toBe(true);
    expect(waitsFor("acme-collector", "acme-collector-logs")).toBe(true);
    const order = registrations.map((r) => r.name);
    expect(order.indexOf("acme-connection")).toBeLessThan(order.indexOf("acme-schedule"));
  });

  test("the secrets are encrypted with the connector key", () => {
    expect(waitsFor("acme-credentials", "acme-key")).toBe(true);
    expect(waitsFor("acme-refresh-token", "acme-key")).toBe(true);
  });
});

test("outputs", async () => {
  const outputs = await valueOf(
    pulumi.output({
      cloudId: acme.cloudId,
      siteUrl: acme.siteUrl,
      products: acme.products,
      functionName: acme.functionName,
      scheduleArn: acme.scheduleArn,
      bucketName: acme.bucketName,
      snapshotPrefix: acme.snapshotPrefix,
      credentialsSecretArn: acme.credentialsSecretArn,
      refreshTokenSecretArn: acme.refreshTokenSecretArn,
      alarmTopicArn: acme.alarmTopicArn,
    }),
  );
  expect(outputs).toEqual({
    cloudId: CLOUD_ID,
    siteUrl: "https://acme.atlassian.net",
    products: [expect.objectContaining({ key: "jira-software", numberOfSeats: 20 })],
    functionName: "acme-collector-1a2b3c4",
    scheduleArn: expect.stringMatching(/^arn:aws:scheduler:/),
    bucketName: "acme-snapshots-1a2b3c4",
    snapshotPrefix: "connectors/acme/",
    credentialsSecretArn: expect.stringMatching(/^arn:aws:secretsmanager:.*acme-credentials/),
    refreshTokenSecretArn: expect.stringMatching(/^arn:aws:secretsmanager:.*acme-refresh-token/),
    alarmTopicArn: expect.stringMatching(/^arn:aws:sns:/),
  });
  expect(acme.connectorName).toBe("acme");
});
