import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { orgIdProblem } from "../atlassian/org/org-id";
import { LAMBDA_ENV } from "../collector/lambda-config";
import { JiraConnectorArgsError, type ConnectorSettings } from "./args";
import { LOG_GROUP_PREFIX, type AwsContext } from "./aws-context";
import { after, type ChildOptions } from "./child-options";
import { collectorArchive, COLLECTOR_HANDLER } from "./collector-bundle";
import { collectorFunctionPolicy, lambdaTrustPolicy } from "./collector-policies";

export interface CollectorFunctionInputs {
  site: pulumi.Input<string>;
  cloudId: pulumi.Input<string>;
  credentialsSecretArn: pulumi.Input<string>;
  /** OAuth only (a scoped token has no token secret: no environment variable, no IAM statement). */
  refreshTokenSecretArn?: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  snapshotPrefix: string;
  deadLetterQueueArn: pulumi.Input<string>;
  /** `scopedApiToken.expiresAt`, or OAuth's `license.apiTokenExpiresAt`: drives `DaysUntilApiTokenExpiry`. */
  apiTokenExpiresAt?: pulumi.Input<string>;
  /** The organization whose last-active dates the collector reads (its key is in the credentials secret). */
  orgId?: pulumi.Input<string>;
}

export interface CollectorFunction {
  role: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
  fn: aws.lambda.Function;
}

/**
 * The collector: its log group (retention, KMS), role with the inline least-privilege policy, the function
 * (nodejs22.x on arm64, the esbuild bundle, reserved concurrency 1) and its asynchronous-invocation config.
 *
 * Reserved concurrency 1: runs of one OAuth connector share one refresh-token grant, so only one may rotate at a
 * time (the token store's lease also guards this; the limit keeps a retried or overlapping run from even trying).
 * Kept for a scoped token too, so switching methods changes no function setting and two runs never overlap.
 * Configuration reaches the function as environment variables without secrets (`collector/lambda-config.ts`).
 */
export function createCollectorFunction(
  settings: ConnectorSettings,
  context: AwsContext,
  inputs: CollectorFunctionInputs,
  opts: ChildOptions,
): CollectorFunction {
  const { name, tags } = settings;
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-collector-logs`,
    { name: `${LOG_GROUP_PREFIX}${name}/collector`, retentionInDays: settings.logRetentionDays, kmsKeyId: inputs.kmsKeyArn, tags },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-collector-role`,
    { description: `Jira connector ${name}: the scheduled collector`, assumeRolePolicy: lambdaTrustPolicy(), tags },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-collector-policy`,
    {
      role: role.id,
      policy: collectorFunctionPolicy(context, {
        credentialsSecretArn: inputs.credentialsSecretArn,
        refreshTokenSecretArn: inputs.refreshTokenSecretArn,
        kmsKeyArn: inputs.kmsKeyArn,
        bucketArn: inputs.bucketArn,
        snapshotPrefix: inputs.snapshotPrefix,
        connectorName: name,
        logGroupArn: logGroup.arn,
        deadLetterQueueArn: inputs.deadLetterQueueArn,
      }),
    },
    opts,
  );
  const variables: Record<string, pulumi.Input<string>> = {
    [LAMBDA_ENV.connectorName]: name,
    [LAMBDA_ENV.site]: inputs.site,
    [LAMBDA_ENV.cloudId]: inputs.cloudId,
    [LAMBDA_ENV.credentialsSecretArn]: inputs.credentialsSecretArn,
    ...(inputs.refreshTokenSecretArn !== undefined ? { [LAMBDA_ENV.refreshTokenSecretArn]: inputs.refreshTokenSecretArn } : {}),
    [LAMBDA_ENV.bucketName]: inputs.bucketName,
    [LAMBDA_ENV.snapshotKmsKeyArn]: inputs.kmsKeyArn,
    [LAMBDA_ENV.inactivityDays]: String(settings.inactivityDays),
    [LAMBDA_ENV.auditLookbackDays]: String(settings.auditLookbackDays),
    ...(inputs.apiTokenExpiresAt !== undefined ? { [LAMBDA_ENV.apiTokenExpiresAt]: inputs.apiTokenExpiresAt } : {}),
    ...(inputs.orgId !== undefined ? { [LAMBDA_ENV.orgId]: orgIdOutput(name, inputs.orgId) } : {}),
    // Prices are not secrets; the function validates them again (parseLambdaConfig).
    ...(settings.pricing ? { [LAMBDA_ENV.pricing]: JSON.stringify(settings.pricing) } : {}),
    ...(settings.limits ? { [LAMBDA_ENV.limits]: JSON.stringify(settings.limits) } : {}),
  };
  const fn = new aws.lambda.Function(
    `${name}-collector`,
    {
      description: `Jira connector ${name}: collects seats and activity into S3`,
      runtime: aws.lambda.Runtime.NodeJS22dX,
      architectures: ["arm64"],
      handler: COLLECTOR_HANDLER,
      code: collectorArchive(),
      role: role.arn,
      memorySize: settings.memoryMb,
      timeout: settings.timeoutSeconds,
      reservedConcurrentExecutions: 1,
      environment: { variables },
      loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      tags,
    },
    // The policy must be in place before the first invocation can need it.
    after(opts, policy, logGroup),
  );
  new aws.lambda.FunctionEventInvokeConfig(
    `${name}-collector-async`,
    {
      functionName: fn.name,
      // Lambda retries a failed run twice (the lease makes a retry safe), for up to 6 hours while throttled.
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 6 * 3600,
      destinationConfig: { onFailure: { destination: inputs.deadLetterQueueArn } },
    },
    opts,
  );
  return { role, logGroup, fn };
}

/** The org ID, checked when known (a plain string was already checked by `resolveSettings`). */
function orgIdOutput(name: string, orgId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(orgId).apply((id) => {
    const problem = typeof id === "string" ? orgIdProblem(id) : "is not a string";
    if (problem) throw new JiraConnectorArgsError(name, [`org.orgId ${problem}`]);
    return id.trim().toLowerCase();
  });
}
