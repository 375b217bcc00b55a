import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { columnName } from "../fleet/base-views";
import { FILE_TABLES, type FileTable } from "../fleet/table-columns";

/**
 * The Glue database and one external table per snapshot file kind (fleet/table-columns.ts: the same fields and
 * types DuckDB reads on the laptop), over the snapshot bucket as the collectors write it:
 * `connectors/<connector>/snapshots/<snapshot id>/<file>`, `connectors/<connector>/latest.json`.
 *
 * Partition projection on `connector` (an enum of the fleet's connectors), so no crawler and no `MSCK REPAIR`: a
 * new snapshot is visible to the next query. The snapshot is not a partition column: its id is a millisecond
 * timestamp (no `date` projection interval enumerates those) and an `injected` one would force every query to name
 * a snapshot, while the fleet views span all of them. It comes from `"$path"` (fleet/base-views.ts) instead.
 */

/** NDJSON (gzip, found by the `.gz` suffix): one record per line. Other files in the folder are not JSON lines. */
const JSON_LINES = {
  inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
  serDeInfo: {
    serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
    // The folder also holds pretty-printed JSON (manifest.json, seat-report.json): their lines are skipped as
    // malformed, not a failed query; the base views keep only their own file's rows.
    parameters: { "ignore.malformed.json": "true", "case.insensitive": "true" },
  },
};

/**
 * manifest.json and latest.json are pretty-printed documents, which the line-based JSON SerDes cannot read. The Ion
 * SerDe reads JSON (a subset of Ion) values spanning lines.
 */
const JSON_DOCUMENTS = {
  inputFormat: "com.amazon.ionhiveserde.formats.IonInputFormat",
  outputFormat: "com.amazon.ionhiveserde.formats.IonOutputFormat",
  serDeInfo: { serializationLibrary: "com.amazon.ionhiveserde.IonHiveSerDe", parameters: {} as Record<string, string> },
};

/** Where a table's `connector` partition lies: the template Athena fills in (a literal `${connector}`). */
export function locationTemplate(bucketName: string, table: FileTable): string {
  return table.scope === "snapshot" ? `s3://${bucketName}/connectors/\${connector}/snapshots/` : `s3://${bucketName}/connectors/\${connector}/`;
}

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
    const format = table.lines ? JSON_LINES : JSON_DOCUMENTS;
    return new aws.glue.CatalogTable(
      `${name}-${table.table}`,
      {
        name: table.table,
        databaseName: database.name,
        description: `Every ${table.file} of the fleet's connectors; query the fleet views, not this table`,
        tableType: "EXTERNAL_TABLE",
        parameters: pulumi.output(inputs.bucketName).apply((bucket) => ({
          EXTERNAL: "TRUE",
          classification: table.lines ? "json" : "ion",
          "projection.enabled": "true",
          "projection.connector.type": "enum",
          "projection.connector.values": inputs.connectors.join(","),
          "storage.location.template": locationTemplate(bucket, table),
        })),
        partitionKeys: [{ name: "connector", type: "string", comment: "The connector's name (connectors/<name>/)" }],
        storageDescriptor: {
          location: pulumi.interpolate`s3://${inputs.bucketName}/connectors/`,
          ...format,
          columns: table.fields.map((x) => ({ name: columnName(x.field), type: x.type, comment: `${table.file}: ${x.field}` })),
        },
      },
      opts,
    );
  });
  return { database, tables };
}
