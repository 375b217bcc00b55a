import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsContext } from "./aws-context";
import { after, type ChildOptions } from "./child-options";
import { schedulerPolicy, schedulerTrustPolicy } from "./collector-policies";

export interface CollectorScheduleInputs {
  expression: string;
  timezone: pulumi.Input<string>;
  functionArn: pulumi.Input<string>;
  deadLetterQueueArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
}

/** Retries of an invocation EventBridge Scheduler could not deliver (e.g. throttled), then the dead-letter queue. */
export const SCHEDULE_RETRY_POLICY = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 } as const;

/**
 * An EventBridge Scheduler schedule (not a legacy CloudWatch Events rule: time zones, retry policy, DLQ) that
 * invokes the collector asynchronously, with its own execution role. The run's own failures are handled by the
 * function's asynchronous-invocation config; the schedule's retries cover invocations that were never accepted.
 */
export function createCollectorSchedule(
  name: string,
  context: AwsContext,
  inputs: CollectorScheduleInputs,
  tags: Record<string, string>,
  opts: ChildOptions,
): { role: aws.iam.Role; schedule: aws.scheduler.Schedule } {
  const role = new aws.iam.Role(
    `${name}-schedule-role`,
    { description: `Jira connector ${name}: EventBridge Scheduler invokes the collector`, assumeRolePolicy: schedulerTrustPolicy(context, `${name}-schedule-`), tags },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-schedule-policy`,
    {
      role: role.id,
      policy: schedulerPolicy(context, { functionArn: inputs.functionArn, deadLetterQueueArn: inputs.deadLetterQueueArn, kmsKeyArn: inputs.kmsKeyArn }),
    },
    opts,
  );
  const schedule = new aws.scheduler.Schedule(
    `${name}-schedule`,
    {
      description: `Jira connector ${name}: run the collector`,
      scheduleExpression: inputs.expression,
      scheduleExpressionTimezone: inputs.timezone,
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      target: {
        arn: inputs.functionArn,
        roleArn: role.arn,
        input: JSON.stringify({ source: "jira-connector-schedule", connector: name }),
        retryPolicy: { ...SCHEDULE_RETRY_POLICY },
        deadLetterConfig: { arn: inputs.deadLetterQueueArn },
      },
    },
    after(opts, policy),
  );
  return { role, schedule };
}
