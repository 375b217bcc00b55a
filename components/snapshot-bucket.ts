import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface SnapshotBucketOptions {
  kmsKeyArn: pulumi.Input<string>;
  /** Days a snapshot object is kept. */
  retentionDays: number;
  tags: Record<string, string>;
}

/**
 * A bucket for snapshots: versioned, SSE-KMS by default (with an S3 bucket key, so a run costs a few KMS calls, not
 * one per object), all public access blocked, TLS required, objects (snapshots and their fleet table copies) expired after `retentionDays`, older versions
 * after 30 days and abandoned multipart uploads after 7. Kept on `pulumi destroy` (`retainOnDelete`): snapshots are
 * the connector's history; empty and delete it by hand when no longer needed.
 */
export function createSnapshotBucket(name: string, options: SnapshotBucketOptions, opts: pulumi.CustomResourceOptions): aws.s3.Bucket {
  const bucket = new aws.s3.Bucket(`${name}-snapshots`, { forceDestroy: false, tags: options.tags }, { ...opts, retainOnDelete: true });
  new aws.s3.BucketPublicAccessBlock(
    `${name}-snapshots-public-access`,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    opts,
  );
  new aws.s3.BucketOwnershipControls(`${name}-snapshots-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
  new aws.s3.BucketVersioning(`${name}-snapshots-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-snapshots-encryption`,
    {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: options.kmsKeyArn }, bucketKeyEnabled: true }],
    },
    opts,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-snapshots-lifecycle`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-old-snapshots",
          status: "Enabled",
          filter: { prefix: "connectors/" },
          expiration: { days: options.retentionDays },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
        },
        {
          // The fleet tables are copies of the snapshots: kept as long, so Athena never shows a snapshot the
          // bucket no longer holds, nor loses one it still does.
          id: "expire-old-fleet-tables",
          status: "Enabled",
          filter: { prefix: "fleet-tables/" },
          expiration: { days: options.retentionDays },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
        },
        { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
      ],
    },
    opts,
  );
  new aws.s3.BucketPolicy(
    `${name}-snapshots-tls-only`,
    {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            // A deny only narrows access, so it covers every action and principal.
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    },
    opts,
  );
  return bucket;
}
