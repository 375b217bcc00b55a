import * as pulumi from "@pulumi/pulumi";
import { FLEET_TABLE_KINDS, FLEET_TABLES_PREFIX } from "../collector/snapshot/layout";
import type { AwsContext } from "./aws-context";

/**
 * IAM policy documents of a connector's collector, statement by statement. No wildcard action and no `"*"`
 * resource: every statement names this connector's own secrets, key, bucket prefix, log group and queue.
 */

export interface CollectorResourceArns {
  credentialsSecretArn: pulumi.Input<string>;
  /** OAuth only: a scoped-token connector has no token secret, so its policy names none. */
  refreshTokenSecretArn?: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  /** `connectors/<name>/` */
  snapshotPrefix: string;
  /** The connector's name: its fleet table partitions are `fleet-tables/<kind>/connector=<name>/`. */
  connectorName: string;
  logGroupArn: pulumi.Input<string>;
  deadLetterQueueArn: pulumi.Input<string>;
}

/** Services that use the connector key on the collector's behalf; the key cannot be used directly. */
function viaServices(context: AwsContext, services: string[]): pulumi.Output<string[]> {
  return pulumi.all([context.region, context.dnsSuffix]).apply(([region, suffix]) => services.map((s) => `${s}.${region}.${suffix}`));
}

/** The collector function's inline policy. */
export function collectorFunctionPolicy(context: AwsContext, arns: CollectorResourceArns): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadCredentials",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: [arns.credentialsSecretArn],
      },
      ...(arns.refreshTokenSecretArn !== undefined
        ? [
            {
              // The token store's compare-and-swap: read, put a pending version, move AWSCURRENT, describe on conflict.
              Sid: "RotateRefreshToken",
              Effect: "Allow",
              Action: [
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecretVersionStage",
              ],
              Resource: [arns.refreshTokenSecretArn],
            },
          ]
        : []),
      {
        Sid: "UseConnectorKeyThroughServices",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [arns.kmsKeyArn],
        Condition: { StringEquals: { "kms:ViaService": viaServices(context, ["secretsmanager", "s3", "sqs"]) } },
      },
      {
        // PutObject also authorizes CreateMultipartUpload, UploadPart and CompleteMultipartUpload.
        Sid: "WriteOwnSnapshots",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
        Resource: [pulumi.interpolate`${arns.bucketArn}/${arns.snapshotPrefix}*`],
      },
      {
        // The Athena copies (collector/snapshot/layout.ts), write only. One resource per kind rather than
        // `fleet-tables/*/connector=<name>/*`: IAM's `*` spans `/`, so that pattern would also match a key inside
        // another connector's partition (`…/connector=<other>/day=…/connector=<name>/x`), which Athena would read.
        Sid: "WriteOwnFleetTables",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
        Resource: fleetTableResources(arns.bucketArn, [arns.connectorName]),
      },
      {
        // S3 answers a GetObject of a missing key with 404 only if the caller may list the bucket (else 403, which
        // would make "no snapshot yet" look like a permission error). A GetObject request carries no `s3:prefix`,
        // so this cannot be narrowed by prefix; listing reveals key names, not contents.
        Sid: "TellMissingSnapshotsFromDenied",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [arns.bucketArn],
      },
      {
        // `<group ARN>:*` is how CloudWatch Logs names a group's streams (AWS's own Lambda logging policy shape);
        // the group exists already, so no logs:CreateLogGroup.
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [pulumi.interpolate`${arns.logGroupArn}:*`],
      },
      {
        // The asynchronous-invocation failure destination, delivered with the function's role.
        Sid: "SendFailedInvocations",
        Effect: "Allow",
        Action: ["sqs:SendMessage"],
        Resource: [arns.deadLetterQueueArn],
      },
    ],
  });
}

/** `<bucket ARN>/fleet-tables/<kind>/connector=<name>/*` for every kind and each of `connectors`. */
export function fleetTableResources(bucketArn: pulumi.Input<string>, connectors: readonly string[]): pulumi.Output<string>[] {
  return connectors.flatMap((c) => FLEET_TABLE_KINDS.map((kind) => pulumi.interpolate`${bucketArn}/${FLEET_TABLES_PREFIX}${kind}/connector=${c}/*`));
}

/** Trust policy of the collector function's role. */
export function lambdaTrustPolicy(): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
}

/**
 * Trust policy of the schedule's execution role: only EventBridge Scheduler, only for this account's schedule of
 * this connector. The schedule's ARN is known only after the role exists, so `aws:SourceArn` is the pattern of its
 * auto-name (`<name>-schedule-<suffix>`) in the `default` group.
 */
export function schedulerTrustPolicy(context: AwsContext, scheduleNamePrefix: string): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": context.accountId },
          ArnLike: {
            "aws:SourceArn": pulumi.interpolate`arn:${context.partition}:scheduler:${context.region}:${context.accountId}:schedule/default/${scheduleNamePrefix}*`,
          },
        },
      },
    ],
  });
}

/** The schedule's execution role: invoke this function; deliver dead letters to this (KMS-encrypted) queue. */
export function schedulerPolicy(
  context: AwsContext,
  arns: { functionArn: pulumi.Input<string>; deadLetterQueueArn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> },
): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "InvokeCollector", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [arns.functionArn] },
      { Sid: "SendDeadLetters", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [arns.deadLetterQueueArn] },
      {
        Sid: "EncryptDeadLetters",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [arns.kmsKeyArn],
        Condition: { StringEquals: { "kms:ViaService": viaServices(context, ["sqs"]) } },
      },
    ],
  });
}
