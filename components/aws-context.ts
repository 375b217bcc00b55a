import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The account, region and partition the resources land in (from the AWS provider's credentials and config). */
export interface AwsContext {
  accountId: pulumi.Output<string>;
  region: pulumi.Output<string>;
  partition: pulumi.Output<string>;
  /** `amazonaws.com` (or the partition's suffix), for service principals and `kms:ViaService`. */
  dnsSuffix: pulumi.Output<string>;
  /** The caller identity's ARN (who runs `pulumi up`); an assumed role's is its `sts::…:assumed-role/…` ARN. */
  callerArn: pulumi.Output<string>;
}

export function awsContext(parent: pulumi.Resource): AwsContext {
  const identity = aws.getCallerIdentityOutput({}, { parent });
  const region = aws.getRegionOutput({}, { parent });
  const partition = aws.getPartitionOutput({}, { parent });
  return {
    accountId: identity.accountId,
    region: region.region,
    partition: partition.partition,
    dnsSuffix: partition.dnsSuffix,
    callerArn: identity.arn,
  };
}

/** `arn:<partition>:s3:::<bucket>` — S3 bucket ARNs carry no region or account. */
export function bucketArn(context: AwsContext, bucketName: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`arn:${context.partition}:s3:::${bucketName}`;
}

/** Where a connector's log group lives; a fixed name so the KMS key policy can be scoped to connectors' groups. */
export const LOG_GROUP_PREFIX = "/jira-connector/";
