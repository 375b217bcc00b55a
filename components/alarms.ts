import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { METRIC_NAMESPACE } from "../collector/metrics";
import type { AwsContext } from "./aws-context";
import type { ChildOptions } from "./child-options";
import { alarmTopicPolicy } from "./resource-policies";
import { schedulePeriodSeconds } from "./schedule-period";

/** Alarm when a token expires within this many days (the collector's EMF metrics count the days left). */
export const EXPIRY_WARNING_DAYS = 14;
const DAY = 86_400;
/** What to do about an expiring or refused scoped token: Atlassian cannot extend one. */
const NEW_SCOPED_TOKEN =
  'create a new scoped token at https://id.atlassian.com/manage-profile/security/api-tokens ("Create API token with scopes", app Jira, ' +
  "the same scopes), set scopedApiToken.apiToken and scopedApiToken.expiresAt to it and its expiry, and run pulumi up";

export interface ConnectorAlarmInputs {
  scheduleExpression: string;
  functionName: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
  /** A scoped token has no refresh token: no grant-expiry alarm, and failure descriptions without the token secret. */
  authMethod: "oauth" | "scoped-api-token";
  /**
   * Only when the API token's expiry is known does the collector emit `DaysUntilApiTokenExpiry`: always for a
   * scoped token (`scopedApiToken.expiresAt` is required), with `license.apiTokenExpiresAt` for OAuth.
   */
  apiTokenExpiryKnown: boolean;
  snsTopicArn?: pulumi.Input<string>;
  /** Encrypts a created topic (its key policy lets CloudWatch use it for the connector's alarms). */
  kmsKeyArn: pulumi.Input<string>;
  context: AwsContext;
  email?: pulumi.Input<string>;
}

export interface ConnectorAlarms {
  topicArn: pulumi.Output<string>;
  alarms: aws.cloudwatch.MetricAlarm[];
}

/**
 * The connector's alarms, to an SNS topic (the given one, else one is created; `email` subscribes an address, which
 * must confirm the subscription). Each alarm also notifies when it clears. A created topic is encrypted with the
 * connector's key, and its policy (replacing SNS's default) requires TLS and lets only this connector's alarms
 * publish as CloudWatch; a given topic is the caller's (see README for what it needs).
 *
 * | Alarm | Metric | Fires when |
 * |---|---|---|
 * | `function-errors` | `AWS/Lambda Errors` | a run threw (after Lambda's retries the event goes to the DLQ too) |
 * | `dead-letters` | `AWS/SQS ApproximateNumberOfMessagesVisible` | any message in the DLQ |
 * | `no-successful-run` | `JiraConnector Success` | no complete run within 2 × the schedule period |
 * | `refresh-token-expiry` | `JiraConnector DaysUntilRefreshTokenFamilyExpiry` | OAuth: ≤ 14 days to the grant's 365-day expiry |
 * | `api-token-expiry` | `JiraConnector DaysUntilApiTokenExpiry` | ≤ 14 days to `scopedApiToken.expiresAt` / `license.apiTokenExpiresAt` |
 */
export function createConnectorAlarms(name: string, inputs: ConnectorAlarmInputs, tags: Record<string, string>, opts: ChildOptions): ConnectorAlarms {
  let topicArn: pulumi.Output<string>;
  if (inputs.snsTopicArn !== undefined) topicArn = pulumi.output(inputs.snsTopicArn);
  else {
    const topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: inputs.kmsKeyArn, tags }, opts);
    new aws.sns.TopicPolicy(`${name}-alarms-policy`, { arn: topic.arn, policy: alarmTopicPolicy(inputs.context, name, topic.arn) }, opts);
    topicArn = topic.arn;
  }
  if (inputs.email !== undefined) {
    new aws.sns.TopicSubscription(`${name}-alarms-email`, { topic: topicArn, protocol: "email", endpoint: inputs.email }, opts);
  }

  const schedulePeriod = schedulePeriodSeconds(inputs.scheduleExpression);
  // Periods above a day are evaluated as whole days; 2 × period ≤ 7 days is guaranteed by schedulePeriodSeconds.
  const period = Math.min(schedulePeriod, DAY);
  const actions = { alarmActions: [topicArn], okActions: [topicArn] };
  const connector = { Connector: name };
  const alarm = (suffix: string, args: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags">) =>
    new aws.cloudwatch.MetricAlarm(`${name}-${suffix}`, { ...args, ...actions, tags }, opts);

  const scoped = inputs.authMethod === "scoped-api-token";
  const alarms = [
    alarm("function-errors", {
      alarmDescription: scoped
        ? `Jira connector ${name}: a collector run failed. Check /jira-connector/${name}/collector for collector.failed; ` +
          `Lambda retries at +1 and +3 min. ScopedApiTokenRefusedError: the scoped API token expired or was revoked — ` +
          `${NEW_SCOPED_TOKEN}. MissingScopesError: create a new scoped token with the scopes named. ` +
          `See README 'When a collector run fails'.`
        : `Jira connector ${name}: a collector run failed. In the next minutes: do not restore AWSPREVIOUS on the refresh-token ` +
        `secret (that revokes the grant) and do not edit the secret; Lambda retries at +1 and +3 min (same request ID) take ` +
        `over within the 10-minute leeway. Check /jira-connector/${name}/collector for collector.failed and ` +
        `collector.token.at-risk; invoke the function by hand only before the deadline and with no run in progress. ` +
        `See README 'When a collector run fails'.`,
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: inputs.functionName },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
    }),
    alarm("dead-letters", {
      alarmDescription: scoped
        ? `Jira connector ${name}: runs ended in the dead-letter queue (Lambda's retries failed too, or the schedule could not ` +
          `invoke the function). Check /jira-connector/${name}/collector for collector.failed; if the scoped API token was ` +
          `refused, ${NEW_SCOPED_TOKEN}. See README 'When a collector run fails'.`
        : `Jira connector ${name}: runs ended in the dead-letter queue (Lambda's retries failed too, or the schedule could not ` +
        `invoke the function). Do not restore AWSPREVIOUS on the refresh-token secret (that revokes the grant). If a ` +
        `RotatedTokenNotSavedError gives minutes left, fix the token store and invoke the function within them; past the ` +
        `10-minute leeway, re-authorize (jira-connector authorize, set oauth.refreshToken, pulumi up). ` +
        `See README 'When a collector run fails'.`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: inputs.deadLetterQueueName },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      // SQS stops publishing for a queue idle for 6 hours, even with messages in it: keep the state, not "OK".
      treatMissingData: "ignore",
    }),
    alarm("no-successful-run", {
      alarmDescription: scoped
        ? `Jira connector ${name}: no complete collection within twice the schedule period (fires until the first run). ` +
          `Check /jira-connector/${name}/collector for collector.failed; if the scoped API token was refused, ` +
          `${NEW_SCOPED_TOKEN}. See README 'When a collector run fails'.`
        : `Jira connector ${name}: no complete collection within twice the schedule period (fires until the first run). ` +
        `Check /jira-connector/${name}/collector for collector.failed. Do not restore AWSPREVIOUS on the refresh-token ` +
        `secret (that revokes the grant); after a failed run, Lambda retries at +1 and +3 min take over within the ` +
        `10-minute leeway. See README 'When a collector run fails'.`,
      namespace: METRIC_NAMESPACE,
      metricName: "Success",
      dimensions: connector,
      statistic: "Maximum",
      period,
      evaluationPeriods: Math.ceil((2 * schedulePeriod) / period),
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      // No datapoint means no run at all: that is the failure this alarm exists for.
      treatMissingData: "breaching",
    }),
  ];
  // Only an OAuth grant has a refresh-token family that expires; a scoped token has nothing that rotates.
  if (!scoped) {
    alarms.push(
      alarm("refresh-token-expiry", {
        alarmDescription: `Jira connector ${name}: the OAuth grant reaches its 365-day expiry within ${EXPIRY_WARNING_DAYS} days; re-authorize and set a new refresh token`,
        ...expiryMetric("DaysUntilRefreshTokenFamilyExpiry", connector, period),
      }),
    );
  }
  if (inputs.apiTokenExpiryKnown) {
    alarms.push(
      alarm("api-token-expiry", {
        alarmDescription: scoped
          ? `Jira connector ${name}: the scoped API token (scopedApiToken.apiToken) expires within ${EXPIRY_WARNING_DAYS} days, on scopedApiToken.expiresAt; ${NEW_SCOPED_TOKEN}`
          : `Jira connector ${name}: the license API token expires within ${EXPIRY_WARNING_DAYS} days; create a new one and update license.apiToken`,
        ...expiryMetric("DaysUntilApiTokenExpiry", connector, period),
      }),
    );
  }
  return { topicArn, alarms };
}

function expiryMetric(metricName: string, dimensions: Record<string, string>, period: number) {
  return {
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensions,
    statistic: "Minimum",
    period,
    evaluationPeriods: 1,
    comparisonOperator: "LessThanOrEqualToThreshold",
    threshold: EXPIRY_WARNING_DAYS,
    // Emitted once per run: between runs keep the last state.
    treatMissingData: "ignore",
  };
}
