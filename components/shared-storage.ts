import * as pulumi from "@pulumi/pulumi";
import { CONNECTOR_NAME, JiraConnectorArgsError, MAX_CONNECTOR_NAME_LENGTH } from "./args";
import { awsContext } from "./aws-context";
import { createConnectorKey } from "./kms-key";
import { createSnapshotBucket } from "./snapshot-bucket";

export const SHARED_STORAGE_TYPE = "jira-connector:index:SharedStorage";

/** Arguments of a {@link SharedConnectorStorage}. */
export interface SharedConnectorStorageArgs {
  /** Days a snapshot object is kept. Default 365. */
  snapshotRetentionDays?: number;
  /** Tags added to the key and bucket (besides `managed-by: pulumi`). */
  tags?: Record<string, string>;
}

/**
 * A KMS key and a snapshot bucket for several connectors (pass `kmsKeyArn` and `bucketName` to each
 * `JiraConnector`): the same key policy and bucket settings a connector creates for itself. Each connector still
 * writes only under its own `connectors/<name>/` prefix. Both are kept on `pulumi destroy`, like a connector's own.
 */
export class SharedConnectorStorage extends pulumi.ComponentResource {
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: SharedConnectorStorageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    // The name becomes part of the bucket's and the key alias's names: the same rule as connector names.
    if (!CONNECTOR_NAME.test(name) || name.length > MAX_CONNECTOR_NAME_LENGTH) {
      throw new JiraConnectorArgsError(name, [`the storage's name must be 1-${MAX_CONNECTOR_NAME_LENGTH} lowercase letters, digits or hyphens`]);
    }
    super(SHARED_STORAGE_TYPE, name, {}, opts);
    const tags = { ...(args.tags ?? {}), "managed-by": "pulumi" };
    const child = { parent: this };
    const { key } = createConnectorKey(name, awsContext(this), tags, child, "*");
    const bucket = createSnapshotBucket(name, { kmsKeyArn: key.arn, retentionDays: args.snapshotRetentionDays ?? 365, tags }, child);
    this.kmsKeyArn = key.arn;
    this.bucketName = bucket.bucket;
    this.registerOutputs({ kmsKeyArn: this.kmsKeyArn, bucketName: this.bucketName });
  }
}
