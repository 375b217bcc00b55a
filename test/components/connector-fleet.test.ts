import * as pulumi from "@pulumi/pulumi";
import { ConnectorFleet, JiraConnectorArgsError, SharedConnectorStorage } from "../../components";
import { checkFleetArgs } from "../../components/fleet-args";
import { ANALYST_ATHENA_ACTIONS, ANALYST_GLUE_ACTIONS } from "../../components/fleet-policy";
import { athenaReportStatements, athenaViewStatements } from "../../fleet/athena-sql";
import { FILE_TABLES } from "../../fleet/table-columns";
import { FLEET_TABLE_KINDS, fleetTableKey } from "../../collector/snapshot/layout";
import { only } from "./support/fixtures";
import { ACCOUNT, REGION, settle, startMockEngine, valueOf, type Registration } from "./support/mock-engine";

/** ConnectorFleet under mocks: the Glue tables are the collector's fleet-tables/ layout, the workgroup is locked, the policy is least privilege. */

const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/shared`;
let registrations: Registration[];
let fleet: ConnectorFleet;
beforeAll(async () => {
  registrations = await startMockEngine();
  fleet = new ConnectorFleet("it-fleet", { bucketName: "shared-snapshots", kmsKeyArn: KEY, connectors: ["acme", "globex"], tags: { team: "it" } });
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

const tables = () => registrations.filter((r) => r.type === "aws:glue/catalogTable:CatalogTable");

test("one Glue table per file kind, its columns the snapshot id then the shared column list (lowercased, Hive types), one SerDe", () => {
  expect(tables().map((t) => t.inputs.name).sort()).toEqual(Object.values(FILE_TABLES).map((t) => t.table).sort());
  expect(Object.values(FILE_TABLES).map((t) => t.kind).sort()).toEqual([...FLEET_TABLE_KINDS].sort());
  for (const table of Object.values(FILE_TABLES)) {
    const glue = tables().find((t) => t.inputs.name === table.table)!;
    expect(glue.inputs.databaseName).toBe("jira_fleet_it_fleet");
    expect(glue.inputs.tableType).toBe("EXTERNAL_TABLE");
    expect(glue.inputs.storageDescriptor.columns.map((c: any) => [c.name, c.type])).toEqual([["snapshotid", "string"], ...table.fields.map((x) => [x.field.toLowerCase(), x.type])]);
    expect(glue.inputs.partitionKeys.map((k: any) => [k.name, k.type])).toEqual([["connector", "string"], ["day", "string"]]);
    expect([table.table, glue.inputs.storageDescriptor.serDeInfo.serializationLibrary]).toEqual([table.table, "org.openx.data.jsonserde.JsonSerDe"]);
    expect(glue.inputs.storageDescriptor.location).toBe(`s3://shared-snapshots/fleet-tables/${table.kind}/`);
    expect(glue.inputs.parameters.classification).toBe("json");
  }
});

test("partition projection: connector as an enum, day as a date range; the template is the collector's key layout", () => {
  const at = new Date("2026-11-28T23:59:59.999Z");
  for (const table of Object.values(FILE_TABLES)) {
    const p = tables().find((t) => t.inputs.name === table.table)!.inputs.parameters;
    expect(p).toMatchObject({
      "projection.enabled": "true",
      "projection.connector.type": "enum",
      "projection.connector.values": "acme,globex",
      "projection.day.type": "date",
      "projection.day.format": "yyyy-MM-dd",
      "projection.day.range": "2024-01-01,NOW",
      "projection.day.interval": "1",
      "projection.day.interval.unit": "DAYS",
    });
    // Filling the template with a connector and a day gives the folder the Lambda writes that kind's object in.
    const filled = p["storage.location.template"].replace("${connector}", "acme").replace("${day}", "2026-11-28");
    expect(filled).toBe(`s3://shared-snapshots/fleet-tables/${table.kind}/connector=acme/day=2026-11-28/`);
    const key = fleetTableKey(table.kind, "acme", at);
    expect(`s3://shared-snapshots/${key}`.slice(0, filled.length)).toBe(filled);
    expect(key.slice(filled.length - "s3://shared-snapshots/".length)).toBe("2026-11-28T23-59-59.999Z.ndjson.gz"); // directly in the partition
  }
});

test("workgroup: enforced, results under fleet/<name>/results/ encrypted with the connector key, metrics, cutoff", async () => {
  const wg = only(registrations, "aws:athena/workgroup:Workgroup").inputs;
  expect(wg.name).toBe("jira-fleet-it-fleet");
  expect(wg.configuration).toMatchObject({
    enforceWorkgroupConfiguration: true,
    publishCloudwatchMetricsEnabled: true,
    bytesScannedCutoffPerQuery: 10240 * 1024 * 1024,
    resultConfiguration: {
      outputLocation: "s3://shared-snapshots/fleet/it-fleet/results/",
      encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY },
      expectedBucketOwner: ACCOUNT,
    },
  });
  expect(await valueOf(fleet.resultsLocation)).toBe("s3://shared-snapshots/fleet/it-fleet/results/");
});

test("named queries: every view's CREATE OR REPLACE VIEW and every fleet-report query, in the workgroup and database", () => {
  const queries = registrations.filter((r) => r.type === "aws:athena/namedQuery:NamedQuery").map((r) => r.inputs);
  const expected = [...athenaViewStatements(), ...athenaReportStatements()];
  expect(queries.map((q) => [q.name, q.query])).toEqual(expected.map((s) => [s.name, s.sql]));
  for (const q of queries) expect([q.workgroup, q.database]).toEqual(["jira-fleet-it-fleet", "jira_fleet_it_fleet"]);
});

describe("analyst policy", () => {
  const statements = () => JSON.parse(only(registrations, "aws:iam/policy:Policy").inputs.policy).Statement as Array<Record<string, any>>;
  const sid = (s: string) => statements().find((x) => x.Sid === s)!;
  const bucket = "arn:aws:s3:::shared-snapshots";

  test("the output document is the policy's", async () => {
    expect(JSON.parse(await valueOf(fleet.analystPolicyDocument))).toEqual(JSON.parse(only(registrations, "aws:iam/policy:Policy").inputs.policy));
    expect(await valueOf(fleet.analystPolicyArn)).toMatch(/^arn:aws:iam:/);
  });

  test("has exactly these statements; no Allow has a wildcard action or a '*' resource", () => {
    expect(statements().map((s) => s.Sid)).toEqual([
      "RunFleetQueries", "ReadFleetCatalog", "ReadFleetTablesThroughAthena", "ListFleetTablesThroughAthena", "LocateBucket", "ListResults", "WriteAndReadResults", "UseKeyThroughS3", "DenyInsecureTransport",
    ]);
    for (const s of statements().filter((x) => x.Effect === "Allow")) {
      expect([s.Sid, s.Action.some((a: string) => a.includes("*")), [s.Resource].flat().includes("*")]).toEqual([s.Sid, false, false]);
    }
  });

  test("Athena: run and read queries in the fleet workgroup only", () => {
    const workgroup = only(registrations, "aws:athena/workgroup:Workgroup").outputs.arn;
    expect(sid("RunFleetQueries")).toEqual({ Sid: "RunFleetQueries", Effect: "Allow", Action: ANALYST_ATHENA_ACTIONS, Resource: [workgroup] });
    expect(ANALYST_ATHENA_ACTIONS.filter((a) => /Create|Delete|Update/.test(a))).toEqual([]);
  });

  test("Glue: read the catalog, the fleet database and its tables only", () => {
    const glue = `arn:aws:glue:${REGION}:${ACCOUNT}`;
    expect(sid("ReadFleetCatalog")).toEqual({
      Sid: "ReadFleetCatalog",
      Effect: "Allow",
      Action: ANALYST_GLUE_ACTIONS,
      Resource: [`${glue}:catalog`, `${glue}:database/jira_fleet_it_fleet`, `${glue}:table/jira_fleet_it_fleet/*`],
    });
  });

  test("S3: fleet tables read-only, per kind, only the fleet's connectors, only through Athena; no snapshot folder", () => {
    const viaAthena = { "ForAnyValue:StringEquals": { "aws:CalledVia": ["athena.amazonaws.com"] } };
    const prefixes = ["acme", "globex"].flatMap((c) => FLEET_TABLE_KINDS.map((k) => `fleet-tables/${k}/connector=${c}/`));
    expect(prefixes).toHaveLength(12);
    expect(sid("ReadFleetTablesThroughAthena")).toEqual({
      Sid: "ReadFleetTablesThroughAthena", Effect: "Allow", Action: ["s3:GetObject"],
      Resource: prefixes.map((p) => `${bucket}/${p}*`), Condition: viaAthena,
    });
    expect(sid("ListFleetTablesThroughAthena")).toEqual({
      Sid: "ListFleetTablesThroughAthena", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucket],
      Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) }, ...viaAthena },
    });
    expect(JSON.stringify(statements())).not.toContain("connectors/");
    expect(sid("LocateBucket")).toEqual({ Sid: "LocateBucket", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: [bucket] });
    expect(sid("ListResults")).toEqual({
      Sid: "ListResults", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucket], Condition: { StringLike: { "s3:prefix": ["fleet/it-fleet/results/*"] } },
    });
    expect(sid("WriteAndReadResults")).toEqual({
      Sid: "WriteAndReadResults", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: [`${bucket}/fleet/it-fleet/results/*`],
    });
    const puts = statements().filter((s) => s.Effect === "Allow" && s.Action.includes("s3:PutObject"));
    expect(puts.map((s) => s.Resource)).toEqual([[`${bucket}/fleet/it-fleet/results/*`]]);
  });

  test("KMS: decrypt and generate with the connector key, only as S3 uses it", () => {
    expect(sid("UseKeyThroughS3")).toEqual({
      Sid: "UseKeyThroughS3", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [KEY],
      Condition: { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } },
    });
  });

  test("TLS: every allowed action is denied without aws:SecureTransport", () => {
    const deny = sid("DenyInsecureTransport");
    const allowed = statements().filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
    expect([deny.Effect, deny.Resource, deny.Condition]).toEqual(["Deny", "*", { Bool: { "aws:SecureTransport": "false" } }]);
    expect([...new Set(allowed)].sort()).toEqual([...deny.Action].sort());
  });
});

test("takes SharedConnectorStorage's Outputs", async () => {
  const storage = new SharedConnectorStorage("fleet-storage");
  const other = new ConnectorFleet("other", { bucketName: storage.bucketName, kmsKeyArn: storage.kmsKeyArn, connectors: ["initech"] });
  expect(await valueOf(other.resultsLocation)).toMatch(/^s3:\/\/fleet-storage-snapshots-.*\/fleet\/other\/results\/$/);
});

describe("args: named errors, all at once, never a TypeError", () => {
  const problems = (name: unknown, args: unknown): string => {
    try {
      checkFleetArgs(name, args);
    } catch (error) {
      expect(error).toBeInstanceOf(JiraConnectorArgsError);
      return (error as Error).message;
    }
    throw new Error("accepted");
  };
  const ok = { bucketName: "shared-snapshots", kmsKeyArn: KEY, connectors: ["acme"] };

  test.each<[string, unknown, unknown, RegExp]>([
    ["null args", "f", null, /args must be an object/],
    ["bad name", "Fleet_1", ok, /fleet's name must be/],
    ["no bucket", "f", { ...ok, bucketName: undefined }, /bucketName is required/],
    ["number bucket", "f", { ...ok, bucketName: 42 }, /bucketName must be a string/],
    ["bad bucket", "f", { ...ok, bucketName: "Shared_Snapshots" }, /not an S3 bucket name/],
    ["alias key", "f", { ...ok, kmsKeyArn: "alias/jira" }, /kmsKeyArn must be a key ARN/],
    ["no connectors", "f", { ...ok, connectors: [] }, /connectors must be a non-empty array/],
    ["string connectors", "f", { ...ok, connectors: "acme" }, /connectors must be a non-empty array/],
    ["Output connectors", "f", { ...ok, connectors: pulumi.output(["acme"]) }, /connectors must be a plain array of names, not an Output/],
    ["bad connector", "f", { ...ok, connectors: ["acme", "Bad Name"] }, /connectors\[1\] must be a connector name/],
    ["duplicate connector", "f", { ...ok, connectors: ["acme", "acme"] }, /connectors\[1\]: "acme" is listed twice/],
    ["string cutoff", "f", { ...ok, bytesScannedCutoffMb: "1024" }, /bytesScannedCutoffMb must be a whole number from 10/],
    ["tiny cutoff", "f", { ...ok, bytesScannedCutoffMb: 1 }, /bytesScannedCutoffMb must be a whole number/],
    ["unknown arg", "f", { ...ok, prefix: "x" }, /prefix is not an argument of ConnectorFleet/],
    ["aws: tag", "f", { ...ok, tags: { "aws:x": "y" } }, /reserved aws: prefix/],
  ])("%s", (_, name, args, message) => {
    expect(problems(name, args)).toMatch(message);
  });

  test("every problem at once", () => {
    const message = problems("f", { connectors: [], bytesScannedCutoffMb: -1 });
    for (const p of [/bucketName is required/, /kmsKeyArn is required/, /connectors must be/, /bytesScannedCutoffMb/]) expect(message).toMatch(p);
  });

  test("the component throws it before registering anything", () => {
    const before = registrations.length;
    expect(() => new ConnectorFleet("bad", { bucketName: "shared-snapshots", kmsKeyArn: KEY, connectors: [] })).toThrow(JiraConnectorArgsError);
    expect(registrations.length).toBe(before);
  });
});
