import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FLEET_TABLES_PREFIX } from "../collector/snapshot/layout";
import { tableFields } from "../fleet/base-tables";
import { columnName } from "../fleet/base-views";
import { FILE_TABLES, type Field, type FileTable } from "../fleet/table-columns";

/**
 * The Glue database and one external table per file kind (fleet/table-columns.ts: the same fields and types DuckDB
 * reads on the laptop), over the copies the collectors write for Athena (collector/snapshot/layout.ts):
 * `fleet-tables/<kind>/connector=<connector>/day=<YYYY-MM-DD>/<snapshot id>.ndjson.gz`, one record per line with
 * its snapshot id. A table's location is its kind's own prefix, so it reads no other file kind.
 *
 * Partition projection on `connector` (an enum of the fleet's connectors) and `day` (the snapshot's UTC date, a
 * date range from 2024 to today), so no crawler and no `MSCK REPAIR`: a new snapshot is visible to the next query,
 * and a query with `day` predicates reads only those days' objects.
 */

/** The first day projected: before any collector of this package ran, so every snapshot's day is in range. */
export const FIRST_DAY = "2024-01-01";

/** gzip NDJSON (Athena decompresses by the `.gz` suffix) through the OpenX JSON SerDe, for every table. */
const JSON_LINES = {
  inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
  serDeInfo: {
    serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
    // The collector writes camelCase fields; Glue columns are lower case.
    parameters: { "case.insensitive": "true" },
  },
};

/** `s3://<bucket>/fleet-tables/<kind>/` */
export function tableLocation(bucketName: string, table: FileTable): string {
  return `s3://${bucketName}/${FLEET_TABLES_PREFIX}${table.kind}/`;
}

/** Where a partition lies: the template Athena fills in (literal `${connector}` and `${day}`). */
export function locationTemplate(bucketName: string, table: FileTable): string {
  return `${tableLocation(bucketName, table)}connector=\${connector}/day=\${day}/`;
}

/** The table parameters: JSON, projection of both partition keys, and the partitions' location. */
export function tableParameters(bucketName: string, table: FileTable, connectors: readonly string[]): Record<string, string> {
  return {
    EXTERNAL: "TRUE",
    classification: "json",
    compressionType: "gzip",
    "projection.enabled": "true",
    "projection.connector.type": "enum",
    "projection.connector.values": connectors.join(","),
    "projection.day.type": "date",
    "projection.day.format": "yyyy-MM-dd",
    "projection.day.range": `${FIRST_DAY},NOW`,
    "projection.day.interval": "1",
    "projection.day.interval.unit": "DAYS",
    "storage.location.template": locationTemplate(bucketName, table),
  };
}

/** Where a column's values come from in the snapshot folder (roles: subscriptions.json's `roles[].key`, …). */
const fieldComment = (table: FileTable, x: Field): string => `${table.file}: ${table.within !== undefined ? `${table.within}[].${x.source ?? x.field}` : x.field}`;

export interface FleetCatalogInputs {
  databaseName: string;
  bucketName: pulumi.Input<string>;
  connectors: readonly string[];
  tags: Record<string, string>;
}

export function createFleetCatalog(name: string, inputs: FleetCatalogInputs, opts: pulumi.CustomResourceOptions) {
  const database = new aws.glue.CatalogDatabase(
    `${name}-fleet-database`,
    { name: inputs.databaseName, description: `Jira connector fleet ${name}: the snapshots of ${inputs.connectors.join(", ")}`, tags: inputs.tags },
    opts,
  );
  const tables = Object.values(FILE_TABLES).map((table: FileTable) => {
    const bucket = pulumi.output(inputs.bucketName);
    return new aws.glue.CatalogTable(
      `${name}-${table.table}`,
      {
        name: table.table,
        databaseName: database.name,
        description: `${table.within !== undefined ? `The ${table.within} of every` : "Every"} ${table.file} of the fleet's connectors (the fleet-tables/${table.kind}/ copies); query the fleet views, not this table`,
        tableType: "EXTERNAL_TABLE",
        parameters: bucket.apply((b) => tableParameters(b, table, inputs.connectors)),
        partitionKeys: [
          { name: "connector", type: "string", comment: "The connector's name (connector=<name>/)" },
          { name: "day", type: "string", comment: "The snapshot's UTC date, yyyy-MM-dd (day=<date>/): filter on it to read fewer objects" },
        ],
        storageDescriptor: {
          location: bucket.apply((b) => tableLocation(b, table)),
          ...JSON_LINES,
          columns: tableFields(table).map((x) => ({ name: columnName(x.field), type: x.type, comment: x.field === "snapshotId" ? "The snapshot (its folder name, connectors/<name>/snapshots/<id>/)" : fieldComment(table, x) })),
        },
      },
      opts,
    );
  });
  return { database, tables };
}
