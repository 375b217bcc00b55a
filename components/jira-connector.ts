import * as pulumi from "@pulumi/pulumi";
import { JiraConnection } from "../providers/jira-connection";
import type { ProductSeats } from "../providers/jira-connection";
import { createConnectorAlarms } from "./alarms";
import { DEFAULT_TIMEZONE, type JiraConnectorArgs } from "./args";
import { awsContext, bucketArn } from "./aws-context";
import { after, type ChildOptions } from "./child-options";
import { createCollectorFunction } from "./collector-function";
import { createCollectorSchedule } from "./collector-schedule";
import { createConnectorSecrets } from "./connector-secrets";
import { createDeadLetterQueue } from "./dead-letters";
import { createSecretPolicy } from "./resource-policies";
import { createConnectorKey } from "./kms-key";
import { claimConnector, claimConnectorName } from "./seed-rules";
import { resolveSettings } from "./settings";
import { createSnapshotBucket } from "./snapshot-bucket";

export const JIRA_CONNECTOR_TYPE = "jira-connector:index:JiraConnector";

/**
 * One Jira Cloud connector in AWS: `pulumi up` validates it (`JiraConnection`) and provisions its secrets, snapshot
 * storage, scheduled collector and alarms; `pulumi destroy` decommissions it (keeping the snapshots). Order:
 *
 *   KMS key ─► secrets ─► JiraConnection (validates; OAuth: seeds the refresh token)
 *                                  └─► bucket, role, log group, DLQ ─► function ─► schedule, alarms
 *
 * Everything after the connection waits for it (`dependsOn`), so an invalid connector never gets a schedule.
 * Args are validated in the constructor, so mistakes fail `pulumi preview`; see {@link JiraConnectorArgs}. Resource
 * names do not depend on the authentication method, so switching between `oauth` and `scopedApiToken` updates the
 * connection, function and schedule in place (only the refresh-token secret and its alarm come or go).
 */
export class JiraConnector extends pulumi.ComponentResource {
  /** The connector's name (resource names, snapshot prefix, metric dimension). */
  public readonly connectorName: string;
  public readonly cloudId: pulumi.Output<string>;
  public readonly siteUrl: pulumi.Output<string>;
  public readonly products: pulumi.Output<ProductSeats[]>;
  public readonly functionName: pulumi.Output<string>;
  public readonly scheduleArn: pulumi.Output<string>;
  public readonly bucketName: pulumi.Output<string>;
  /** `connectors/<name>/`: where this connector's snapshots and `latest.json` are written. */
  public readonly snapshotPrefix: pulumi.Output<string>;
  public readonly credentialsSecretArn: pulumi.Output<string>;
  /** OAuth only: the secret holding the live refresh token; undefined for a scoped API token (there is none). */
  public readonly refreshTokenSecretArn: pulumi.Output<string | undefined>;
  public readonly alarmTopicArn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(resourceName: string, args: JiraConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validated before registering anything, so a bad connector fails `pulumi preview` with nothing half-declared.
    const settings = resolveSettings(resourceName, args);
    const scoped = settings.authMethod === "scoped-api-token" ? args.scopedApiToken : undefined;
    // resolveSettings guarantees exactly one of oauth and scopedApiToken.
    const refreshToken = scoped ? claimConnectorName(settings.name) : claimConnector(settings.name, args.oauth!.refreshToken);
    super(JIRA_CONNECTOR_TYPE, resourceName, {}, opts);
    const { name, tags } = settings;
    const context = awsContext(this);
    const child: ChildOptions = { parent: this };

    const kmsKeyArn = args.kmsKeyArn !== undefined ? pulumi.output(args.kmsKeyArn) : createConnectorKey(name, context, tags, child).key.arn;
    const secrets = createConnectorSecrets(name, args, kmsKeyArn, tags, child);
    const connection = new JiraConnection(
      `${name}-connection`,
      {
        site: args.site,
        cloudId: args.cloudId,
        ...(scoped
          ? { scopedApiToken: scoped }
          : {
              oauth: {
                clientId: args.oauth!.clientId,
                clientSecret: args.oauth!.clientSecret,
                refreshToken: refreshToken!,
                ...(args.oauth!.refreshTokenIssuedAt !== undefined ? { refreshTokenIssuedAt: args.oauth!.refreshTokenIssuedAt } : {}),
              },
              license: args.license,
              tokenStore: { secretArn: secrets.refreshToken!.arn },
            }),
      },
      after(child, secrets.credentialsVersion, ...(secrets.refreshToken ? [secrets.refreshToken] : [])),
    );

    // The collector side exists only once the connection has validated.
    const collector = after(child, connection);
    const bucketName =
      args.bucketName !== undefined
        ? pulumi.output(args.bucketName)
        : createSnapshotBucket(name, { kmsKeyArn, retentionDays: settings.snapshotRetentionDays, tags }, collector).bucket;
    const snapshotPrefix = `connectors/${name}/`;
    const deadLetters = createDeadLetterQueue(name, kmsKeyArn, tags, collector);
    const { fn, role: collectorRole } = createCollectorFunction(
      settings,
      context,
      {
        site: connection.siteName,
        cloudId: connection.cloudId,
        credentialsSecretArn: secrets.credentials.arn,
        ...(secrets.refreshToken ? { refreshTokenSecretArn: secrets.refreshToken.arn } : {}),
        kmsKeyArn,
        bucketName,
        bucketArn: bucketArn(context, bucketName),
        snapshotPrefix,
        deadLetterQueueArn: deadLetters.arn,
        apiTokenExpiresAt: scoped ? scoped.expiresAt : args.license?.apiTokenExpiresAt,
        orgId: args.org?.orgId,
      },
      collector,
    );
    // After the connection: JiraConnection seeds the refresh token as the deployer, before any policy exists.
    createSecretPolicy(`${name}-credentials-policy`, context, secrets.credentials, collectorRole.arn, context.callerArn, collector);
    if (secrets.refreshToken) {
      createSecretPolicy(`${name}-refresh-token-policy`, context, secrets.refreshToken, collectorRole.arn, context.callerArn, collector);
    }
    const { schedule } = createCollectorSchedule(
      name,
      context,
      {
        expression: settings.scheduleExpression,
        timezone: args.schedule?.timezone ?? DEFAULT_TIMEZONE,
        functionArn: fn.arn,
        deadLetterQueueArn: deadLetters.arn,
        kmsKeyArn,
      },
      tags,
      collector,
    );
    const alarms = createConnectorAlarms(
      name,
      {
        scheduleExpression: settings.scheduleExpression,
        functionName: fn.name,
        deadLetterQueueName: deadLetters.name,
        authMethod: settings.authMethod,
        apiTokenExpiryKnown: scoped !== undefined || args.license?.apiTokenExpiresAt !== undefined,
        snsTopicArn: args.alarms?.snsTopicArn,
        kmsKeyArn,
        context,
        email: args.alarms?.email,
      },
      tags,
      collector,
    );

    this.connectorName = name;
    this.cloudId = connection.cloudId;
    this.siteUrl = connection.siteUrl;
    this.products = connection.products;
    this.functionName = fn.name;
    this.scheduleArn = schedule.arn;
    this.bucketName = bucketName;
    this.snapshotPrefix = pulumi.output(snapshotPrefix);
    this.credentialsSecretArn = secrets.credentials.arn;
    this.refreshTokenSecretArn = secrets.refreshToken ? secrets.refreshToken.arn : pulumi.output(undefined);
    this.alarmTopicArn = alarms.topicArn;
    this.kmsKeyArn = kmsKeyArn;
    this.registerOutputs({
      cloudId: this.cloudId,
      siteUrl: this.siteUrl,
      products: this.products,
      functionName: this.functionName,
      scheduleArn: this.scheduleArn,
      bucketName: this.bucketName,
      snapshotPrefix: this.snapshotPrefix,
      credentialsSecretArn: this.credentialsSecretArn,
      refreshTokenSecretArn: this.refreshTokenSecretArn,
      alarmTopicArn: this.alarmTopicArn,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
