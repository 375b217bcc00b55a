import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { athenaReportStatements, athenaViewStatements } from "../fleet/athena-sql";
import { awsContext, bucketArn } from "./aws-context";
import { createFleetCatalog } from "./fleet-catalog";
import { checkFleetArgs, type ConnectorFleetArgs } from "./fleet-args";
import { fleetAnalystPolicy } from "./fleet-policy";

export const CONNECTOR_FLEET_TYPE = "jira-connector:index:ConnectorFleet";

/**
 * The fleet views in Athena, over the snapshot bucket several connectors share (SharedConnectorStorage): a Glue
 * database with one table per snapshot file kind (partition projection, no crawler), a workgroup whose settings
 * queries cannot override (results encrypted with the connector key, under `fleet/<name>/results/`, a per-query
 * scan cutoff), named queries that create the views and run the fleet report, and a read-only analyst policy.
 *
 * The views are created by running the numbered `create-view` named queries once after a deploy (they are SQL,
 * which Pulumi cannot run): as someone allowed glue:CreateTable/UpdateTable on the database, not the analyst.
 */
export class ConnectorFleet extends pulumi.ComponentResource {
  public readonly databaseName: pulumi.Output<string>;
  public readonly workgroupName: pulumi.Output<string>;
  /** `s3://<bucket>/fleet/<name>/results/` */
  public readonly resultsLocation: pulumi.Output<string>;
  /** Attach to the analysts' role or group: queries in this workgroup, nothing else. */
  public readonly analystPolicyArn: pulumi.Output<string>;
  public readonly analystPolicyDocument: pulumi.Output<string>;

  constructor(name: string, args: ConnectorFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    const settings = checkFleetArgs(name, args);
    super(CONNECTOR_FLEET_TYPE, name, {}, opts);
    const child = { parent: this };
    const context = awsContext(this);
    // Glue names allow no hyphen; Athena reads unquoted names in lower case.
    const databaseName = `jira_fleet_${name.replace(/-/g, "_")}`;
    const resultsPrefix = `fleet/${name}/results/`;
    const { database, tables } = createFleetCatalog(name, { databaseName, bucketName: args.bucketName, connectors: settings.connectors, tags: settings.tags }, child);
    this.resultsLocation = pulumi.interpolate`s3://${args.bucketName}/${resultsPrefix}`;
    const workgroup = new aws.athena.Workgroup(
      `${name}-fleet-workgroup`,
      {
        name: `jira-fleet-${name}`,
        description: `Jira connector fleet ${name}: queries over the connectors' snapshots`,
        state: "ENABLED",
        // Query history and saved queries must not make `pulumi destroy` fail; results stay in the (retained) bucket.
        forceDestroy: true,
        configuration: {
          // Enforced: a client cannot send results elsewhere, unencrypted, or lift the cutoff.
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: settings.bytesScannedCutoffMb * 1024 * 1024,
          engineVersion: { selectedEngineVersion: "Athena engine version 3" },
          resultConfiguration: {
            outputLocation: this.resultsLocation,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.kmsKeyArn },
            expectedBucketOwner: context.accountId,
          },
        },
        tags: settings.tags,
      },
      child,
    );
    // After the tables: a saved query over a table that does not exist yet is only confusing.
    for (const statement of [...athenaViewStatements(), ...athenaReportStatements()]) {
      new aws.athena.NamedQuery(
        `${name}-${statement.name}`,
        { name: statement.name, description: statement.description, workgroup: workgroup.name, database: database.name, query: statement.sql },
        { ...child, dependsOn: tables },
      );
    }
    this.analystPolicyDocument = fleetAnalystPolicy(context, {
      workgroupArn: workgroup.arn,
      databaseName: database.name,
      bucketArn: bucketArn(context, args.bucketName),
      kmsKeyArn: args.kmsKeyArn,
      connectors: settings.connectors,
      resultsPrefix,
    });
    const policy = new aws.iam.Policy(
      `${name}-fleet-analyst`,
      { description: `Jira connector fleet ${name}: run and read queries in the jira-fleet-${name} workgroup`, policy: this.analystPolicyDocument, tags: settings.tags },
      child,
    );
    this.databaseName = database.name;
    this.workgroupName = workgroup.name;
    this.analystPolicyArn = policy.arn;
    this.registerOutputs({
      databaseName: this.databaseName,
      workgroupName: this.workgroupName,
      resultsLocation: this.resultsLocation,
      analystPolicyArn: this.analystPolicyArn,
      analystPolicyDocument: this.analystPolicyDocument,
    });
  }
}
