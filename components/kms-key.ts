import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_GROUP_PREFIX, type AwsContext } from "./aws-context";

/**
 * The key policy of a connector key. A key policy's `Resource` is always `"*"`: it can only name the key it is
 * attached to, and AWS documents `"*"` as "this key" (the API requires a resource element).
 *
 * 1. The account root may do everything with the key: this delegates access control to IAM policies (AWS's
 *    default key policy). Without it the key can become unmanageable, and PutKeyPolicy's lockout check refuses it.
 *    This is the only wildcard action, and it is granted to the account itself, not to any role.
 * 2. CloudWatch Logs in this region may use the key, only for connector log groups (`/jira-connector/*`) of this
 *    account — Logs encrypts with its own service principal, not the caller's IAM permissions.
 *
 * 3. CloudWatch may use the key (kms:Decrypt, kms:GenerateDataKey*) only for this account's alarms named
 *    `alarmNamePattern` (`<name>-*` for a connector's own key, `*` for a shared key, whose connectors are not known
 *    when it is created): the alarm topic is encrypted with the key, and an alarm publishes as the CloudWatch
 *    service principal, so without this statement the alarms could not notify.
 *
 * Secrets Manager, S3, SQS and EventBridge Scheduler use the key on behalf of IAM principals (the collector role,
 * the scheduler role, whoever runs `pulumi up`), so statement 1 plus those principals' IAM policies cover them.
 */
export function connectorKeyPolicy(context: AwsContext, alarmNamePattern: string): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountRootManagesKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: pulumi.interpolate`arn:${context.partition}:iam::${context.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsEncryptsConnectorLogGroups",
        Effect: "Allow",
        Principal: { Service: pulumi.interpolate`logs.${context.region}.${context.dnsSuffix}` },
        Action: [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
          "kms:GenerateDataKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:DescribeKey",
        ],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${context.partition}:logs:${context.region}:${context.accountId}:log-group:${LOG_GROUP_PREFIX}*`,
          },
        },
      },
      {
        Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceAccount": context.accountId },
          ArnLike: { "aws:SourceArn": alarmArnPattern(context, alarmNamePattern) },
        },
      },
    ],
  });
}

/** `arn:<partition>:cloudwatch:<region>:<account>:alarm:<pattern>` */
export function alarmArnPattern(context: AwsContext, alarmNamePattern: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:${context.partition}:cloudwatch:${context.region}:${context.accountId}:alarm:${alarmNamePattern}`;
}

export interface ConnectorKey {
  key: aws.kms.Key;
  alias: aws.kms.Alias;
}

/**
 * A customer-managed key with yearly rotation, and an alias `alias/jira-connector/<name>`. Kept on `pulumi destroy`
 * (`retainOnDelete`), because snapshots in a kept bucket are encrypted with it; delete it by hand once they are gone.
 */
export function createConnectorKey(
  name: string,
  context: AwsContext,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
  /** The alarms that may use the key for the encrypted alarm topic: `<name>-*` by default (a connector's own key). */
  alarmNamePattern = `${name}-*`,
): ConnectorKey {
  const key = new aws.kms.Key(
    `${name}-key`,
    {
      description: `Jira connector ${name}: secrets, snapshots, logs and dead letters`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: connectorKeyPolicy(context, alarmNamePattern),
      tags,
    },
    { ...opts, retainOnDelete: true },
  );
  const alias = new aws.kms.Alias(`${name}-key-alias`, { name: `alias/jira-connector/${name}`, targetKeyId: key.keyId }, opts);
  return { key, alias };
}
