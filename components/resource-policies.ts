import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsContext } from "./aws-context";
import { alarmArnPattern } from "./kms-key";

/**
 * Resource policies of the connector's topic, queue and secrets. Each starts with the same TLS-only Deny (a deny
 * only narrows access, so it covers every principal and action of the resource's service).
 */

export function denyInsecureTransport(service: string, resource: pulumi.Input<string>) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: `${service}:*`,
    Resource: resource,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

const accountRoot = (context: AwsContext) => pulumi.interpolate`arn:${context.partition}:iam::${context.accountId}:root`;

/**
 * The created alarm topic's policy, replacing SNS's default one: TLS only; the account manages and publishes through
 * IAM (the account root as principal, so IAM policies decide, as in SNS's default policy); CloudWatch publishes only
 * for this connector's alarms (`<name>-*`) of this account.
 */
export function alarmTopicPolicy(context: AwsContext, name: string, topicArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      denyInsecureTransport("sns", topicArn),
      {
        Sid: "AccountManagesTopicThroughIam",
        Effect: "Allow",
        Principal: { AWS: accountRoot(context) },
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
          StringEquals: { "aws:SourceAccount": context.accountId },
          ArnLike: { "aws:SourceArn": alarmArnPattern(context, `${name}-*`) },
        },
      },
    ],
  });
}

/**
 * The dead-letter queue's policy: TLS only, nothing else. The schedule's role and the function's role send with
 * their IAM policies (same account), so the queue policy grants nothing.
 */
export function deadLetterQueuePolicy(queueArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: [denyInsecureTransport("sqs", queueArn)] });
}

/**
 * `aws:PrincipalArn` of the identity running `pulumi up`. For an assumed role the caller identity is
 * `arn:aws:sts::<account>:assumed-role/<role>/<session>`, but `aws:PrincipalArn` is the role's IAM ARN, which may
 * carry a path the STS ARN drops: both `role/<role>` and `role/*\/<role>` are matched (ArnLike).
 */
export function deployerPrincipalArns(callerArn: string): string[] {
  const assumed = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  if (!assumed) return [callerArn];
  const [, partition, account, role] = assumed;
  return [`arn:${partition}:iam::${account}:role/${role}`, `arn:${partition}:iam::${account}:role/*/${role}`];
}

/** Reading or changing a secret's value: what the secret policy keeps to the collector, the deployer and the root. */
export const SECRET_VALUE_ACTIONS = [
  "secretsmanager:GetSecretValue",
  "secretsmanager:PutSecretValue",
  "secretsmanager:UpdateSecretVersionStage",
  "secretsmanager:RotateSecret",
  "secretsmanager:CancelRotateSecret",
];

/**
 * A connector secret's resource policy: TLS only; and nobody but the collector role, the deploying principal and
 * the account root may read or change the value (Deny unless `aws:PrincipalArn` is one of them). Management
 * actions (describe, tag, delete, restore, the resource policy itself) are deliberately left to IAM, so an
 * administrator or a different deployer can still fix or replace this policy — the secret cannot be locked out.
 */
export function secretPolicy(
  context: AwsContext,
  secretArn: pulumi.Input<string>,
  collectorRoleArn: pulumi.Input<string>,
  deployerArn: pulumi.Input<string>,
): pulumi.Output<string> {
  const allowed = pulumi
    .all([collectorRoleArn, deployerArn, accountRoot(context)])
    .apply(([role, deployer, root]) => [role, ...deployerPrincipalArns(deployer), root]);
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      denyInsecureTransport("secretsmanager", "*"),
      {
        Sid: "OnlyCollectorAndDeployerUseValue",
        Effect: "Deny",
        Principal: "*",
        Action: SECRET_VALUE_ACTIONS,
        Resource: "*",
        Condition: { ArnNotLike: { "aws:PrincipalArn": allowed } },
      },
    ],
  });
}

export function createSecretPolicy(
  name: string,
  context: AwsContext,
  secret: aws.secretsmanager.Secret,
  collectorRoleArn: pulumi.Input<string>,
  deployerArn: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): aws.secretsmanager.SecretPolicy {
  return new aws.secretsmanager.SecretPolicy(
    name,
    { secretArn: secret.arn, policy: secretPolicy(context, secret.arn, collectorRoleArn, deployerArn), blockPublicPolicy: true },
    opts,
  );
}
