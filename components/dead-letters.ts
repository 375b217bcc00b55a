import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/**
 * The connector's dead-letter queue (SQS, KMS-encrypted, 14 days): receives both the schedule's undeliverable
 * invocations (after the retry policy) and the function's failed asynchronous invocations (after Lambda's
 * retries), so one "DLQ not empty" alarm covers every lost run.
 */
export function createDeadLetterQueue(
  name: string,
  kmsKeyArn: pulumi.Input<string>,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): aws.sqs.Queue {
  return new aws.sqs.Queue(
    `${name}-dead-letters`,
    {
      kmsMasterKeyId: kmsKeyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: 14 * 86_400,
      tags,
    },
    opts,
  );
}
