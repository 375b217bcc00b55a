import * as pulumi from "@pulumi/pulumi";
import { FLEET_TABLE_KINDS, FLEET_TABLES_PREFIX } from "../collector/snapshot/layout";
import type { AwsContext } from "./aws-context";

/**
 * The fleet analyst's policy: run queries in the fleet workgroup and read their results, nothing else. No wildcard
 * action and no `"*"` resource in an Allow: the workgroup, the Glue database and its tables (views are tables in
 * Glue), the fleet's connectors' fleet table partitions (`fleet-tables/<kind>/connector=<c>/`, read only, and
 * only through Athena; not the snapshot folders, which the tables no longer read), the results prefix (the
 * only place it writes), and the key only as S3 uses it.
 */
export interface FleetPolicyArns {
  workgroupArn: pulumi.Input<string>;
  databaseName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  connectors: readonly string[];
  /** `fleet/<name>/results/` */
  resultsPrefix: string;
}

/** The actions an analyst needs to run, follow, stop and read queries, and to use the saved ones. */
export const ANALYST_ATHENA_ACTIONS = [
  "athena:StartQueryExecution",
  "athena:GetQueryExecution",
  "athena:GetQueryResults",
  "athena:GetQueryResultsStream",
  "athena:StopQueryExecution",
  "athena:BatchGetQueryExecution",
  "athena:ListQueryExecutions",
  "athena:GetWorkGroup",
  "athena:GetNamedQuery",
  "athena:BatchGetNamedQuery",
  "athena:ListNamedQueries",
];

/** Reading table definitions only: no Create/Update/Delete, and no GetPartitions (projection needs none). */
export const ANALYST_GLUE_ACTIONS = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables"];

export function fleetAnalystPolicy(context: AwsContext, arns: FleetPolicyArns): pulumi.Output<string> {
  const glue = (resource: pulumi.Input<string>) => pulumi.interpolate`arn:${context.partition}:glue:${context.region}:${context.accountId}:${resource}`;
  // Per kind, not `fleet-tables/*/connector=<c>/`: IAM's `*` spans `/`, so that would match other partitions' keys.
  const tablePrefixes = arns.connectors.flatMap((c) => FLEET_TABLE_KINDS.map((kind) => `${FLEET_TABLES_PREFIX}${kind}/connector=${c}/`));
  const athena = pulumi.interpolate`athena.${context.dnsSuffix}`;
  const actions = [...ANALYST_ATHENA_ACTIONS, ...ANALYST_GLUE_ACTIONS, "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "kms:Decrypt", "kms:GenerateDataKey"];
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "RunFleetQueries", Effect: "Allow", Action: ANALYST_ATHENA_ACTIONS, Resource: [arns.workgroupArn] },
      {
        Sid: "ReadFleetCatalog",
        Effect: "Allow",
        Action: ANALYST_GLUE_ACTIONS,
        Resource: [glue("catalog"), glue(pulumi.interpolate`database/${arns.databaseName}`), glue(pulumi.interpolate`table/${arns.databaseName}/*`)],
      },
      {
        // Athena reads the tables with the analyst's credentials; aws:CalledVia keeps them from being
        // downloaded directly (people's names and emails are in them).
        Sid: "ReadFleetTablesThroughAthena",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: tablePrefixes.map((p) => pulumi.interpolate`${arns.bucketArn}/${p}*`),
        Condition: { "ForAnyValue:StringEquals": { "aws:CalledVia": [athena] } },
      },
      {
        Sid: "ListFleetTablesThroughAthena",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [arns.bucketArn],
        Condition: { StringLike: { "s3:prefix": tablePrefixes.map((p) => `${p}*`) }, "ForAnyValue:StringEquals": { "aws:CalledVia": [athena] } },
      },
      { Sid: "LocateBucket", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: [arns.bucketArn] },
      {
        Sid: "ListResults",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [arns.bucketArn],
        Condition: { StringLike: { "s3:prefix": [`${arns.resultsPrefix}*`] } },
      },
      {
        // Athena writes each result as the analyst; the console's download reads it directly.
        Sid: "WriteAndReadResults",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource: [pulumi.interpolate`${arns.bucketArn}/${arns.resultsPrefix}*`],
      },
      {
        // SSE-KMS on both sides: S3 decrypts the tables' objects and encrypts results with the connector key.
        Sid: "UseKeyThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [arns.kmsKeyArn],
        Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`s3.${context.region}.${context.dnsSuffix}` } },
      },
      {
        // A deny only narrows what the Allows grant, so it covers exactly their actions.
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Action: actions,
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}
