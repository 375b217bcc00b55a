import * as pulumi from "@pulumi/pulumi";
import { JiraConnector } from "../../components";
import { connectorArgs, only } from "./support/fixtures";
import { ACCOUNT, REGION, settle, startMockEngine, type Registration } from "./support/mock-engine";

/** Least privilege, statement by statement: the collector role, the scheduler role, and the key policy. */

let registrations: Registration[];

beforeAll(async () => {
  registrations = await startMockEngine();
  new JiraConnector("acme", connectorArgs("acme"));
  // A second connector sharing a given key and bucket: its policy still names only its own prefix and secrets.
  new JiraConnector("globex", connectorArgs("globex", {
    kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/shared`,
    bucketName: "shared-snapshots",
  }));
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

const arnOf = (name: string) => registrations.find((r) => r.name === name)!.outputs.arn as string;
const policyOf = (name: string) => JSON.parse(only(registrations, "aws:iam/rolePolicy:RolePolicy", name).inputs.policy);
const statements = (name: string) => policyOf(name).Statement as Array<Record<string, any>>;

describe("collector role (acme: own key and bucket)", () => {
  const sid = (s: string) => statements("acme-collector-policy").find((x) => x.Sid === s);

  test("has exactly these statements", () => {
    expect(statements("acme-collector-policy").map((s) => s.Sid)).toEqual([
      "ReadCredentials",
      "RotateRefreshToken",
      "UseConnectorKeyThroughServices",
      "WriteOwnSnapshots",
      "WriteOwnFleetTables",
      "TellMissingSnapshotsFromDenied",
      "WriteOwnLogs",
      "SendFailedInvocations",
    ]);
  });

  test("ReadCredentials: read the credentials secret only", () => {
    expect(sid("ReadCredentials")).toEqual({
      Sid: "ReadCredentials", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [arnOf("acme-credentials")],
    });
  });

  test("RotateRefreshToken: the token store's compare-and-swap on the refresh-token secret only", () => {
    expect(sid("RotateRefreshToken")).toEqual({
      Sid: "RotateRefreshToken",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
      Resource: [arnOf("acme-refresh-token")],
    });
  });

  test("UseConnectorKeyThroughServices: decrypt/generate with this key, only via Secrets Manager, S3 and SQS", () => {
    expect(sid("UseConnectorKeyThroughServices")).toEqual({
      Sid: "UseConnectorKeyThroughServices",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [arnOf("acme-key")],
      Condition: { StringEquals: { "kms:ViaService": [`secretsmanager.${REGION}.amazonaws.com`, `s3.${REGION}.amazonaws.com`, `sqs.${REGION}.amazonaws.com`] } },
    });
  });

  test("WriteOwnSnapshots: objects under connectors/acme/ only", () => {
    expect(sid("WriteOwnSnapshots")).toEqual({
      Sid: "WriteOwnSnapshots",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
      Resource: [`${arnOf("acme-snapshots")}/connectors/acme/*`],
    });
  });

  test("WriteOwnFleetTables: put (no read) under fleet-tables/<kind>/connector=acme/ for each kind, nothing wider", () => {
    const kinds = ["manifests", "users", "activity", "people", "products", "roles"];
    expect(sid("WriteOwnFleetTables")).toEqual({
      Sid: "WriteOwnFleetTables",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: kinds.map((k) => `${arnOf("acme-snapshots")}/fleet-tables/${k}/connector=acme/*`),
    });
  });

  test("TellMissingSnapshotsFromDenied: list this bucket only", () => {
    expect(sid("TellMissingSnapshotsFromDenied")).toEqual({
      Sid: "TellMissingSnapshotsFromDenied", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arnOf("acme-snapshots")],
    });
  });

  test("WriteOwnLogs: streams of its own log group; no CreateLogGroup", () => {
    expect(sid("WriteOwnLogs")).toEqual({
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/jira-connector/acme/collector:*`],
    });
  });

  test("SendFailedInvocations: its own dead-letter queue only", () => {
    expect(sid("SendFailedInvocations")).toEqual({
      Sid: "SendFailedInvocations", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [arnOf("acme-dead-letters")],
    });
  });

  test("trust: Lambda only", () => {
    expect(JSON.parse(only(registrations, "aws:iam/role:Role", "acme-collector-role").inputs.assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });
});

test("globex's policy (shared key and bucket) names the given key, the given bucket and only its own prefix", () => {
  const globex = statements("globex-collector-policy");
  const sid = (s: string) => globex.find((x) => x.Sid === s)!;
  expect(sid("UseConnectorKeyThroughServices").Resource).toEqual([`arn:aws:kms:${REGION}:${ACCOUNT}:key/shared`]);
  expect(sid("WriteOwnSnapshots").Resource).toEqual(["arn:aws:s3:::shared-snapshots/connectors/globex/*"]);
  expect(sid("WriteOwnFleetTables").Resource).toHaveLength(6);
  for (const resource of sid("WriteOwnFleetTables").Resource) expect(resource).toMatch(/^arn:aws:s3:::shared-snapshots\/fleet-tables\/[a-z]+\/connector=globex\/\*$/);
  expect(sid("TellMissingSnapshotsFromDenied").Resource).toEqual(["arn:aws:s3:::shared-snapshots"]);
  expect(sid("RotateRefreshToken").Resource).toEqual([arnOf("globex-refresh-token")]);
  expect(registrations.some((r) => r.type === "aws:kms/key:Key" && r.name.startsWith("globex"))).toBe(false);
  expect(registrations.some((r) => r.type === "aws:s3/bucket:Bucket" && r.name.startsWith("globex"))).toBe(false);
});

describe("schedule role", () => {
  test("invokes this function and delivers dead letters to this queue (with the key, via SQS)", () => {
    expect(statements("acme-schedule-policy")).toEqual([
      { Sid: "InvokeCollector", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [arnOf("acme-collector")] },
      { Sid: "SendDeadLetters", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [arnOf("acme-dead-letters")] },
      {
        Sid: "EncryptDeadLetters",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [arnOf("acme-key")],
        Condition: { StringEquals: { "kms:ViaService": [`sqs.${REGION}.amazonaws.com`] } },
      },
    ]);
  });

  test("trust: EventBridge Scheduler of this account, for this connector's schedule only", () => {
    expect(JSON.parse(only(registrations, "aws:iam/role:Role", "acme-schedule-role").inputs.assumeRolePolicy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/acme-schedule-*` },
        },
      },
    ]);
    // The pattern matches the schedule's actual (auto-named) ARN in the default group.
    const schedule = only(registrations, "aws:scheduler/schedule:Schedule", "acme-schedule");
    expect(schedule.inputs.groupName ?? "default").toBe("default");
    expect(schedule.outputs.name).toMatch(/^acme-schedule-/);
  });
});

test("no role policy has a wildcard action or a '*' resource", () => {
  const policies = registrations.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
  expect(policies.map((p) => p.name).sort()).toEqual(["acme-collector-policy", "acme-schedule-policy", "globex-collector-policy", "globex-schedule-policy"]);
  for (const policy of policies) {
    for (const statement of JSON.parse(policy.inputs.policy).Statement) {
      expect(statement.Effect).toBe("Allow");
      for (const action of [statement.Action].flat()) expect([policy.name, action]).toEqual([policy.name, expect.not.stringContaining("*")]);
      for (const resource of [statement.Resource].flat()) expect([policy.name, resource]).not.toEqual([policy.name, "*"]);
    }
  }
});

test("key policy: the account root through IAM, CloudWatch Logs only for connector log groups, CloudWatch only for the connector's alarms", () => {
  const policy = JSON.parse(only(registrations, "aws:kms/key:Key", "acme-key").inputs.policy);
  expect(policy.Statement).toEqual([
    { Sid: "AccountRootManagesKeyThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
    {
      Sid: "CloudWatchLogsEncryptsConnectorLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${REGION}.amazonaws.com` },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/jira-connector/*` } },
    },
    {
      Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:acme-*` },
      },
    },
  ]);
  expect(only(registrations, "aws:kms/key:Key", "acme-key").inputs.enableKeyRotation).toBe(true);
});
