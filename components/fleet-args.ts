import type * as pulumi from "@pulumi/pulumi";
import { CONNECTOR_NAME, JiraConnectorArgsError, MAX_CONNECTOR_NAME_LENGTH } from "./args";
import { checkString, checkTags, componentArgs, isPending, wholeNumber } from "./arg-checks";

/** Arguments of a {@link ConnectorFleet}. */
export interface ConnectorFleetArgs {
  /** The snapshot bucket the connectors write to (e.g. `SharedConnectorStorage.bucketName`). */
  bucketName: pulumi.Input<string>;
  /** The key the bucket's objects are encrypted with (e.g. `SharedConnectorStorage.kmsKeyArn`); results use it too. */
  kmsKeyArn: pulumi.Input<string>;
  /** The connectors' names, as given to each JiraConnector: the snapshots the fleet tables read. */
  connectors: string[];
  /** Athena cancels a query that would scan more than this many megabytes. Default 10240 (10 GB, about 5 cents). */
  bytesScannedCutoffMb?: number;
  /** Tags added to the workgroup, the analyst policy and the database (besides `managed-by: pulumi`). */
  tags?: Record<string, string>;
}

export interface FleetSettings {
  connectors: string[];
  bytesScannedCutoffMb: number;
  tags: Record<string, string>;
}

const FLEET_ARGS = ["bucketName", "kmsKeyArn", "connectors", "bytesScannedCutoffMb", "tags"];
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Athena's own bounds on a workgroup's per-query cutoff: 10 MB up; a petabyte is far above any fleet. */
const MIN_CUTOFF_MB = 10;
const MAX_CUTOFF_MB = 1_048_576_000;

/**
 * The same kind of checks as SharedConnectorStorage's, all reported at once before anything is registered: a
 * missing bucket, a connector name the collector would refuse, or `"10240"` is a named error at preview.
 */
export function checkFleetArgs(name: unknown, args: unknown): FleetSettings {
  const problems: string[] = [];
  // The name becomes part of the workgroup's, database's and policy's names.
  const given = componentArgs("ConnectorFleet", "fleet", name, args, FLEET_ARGS, '{ bucketName, kmsKeyArn, connectors: ["acme"] }', problems);
  if (given.bucketName === undefined) problems.push("bucketName is required: the bucket the connectors write snapshots to");
  else if (checkString("bucketName", given.bucketName, problems, true) && !BUCKET_NAME.test(given.bucketName)) {
    problems.push(`bucketName ${JSON.stringify(given.bucketName)} is not an S3 bucket name`);
  }
  if (given.kmsKeyArn === undefined) problems.push("kmsKeyArn is required: the key the snapshot bucket encrypts with");
  else if (checkString("kmsKeyArn", given.kmsKeyArn, problems, true) && !KMS_KEY_ARN.test(given.kmsKeyArn)) {
    problems.push(`kmsKeyArn must be a key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias or key id`);
  }
  const connectors = checkConnectors(given.connectors, problems);
  const own = { "managed-by": "pulumi" };
  const tags = { ...checkTags(given.tags, own, problems), ...own };
  const bytesScannedCutoffMb = wholeNumber("bytesScannedCutoffMb", given.bytesScannedCutoffMb, 10240, MIN_CUTOFF_MB, MAX_CUTOFF_MB, problems);
  if (problems.length > 0) throw new JiraConnectorArgsError(String(name), problems, "ConnectorFleet");
  return { connectors, bytesScannedCutoffMb, tags };
}

/** Plain names only: they become the tables' projection values when the program runs, not on `up`. */
function checkConnectors(value: unknown, problems: string[]): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(isPending(value) ? "connectors must be a plain array of names, not an Output" : "connectors must be a non-empty array of connector names, e.g. [\"acme\", \"globex\"]");
    return [];
  }
  const names: string[] = [];
  for (const [i, item] of value.entries()) {
    if (typeof item !== "string" || !CONNECTOR_NAME.test(item) || item.length > MAX_CONNECTOR_NAME_LENGTH) {
      problems.push(`connectors[${i}] must be a connector name (1-${MAX_CONNECTOR_NAME_LENGTH} lowercase letters, digits or hyphens), as given to JiraConnector`);
    } else if (names.includes(item)) {
      problems.push(`connectors[${i}]: ${JSON.stringify(item)} is listed twice`);
    } else names.push(item);
  }
  return names;
}
