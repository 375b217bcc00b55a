import * as pulumi from "@pulumi/pulumi";
import { JiraConnectorArgsError } from "./args";
import { checkTags, componentArgs, wholeNumber } from "./arg-checks";
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
 * writes only under its own `connectors/<name>/` prefix (and its `fleet-tables/<kind>/connector=<name>/` partitions). Both are kept on `pulumi destroy`, like a connector's own.
 */
export class SharedConnectorStorage extends pulumi.ComponentResource {
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: SharedConnectorStorageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    // The name becomes part of the bucket's and the key alias's names: the same rule as connector names.
    const { tags, retentionDays } = checkSharedStorageArgs(name, args);
    super(SHARED_STORAGE_TYPE, name, {}, opts);
    const child = { parent: this };
    const { key } = createConnectorKey(name, awsContext(this), tags, child, "*");
    const bucket = createSnapshotBucket(name, { kmsKeyArn: key.arn, retentionDays, tags }, child);
    this.kmsKeyArn = key.arn;
    this.bucketName = bucket.bucket;
    this.registerOutputs({ kmsKeyArn: this.kmsKeyArn, bucketName: this.bucketName });
  }
}

/**
 * The same checks as a connector's args (arg-checks.ts), all reported at once before anything is registered, so a
 * JavaScript caller's `"365"` or an `aws:` tag is a named error at preview rather than a TypeError or a failed `up`.
 */
export function checkSharedStorageArgs(name: unknown, args: unknown): { tags: Record<string, string>; retentionDays: number } {
  const problems: string[] = [];
  // The name becomes part of the bucket's and the key alias's names.
  const given = componentArgs("SharedConnectorStorage", "storage", name, args, SHARED_STORAGE_ARGS, "{ snapshotRetentionDays: 365 }", problems);
  const own = { "managed-by": "pulumi" };
  const tags = { ...checkTags(given.tags, own, problems), ...own };
  const retentionDays = wholeNumber("snapshotRetentionDays", given.snapshotRetentionDays, 365, 1, 36500, problems);
  if (problems.length > 0) throw new JiraConnectorArgsError(String(name), problems, "SharedConnectorStorage");
  return { tags, retentionDays };
}

const SHARED_STORAGE_ARGS = ["snapshotRetentionDays", "tags"];
