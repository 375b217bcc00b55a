import * as pulumi from "@pulumi/pulumi";
import { settle, startMockEngine, valueOf, type Registration } from "./support/mock-engine";

/**
 * examples/multi-site under mocks: two connectors sharing SharedConnectorStorage's key and bucket and one topic.
 * The example imports `jira-connectors` as a user project would; here that name maps to this repository's entry.
 */

jest.mock("jira-connectors", () => jest.requireActual("../../index"), { virtual: true });

const PROJECT = "jira-connectors-multi-site";
let registrations: Registration[];
let example: { bucketName: pulumi.Output<string>; kmsKeyArn: pulumi.Output<string>; summary: Record<string, { snapshotPrefix: pulumi.Output<string> }> };

beforeAll(async () => {
  registrations = await startMockEngine(PROJECT, "prod");
  const config: Record<string, string> = { clientId: "client-id", clientSecret: "PLAIN-client-secret", alarmEmail: "it@example.com" };
  for (const site of ["acme", "globex"]) {
    Object.assign(config, { [`${site}.refreshToken`]: `${site}-PLAIN-refresh-token`, [`${site}.licenseEmail`]: `admin@${site}.example`, [`${site}.apiToken`]: `${site}-PLAIN-api-token` });
  }
  const secretKeys = ["clientSecret", "acme.refreshToken", "globex.refreshToken", "acme.apiToken", "globex.apiToken"].map((k) => `${PROJECT}:${k}`);
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])), secretKeys);
  example = await import("../../examples/multi-site");
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

test("one key and one bucket, under SharedConnectorStorage; none per connector", () => {
  const keys = registrations.filter((r) => r.type === "aws:kms/key:Key");
  const buckets = registrations.filter((r) => r.type === "aws:s3/bucket:Bucket");
  expect(keys.map((k) => k.name)).toEqual(["jira-shared-key"]);
  expect(buckets.map((b) => b.name)).toEqual(["jira-shared-snapshots"]);
  const storage = registrations.find((r) => r.type === "jira-connector:index:SharedStorage")!;
  expect(keys[0]!.parent).toBe(storage.urn);
  expect(buckets[0]!.parent).toBe(storage.urn);
});

test("both connectors use the shared key, bucket and topic, each under its own prefix", async () => {
  const keyArn = await valueOf(example.kmsKeyArn);
  const bucket = await valueOf(example.bucketName);
  const topic = registrations.find((r) => r.name === "jira-connector-alarms")!.outputs.arn;
  for (const site of ["acme", "globex"]) {
    const env = registrations.find((r) => r.name === `${site}-collector`)!.inputs.environment.variables;
    expect(env).toMatchObject({ JIRA_CONNECTOR_BUCKET: bucket, JIRA_CONNECTOR_SNAPSHOT_KMS_KEY_ARN: keyArn, JIRA_CONNECTOR_NAME: site });
    expect(registrations.find((r) => r.name === `${site}-function-errors`)!.inputs.alarmActions).toEqual([topic]);
    expect(registrations.some((r) => r.name === `${site}-alarms`)).toBe(false);
    expect(await valueOf(example.summary[site]!.snapshotPrefix)).toBe(`connectors/${site}/`);
  }
  expect(registrations.find((r) => r.name === "globex-schedule")!.inputs.scheduleExpressionTimezone).toBe("Europe/Berlin");
});
