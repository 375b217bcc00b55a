import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { deadLetterQueuePolicy } from "./resource-policies";

/**
 * The connector's dead-letter queue (SQS, KMS-encrypted, 14 days): receives both the schedule's undeliverable
 * invocations (after the retry policy) and the function's failed asynchronous invocations (after Lambda's
 * retries), so one "DLQ not empty" alarm covers every lost run. Its queue policy only denies non-TLS requests: the
 * two roles send through their IAM policies.
 */
export function createDeadLetterQueue(
  name: string,
  kmsKeyArn: pulumi.Input<string>,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): aws.sqs.Queue {
  const queue = new aws.sqs.Queue(
    `${name}-dead-letters`,
    {
      kmsMasterKeyId: kmsKeyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: 14 * 86_400,
      tags,
    },
    opts,
  );
  new aws.sqs.QueuePolicy(`${name}-dead-letters-tls-only`, { queueUrl: queue.url, policy: deadLetterQueuePolicy(queue.arn) }, opts);
  return queue;
}
