import * as pulumi from "@pulumi/pulumi";
import { JiraConnector } from "../../components";
import { connectorArgs, only } from "./support/fixtures";
import { CLOUD_ID, settle, startMockEngine, type Registration } from "./support/mock-engine";

/** How the collector runs: function settings, schedule, dead letters, alarms — defaults and overrides. */

let registrations: Registration[];

beforeAll(async () => {
  registrations = await startMockEngine();
  new JiraConnector("acme", connectorArgs("acme"));
  new JiraConnector("globex", {
    ...connectorArgs("globex", {
      schedule: { expression: "rate(6 hours)", timezone: "Europe/Paris" },
      inactivityDays: 60,
      auditLookbackDays: 7,
      alarms: { snsTopicArn: "arn:aws:sns:eu-west-1:123456789012:ops" },
      lambda: { memoryMb: 1024, timeoutSeconds: 900, logRetentionDays: 30 },
    }),
    license: { email: "admin@globex.example", apiToken: "globex-PLAIN-api-token" },
  });
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

const get = (type: string, name: string) => only(registrations, type, name).inputs;
const outputs = (name: string) => registrations.find((r) => r.name === name)!.outputs;

describe("function", () => {
  test("nodejs22.x on arm64, reserved concurrency 1, the bundle's handler, defaults", () => {
    const fn = get("aws:lambda/function:Function", "acme-collector");
    expect(fn).toMatchObject({
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      reservedConcurrentExecutions: 1,
      memorySize: 512,
      timeout: 600,
      role: outputs("acme-collector-role").arn,
      loggingConfig: { logFormat: "Text", logGroup: "/jira-connector/acme/collector" },
    });
  });

  test("the environment is the collector's configuration, without secrets", () => {
    expect(get("aws:lambda/function:Function", "acme-collector").environment.variables).toEqual({
      JIRA_CONNECTOR_NAME: "acme",
      JIRA_CONNECTOR_SITE: "acme",
      JIRA_CONNECTOR_CLOUD_ID: CLOUD_ID,
      JIRA_CONNECTOR_CREDENTIALS_SECRET_ARN: outputs("acme-credentials").arn,
      JIRA_CONNECTOR_REFRESH_TOKEN_SECRET_ARN: outputs("acme-refresh-token").arn,
      JIRA_CONNECTOR_BUCKET: outputs("acme-snapshots").bucket,
      JIRA_CONNECTOR_SNAPSHOT_KMS_KEY_ARN: outputs("acme-key").arn,
      JIRA_CONNECTOR_INACTIVITY_DAYS: "90",
      JIRA_CONNECTOR_AUDIT_LOOKBACK_DAYS: "90",
      JIRA_CONNECTOR_API_TOKEN_EXPIRES_AT: "2027-06-30",
    });
  });

  test("the configuration the function gets is accepted by the collector's own parser", () => {
    const { parseLambdaConfig } = require("../../collector/lambda-config") as typeof import("../../collector/lambda-config");
    const config = parseLambdaConfig(get("aws:lambda/function:Function", "acme-collector").environment.variables);
    expect(config).toMatchObject({ connectorName: "acme", site: "acme", cloudId: CLOUD_ID, inactivityDays: 90, auditLookbackDays: 90 });
  });

  test("overrides: memory, timeout, log retention, inactivity and lookback; no API-token expiry when not given", () => {
    const fn = get("aws:lambda/function:Function", "globex-collector");
    expect(fn).toMatchObject({ memorySize: 1024, timeout: 900, reservedConcurrentExecutions: 1 });
    expect(fn.environment.variables).toMatchObject({ JIRA_CONNECTOR_INACTIVITY_DAYS: "60", JIRA_CONNECTOR_AUDIT_LOOKBACK_DAYS: "7" });
    expect(fn.environment.variables.JIRA_CONNECTOR_API_TOKEN_EXPIRES_AT).toBeUndefined();
    expect(get("aws:cloudwatch/logGroup:LogGroup", "globex-collector-logs").retentionInDays).toBe(30);
  });

  test("log group: fixed name, retention, the connector key", () => {
    expect(get("aws:cloudwatch/logGroup:LogGroup", "acme-collector-logs")).toMatchObject({
      name: "/jira-connector/acme/collector",
      retentionInDays: 90,
      kmsKeyId: outputs("acme-key").arn,
    });
  });

  test("failed asynchronous runs are retried twice, then go to the dead-letter queue", () => {
    expect(get("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "acme-collector-async")).toEqual({
      functionName: outputs("acme-collector").name,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 21600,
      destinationConfig: { onFailure: { destination: outputs("acme-dead-letters").arn } },
    });
  });
});

describe("schedule", () => {
  test("default: daily at 23:00 UTC, with retry policy and the dead-letter queue", () => {
    expect(get("aws:scheduler/schedule:Schedule", "acme-schedule")).toMatchObject({
      scheduleExpression: "cron(0 23 * * ? *)",
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      target: {
        arn: outputs("acme-collector").arn,
        roleArn: outputs("acme-schedule-role").arn,
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: outputs("acme-dead-letters").arn },
      },
    });
  });

  test("custom expression and time zone", () => {
    expect(get("aws:scheduler/schedule:Schedule", "globex-schedule")).toMatchObject({
      scheduleExpression: "rate(6 hours)",
      scheduleExpressionTimezone: "Europe/Paris",
    });
  });

  test("the dead-letter queue is KMS-encrypted and keeps messages 14 days", () => {
    expect(get("aws:sqs/queue:Queue", "acme-dead-letters")).toMatchObject({
      kmsMasterKeyId: outputs("acme-key").arn,
      messageRetentionSeconds: 1209600,
    });
  });
});

describe("alarms", () => {
  const alarm = (name: string) => get("aws:cloudwatch/metricAlarm:MetricAlarm", name);

  test("all notify the created topic, on alarm and on recovery", () => {
    const topic = outputs("acme-alarms").arn;
    for (const name of ["function-errors", "dead-letters", "no-successful-run", "refresh-token-expiry", "api-token-expiry"]) {
      expect([name, alarm(`acme-${name}`).alarmActions, alarm(`acme-${name}`).okActions]).toEqual([name, [topic], [topic]]);
    }
  });

  test("function errors and a non-empty DLQ", () => {
    expect(alarm("acme-function-errors")).toMatchObject({
      namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: outputs("acme-collector").name },
      statistic: "Sum", comparisonOperator: "GreaterThanThreshold", threshold: 0, treatMissingData: "notBreaching",
    });
    expect(alarm("acme-dead-letters")).toMatchObject({
      namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: outputs("acme-dead-letters").name },
      statistic: "Maximum", comparisonOperator: "GreaterThanThreshold", threshold: 0,
    });
  });

  test("no successful run for 2 × the schedule period, from the collector's Success metric", () => {
    expect(alarm("acme-no-successful-run")).toMatchObject({
      namespace: "JiraConnector", metricName: "Success", dimensions: { Connector: "acme" },
      statistic: "Maximum", period: 86400, evaluationPeriods: 2, comparisonOperator: "LessThanThreshold", threshold: 1,
      treatMissingData: "breaching",
    });
    expect(alarm("globex-no-successful-run")).toMatchObject({ period: 21600, evaluationPeriods: 2 });
  });

  test("refresh-token family and API token within 14 days of expiry", () => {
    for (const [name, metric] of [["acme-refresh-token-expiry", "DaysUntilRefreshTokenFamilyExpiry"], ["acme-api-token-expiry", "DaysUntilApiTokenExpiry"]]) {
      expect(alarm(name!)).toMatchObject({
        namespace: "JiraConnector", metricName: metric, dimensions: { Connector: "acme" },
        statistic: "Minimum", comparisonOperator: "LessThanOrEqualToThreshold", threshold: 14,
      });
    }
  });

  test("a given topic is used as is (no topic created), and no API-token alarm without an expiry date", () => {
    expect(registrations.some((r) => r.name === "globex-alarms")).toBe(false);
    expect(alarm("globex-function-errors").alarmActions).toEqual(["arn:aws:sns:eu-west-1:123456789012:ops"]);
    expect(registrations.some((r) => r.name === "globex-api-token-expiry")).toBe(false);
  });
});

test("snapshot bucket: versioned, SSE-KMS with the connector key, public access blocked, lifecycle, TLS only", () => {
  const bucket = outputs("acme-snapshots").bucket;
  expect(get("aws:s3/bucketVersioning:BucketVersioning", "acme-snapshots-versioning")).toMatchObject({ bucket, versioningConfiguration: { status: "Enabled" } });
  expect(get("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "acme-snapshots-encryption").rules).toEqual([
    { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: outputs("acme-key").arn }, bucketKeyEnabled: true },
  ]);
  expect(get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "acme-snapshots-public-access")).toEqual({
    bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  });
  expect(get("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "acme-snapshots-lifecycle").rules).toEqual([
    expect.objectContaining({ id: "expire-old-snapshots", status: "Enabled", filter: { prefix: "connectors/" }, expiration: { days: 365 }, noncurrentVersionExpiration: { noncurrentDays: 30 } }),
    expect.objectContaining({ id: "expire-old-fleet-tables", status: "Enabled", filter: { prefix: "fleet-tables/" }, expiration: { days: 365 }, noncurrentVersionExpiration: { noncurrentDays: 30 } }),
    expect.objectContaining({ id: "abort-incomplete-uploads", status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }),
  ]);
  const tls = JSON.parse(get("aws:s3/bucketPolicy:BucketPolicy", "acme-snapshots-tls-only").policy).Statement;
  expect(tls).toEqual([expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]);
});
