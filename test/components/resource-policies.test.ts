import * as pulumi from "@pulumi/pulumi";
import { JiraConnector, SharedConnectorStorage } from "../../components";
import { deployerPrincipalArns, SECRET_VALUE_ACTIONS } from "../../components/resource-policies";
import { connectorArgs, only, scopedConnectorArgs } from "./support/fixtures";
import { ACCOUNT, REGION, settle, startMockEngine, type Registration } from "./support/mock-engine";

/** Resource policies, statement by statement: the alarm topic, the dead-letter queue, the secrets, the shared key. */

let registrations: Registration[];

beforeAll(async () => {
  registrations = await startMockEngine();
  new JiraConnector("acme", connectorArgs("acme"));
  new JiraConnector("initech", scopedConnectorArgs("initech", { alarms: { snsTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:ops` } }));
  new SharedConnectorStorage("shared");
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

const arnOf = (type: string, name: string) => only(registrations, type, name).outputs.arn as string;
const policy = (type: string, name: string, field = "policy") => JSON.parse(only(registrations, type, name).inputs[field]);
const tlsOnly = (service: string, resource: string) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: `${service}:*`,
  Resource: resource,
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:user/ci`; // the mock's caller identity
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

describe("alarm topic (created)", () => {
  test("is encrypted with the connector's key", () => {
    expect(only(registrations, "aws:sns/topic:Topic", "acme-alarms").inputs.kmsMasterKeyId).toBe(arnOf("aws:kms/key:Key", "acme-key"));
  });

  test("policy: TLS only; the account through IAM; CloudWatch publishes for this connector's alarms only", () => {
    const topicArn = arnOf("aws:sns/topic:Topic", "acme-alarms");
    const registration = only(registrations, "aws:sns/topicPolicy:TopicPolicy", "acme-alarms-policy");
    expect(registration.inputs.arn).toBe(topicArn);
    expect(JSON.parse(registration.inputs.policy).Statement).toEqual([
      tlsOnly("sns", topicArn),
      {
        Sid: "AccountManagesTopicThroughIam",
        Effect: "Allow",
        Principal: { AWS: ROOT },
        Action: [
          "sns:GetTopicAttributes",
          "sns:SetTopicAttributes",
          "sns:AddPermission",
          "sns:RemovePermission",
          "sns:DeleteTopic",
          "sns:Subscribe",
          "sns:ListSubscriptionsByTopic",
          "sns:Publish",
        ],
        Resource: topicArn,
      },
      {
        Sid: "ConnectorAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:acme-*` },
        },
      },
    ]);
  });

  test("every alarm of the connector matches the topic's and the key's alarm pattern; no other connector's does", () => {
    const alarms = registrations.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
    const pattern = /^arn:aws:cloudwatch:eu-west-1:123456789012:alarm:acme-.*$/;
    const acme = alarms.filter((a) => a.name.startsWith("acme-"));
    expect(acme.length).toBeGreaterThanOrEqual(4);
    const alarmArn = (alarm: Registration) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarm.outputs.name}`;
    for (const alarm of acme) expect(alarmArn(alarm)).toMatch(pattern);
    for (const alarm of alarms.filter((a) => !a.name.startsWith("acme-"))) expect(alarmArn(alarm)).not.toMatch(pattern);
  });

  test("a given topic is the caller's: no topic and no topic policy are created", () => {
    expect(registrations.some((r) => r.type === "aws:sns/topic:Topic" && r.name.startsWith("initech"))).toBe(false);
    expect(registrations.some((r) => r.type === "aws:sns/topicPolicy:TopicPolicy" && r.name.startsWith("initech"))).toBe(false);
  });
});

test("dead-letter queue policy: TLS only and nothing else (both roles send through IAM)", () => {
  const queue = only(registrations, "aws:sqs/queue:Queue", "acme-dead-letters");
  const registration = only(registrations, "aws:sqs/queuePolicy:QueuePolicy", "acme-dead-letters-tls-only");
  expect(registration.dependencies).toContain(queue.urn);
  expect(JSON.parse(registration.inputs.policy)).toEqual({ Version: "2012-10-17", Statement: [tlsOnly("sqs", queue.outputs.arn)] });
});

describe("secret policies", () => {
  const collectorRole = (connector: string) => arnOf("aws:iam/role:Role", `${connector}-collector-role`);
  const expected = (connector: string) => [
    tlsOnly("secretsmanager", "*"),
    {
      Sid: "OnlyCollectorAndDeployerUseValue",
      Effect: "Deny",
      Principal: "*",
      Action: [
        "secretsmanager:GetSecretValue",
        "secretsmanager:PutSecretValue",
        "secretsmanager:UpdateSecretVersionStage",
        "secretsmanager:RotateSecret",
        "secretsmanager:CancelRotateSecret",
      ],
      Resource: "*",
      Condition: { ArnNotLike: { "aws:PrincipalArn": [collectorRole(connector), DEPLOYER, ROOT] } },
    },
  ];

  test.each([
    ["acme-credentials-policy", "acme-credentials", "acme"],
    ["acme-refresh-token-policy", "acme-refresh-token", "acme"],
    ["initech-credentials-policy", "initech-credentials", "initech"],
  ])("%s: TLS only; only the collector role, the deployer and the root read or change the value", (policyName, secretName, connector) => {
    const registration = only(registrations, "aws:secretsmanager/secretPolicy:SecretPolicy", policyName);
    expect(registration.inputs.secretArn).toBe(arnOf("aws:secretsmanager/secret:Secret", secretName));
    expect(registration.inputs.blockPublicPolicy).toBe(true);
    expect(JSON.parse(registration.inputs.policy).Statement).toEqual(expected(connector));
  });

  test("a scoped-token connector has no refresh-token secret, so no policy for one", () => {
    expect(registrations.some((r) => r.name === "initech-refresh-token-policy")).toBe(false);
  });

  test("management actions (describe, delete, the resource policy itself) are not in the Deny: IAM can always fix it", () => {
    for (const action of ["secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy", "secretsmanager:DescribeSecret", "secretsmanager:DeleteSecret"]) {
      expect(SECRET_VALUE_ACTIONS).not.toContain(action);
    }
  });

  test("the policies wait for the connection (which seeds the refresh token as the deployer)", () => {
    const connection = only(registrations, "pulumi-nodejs:dynamic/jira:Connection", "acme-connection");
    expect(only(registrations, "aws:secretsmanager/secretPolicy:SecretPolicy", "acme-refresh-token-policy").dependencies).toContain(connection.urn);
  });
});

describe("deployer principal", () => {
  test("a user or role ARN is used as is", () => {
    expect(deployerPrincipalArns(DEPLOYER)).toEqual([DEPLOYER]);
    expect(deployerPrincipalArns(`arn:aws:iam::${ACCOUNT}:role/deploy`)).toEqual([`arn:aws:iam::${ACCOUNT}:role/deploy`]);
  });

  test("an assumed role becomes its role's ARN, with or without a path (aws:PrincipalArn is the role, not the session)", () => {
    expect(deployerPrincipalArns(`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/gh-actions-42`)).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/deploy`,
      `arn:aws:iam::${ACCOUNT}:role/*/deploy`,
    ]);
    expect(deployerPrincipalArns(`arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com`)).toEqual([
      `arn:aws-us-gov:iam::${ACCOUNT}:role/AWSReservedSSO_Admin_0123`,
      `arn:aws-us-gov:iam::${ACCOUNT}:role/*/AWSReservedSSO_Admin_0123`,
    ]);
  });
});

test("shared key: CloudWatch may use it for this account's alarms (its connectors are not known when it is created)", () => {
  const statement = policy("aws:kms/key:Key", "shared-key").Statement.find((s: any) => s.Sid === "CloudWatchAlarmsPublishToEncryptedTopic");
  expect(statement).toEqual({
    Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
    Effect: "Allow",
    Principal: { Service: "cloudwatch.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:*` } },
  });
});
