import Ajv from "ajv";
import addFormats from "ajv-formats";
import {
  COMPONENTS_SCHEMA_ID,
  convertOpenApiSchema,
  findOperation,
  loadOpenApiDocument,
  OPENAPI_ERRATA,
  operationScopes,
  responseExamples,
  validateComponent,
  validateJiraResponse,
  validateOpenApiSchema,
} from "../support/openapi";
import { componentRef, convertComponents } from "../support/openapi/convert";
import { openApiDocumentCandidates } from "../support/openapi/document";

/** The OpenAPI support library: operation lookup, schema conversion, examples, scopes — and that it can fail. */

const GET_OPERATIONS = [
  "/rest/api/3/myself",
  "/rest/api/3/mypermissions",
  "/rest/api/3/applicationrole",
  "/rest/api/3/applicationrole/{key}",
  "/rest/api/3/instance/license",
  "/rest/api/3/license/approximateLicenseCount",
  "/rest/api/3/license/approximateLicenseCount/product/{applicationKey}",
  "/rest/api/3/users/search",
  "/rest/api/3/group/bulk",
  "/rest/api/3/group/member",
  "/rest/api/3/auditing/record",
  "/rest/api/3/search/jql",
  "/rest/api/3/serverInfo",
];

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const example = (path: string, status = "200"): any => clone(responseExamples("get", path, status)[0]);

describe("document", () => {
  test("is Atlassian's Jira platform OpenAPI 3.0.1 document", () => {
    const doc = loadOpenApiDocument();
    expect(doc.openapi).toBe("3.0.1");
    expect(doc.info.version).toMatch(/^1001\.0\.0-SNAPSHOT/);
    expect(loadOpenApiDocument()).toBe(doc); // cached
  });

  test("a missing document gives a clear error listing the places looked at", () => {
    jest.isolateModules(() => {
      jest.doMock("fs", () => ({ ...jest.requireActual("fs"), existsSync: () => false }));
      try {
        const isolated = require("../support/openapi/document") as typeof import("../support/openapi/document");
        expect(() => isolated.loadOpenApiDocument()).toThrow(/Cannot find Atlassian's Jira OpenAPI document[\s\S]*JIRA_OPENAPI_PATH[\s\S]*shared\/reference/);
      } finally {
        jest.dontMock("fs");
      }
    });
  });

  test("JIRA_OPENAPI_PATH is the first candidate location", () => {
    const saved = process.env.JIRA_OPENAPI_PATH;
    process.env.JIRA_OPENAPI_PATH = "/nowhere/jira.json";
    try {
      expect(openApiDocumentCandidates()[0]).toBe("/nowhere/jira.json");
    } finally {
      if (saved === undefined) delete process.env.JIRA_OPENAPI_PATH;
      else process.env.JIRA_OPENAPI_PATH = saved;
    }
  });
});

describe("findOperation", () => {
  test.each([
    ["get", "/rest/api/3/group/member", "/rest/api/3/group/member", "getUsersFromGroup", {}],
    ["GET", "/rest/api/3/applicationrole/jira-software", "/rest/api/3/applicationrole/{key}", "getApplicationRole", { key: "jira-software" }],
    ["get", "/rest/api/3/issue/createmeta", "/rest/api/3/issue/createmeta", undefined, {}],
    ["get", "/rest/api/3/issue/ED-1", "/rest/api/3/issue/{issueIdOrKey}", "getIssue", { issueIdOrKey: "ED-1" }],
    ["get", "/rest/api/3/field/search", "/rest/api/3/field/search", undefined, {}],
    ["get", "/rest/api/3/group/member?groupId=abc&startAt=50", "/rest/api/3/group/member", "getUsersFromGroup", {}],
    ["get", "/rest/api/3/group/member/", "/rest/api/3/group/member", "getUsersFromGroup", {}],
    ["get", "http://127.0.0.1:1234/api/ex/jira/0f1e/rest/api/3/myself", "/rest/api/3/myself", "getCurrentUser", {}],
    ["get", "http://127.0.0.1:1234/site/acme/rest/api/3/license/approximateLicenseCount/product/jira-software", "/rest/api/3/license/approximateLicenseCount/product/{applicationKey}", "getApproximateApplicationLicenseCount", { applicationKey: "jira-software" }],
    ["get", "/rest/api/3/applicationrole/jira%20core", "/rest/api/3/applicationrole/{key}", "getApplicationRole", { key: "jira core" }],
  ])("%s %s → %s", (method, path, template, operationId, params) => {
    const found = findOperation(method, path);
    expect(found?.pathTemplate).toBe(template);
    if (operationId) expect(found?.operationId).toBe(operationId);
    expect(found?.pathParams).toEqual(params);
  });

  test.each([
    ["get", "/rest/api/3/no-such-thing"],
    ["get", "/rest/api/3"],
    ["patch", "/rest/api/3/myself"],
    ["get", "/api/ex/jira/x/other/api/3/myself"],
  ])("%s %s → undefined", (method, path) => {
    expect(findOperation(method, path)).toBeUndefined();
  });
});

describe("responseExamples and operationScopes", () => {
  test("examples are parsed JSON", () => {
    expect(responseExamples("get", "/rest/api/3/license/approximateLicenseCount")).toEqual([{ key: "license.totalApproximateUserCount", value: "1000" }]);
    expect(responseExamples("get", "/rest/api/3/license/approximateLicenseCount", 403)).toEqual([
      { errorMessages: ["Only Jira administrators can access license details."], errors: {} },
    ]);
    expect(responseExamples("get", "/rest/api/3/myself", "401")).toEqual([]);
  });

  test("an unknown operation throws", () => {
    expect(() => responseExamples("get", "/rest/api/3/nope")).toThrow(/no operation GET \/rest\/api\/3\/nope/);
    expect(() => operationScopes("get", "/rest/api/3/nope")).toThrow(/no operation/);
  });

  test.each([
    ["/rest/api/3/myself", ["read:jira-user"], ["read:application-role:jira", "read:avatar:jira", "read:group:jira", "read:user:jira"]],
    ["/rest/api/3/auditing/record", ["manage:jira-configuration"], ["read:audit-log:jira", "read:user:jira"]],
    ["/rest/api/3/mypermissions", ["read:jira-work"], ["read:permission:jira"]],
    ["/rest/api/3/serverInfo", [], []],
  ])("scopes of GET %s", (path, classic, granular) => {
    const scopes = operationScopes("get", path);
    expect(scopes.classic.sort()).toEqual(classic);
    expect(scopes.granular.sort()).toEqual(granular);
  });
});

describe("the document's own 200 examples validate", () => {
  test.each(GET_OPERATIONS)("GET %s", (path) => {
    const examples = responseExamples("get", path, "200");
    expect(examples.length).toBeGreaterThan(0);
    for (const body of examples) {
      const result = validateJiraResponse({ method: "GET", path, status: 200, body });
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ valid: true, schemaFound: true, checkedAgainst: "operation" });
    }
  });

  test("a raw JSON string body is parsed", () => {
    const body = JSON.stringify(example("/rest/api/3/myself"));
    expect(validateJiraResponse({ method: "GET", path: "/rest/api/3/myself", status: "200", body }).valid).toBe(true);
  });
});

describe("wrong bodies are rejected", () => {
  const cases: [string, string, (body: any) => unknown, RegExp][] = [
    ["extra property", "/rest/api/3/myself", (b) => ({ ...b, extra: 1 }), /^\(root\) must NOT have additional properties: "extra"/],
    ["wrong type", "/rest/api/3/myself", (b) => ({ ...b, active: "yes" }), /^\/active must be boolean/],
    ["null where not nullable", "/rest/api/3/myself", (b) => ({ ...b, displayName: null }), /^\/displayName must be string/],
    ["nested extra property", "/rest/api/3/myself", (b) => ({ ...b, avatarUrls: { ...b.avatarUrls, "64x64": "x" } }), /^\/avatarUrls must NOT have additional properties: "64x64"/],
    ["array item extra property", "/rest/api/3/users/search", (b) => [{ ...b[0], extra: true }], /^\/0 must NOT have additional properties/],
    ["object instead of array", "/rest/api/3/users/search", (b) => ({ values: b }), /^\(root\) must be array/],
    ["licence value as a number", "/rest/api/3/license/approximateLicenseCount", (b) => ({ ...b, value: 1000 }), /^\/value must be string/],
    ["PageBean total as a string", "/rest/api/3/group/bulk", (b) => ({ ...b, total: "2" }), /^\/total must be integer/],
    ["group name null (groupId is the nullable one)", "/rest/api/3/group/bulk", (b) => ({ ...b, values: [{ groupId: "g", name: null }] }), /^\/values\/0\/name must be string/],
    ["group member extra property", "/rest/api/3/group/member", (b) => ({ ...b, values: [{ ...b.values[0], groups: [] }] }), /^\/values\/0 must NOT have additional properties: "groups"/],
    ["audit created not a date-time", "/rest/api/3/auditing/record", (b) => ({ ...b, records: [{ ...b.records[0], created: "yesterday" }] }), /^\/records\/0\/created must match format "date-time"/],
    ["audit record unknown property", "/rest/api/3/auditing/record", (b) => ({ ...b, records: [{ ...b.records[0], authorEmail: "x@y" }] }), /additional properties: "authorEmail"/],
    ["int32 out of range", "/rest/api/3/applicationrole/{key}", (b) => ({ ...b, numberOfSeats: 2 ** 40 }), /^\/numberOfSeats must match format "int32"/],
    ["nextPageToken null (not nullable)", "/rest/api/3/search/jql", (b) => ({ ...b, nextPageToken: null }), /^\/nextPageToken must be string/],
    ["serverInfo extra property", "/rest/api/3/serverInfo", (b) => ({ ...b, edition: "cloud" }), /additional properties: "edition"/],
  ];

  test.each(cases)("%s (GET %s)", (_name, path, mutate, expected) => {
    const result = validateJiraResponse({ method: "GET", path, status: 200, body: mutate(example(path)) });
    expect(result.valid).toBe(false);
    expect(result.errors.some((error) => expected.test(error))).toBe(true);
  });

  test("all errors are reported (allErrors)", () => {
    const body = { ...example("/rest/api/3/myself"), extra: 1, active: "yes" };
    expect(validateJiraResponse({ method: "GET", path: "/rest/api/3/myself", status: 200, body }).errors).toHaveLength(2);
  });

  test("a non-JSON or missing body fails where a schema exists", () => {
    expect(validateJiraResponse({ method: "GET", path: "/rest/api/3/myself", status: 200, body: "<html>" })).toMatchObject({ valid: false, schemaFound: true });
    expect(validateJiraResponse({ method: "GET", path: "/rest/api/3/myself", status: 200, body: undefined }).errors).toEqual(["no body"]);
  });

  test("an unknown operation fails", () => {
    expect(validateJiraResponse({ method: "GET", path: "/rest/api/3/nope", status: 200, body: {} })).toMatchObject({ valid: false, operationId: undefined });
  });
});

describe("error statuses", () => {
  const forbidden = { errorMessages: ["Browse users and groups permission is required to view groups."], errors: {} };

  test("a documented ErrorCollection schema is used", () => {
    const ok = validateJiraResponse({ method: "GET", path: "/rest/api/3/mypermissions", status: 400, body: { errorMessages: ["x"], errors: {} } });
    expect(ok).toMatchObject({ valid: true, schemaFound: true, checkedAgainst: "operation" });
    const bad = validateJiraResponse({ method: "GET", path: "/rest/api/3/mypermissions", status: 400, body: { message: "x" } });
    expect(bad).toMatchObject({ valid: false, schemaFound: true });
  });

  test("undocumented error bodies with errorMessages are checked against ErrorCollection", () => {
    const ok = validateJiraResponse({ method: "GET", path: "/rest/api/3/group/bulk", status: 403, body: forbidden });
    expect(ok).toMatchObject({ valid: true, schemaFound: false, checkedAgainst: "ErrorCollection fallback", operationId: "bulkGetGroups" });
    const bad = validateJiraResponse({ method: "GET", path: "/rest/api/3/group/bulk", status: 403, body: { errorMessages: "no", errors: {}, code: 1 } });
    expect(bad.valid).toBe(false);
    expect(bad.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^\/errorMessages must be array/), expect.stringMatching(/additional properties: "code"/)]));
  });

  test("other undocumented bodies are not checked", () => {
    const result = validateJiraResponse({ method: "GET", path: "/rest/api/3/myself", status: 401, body: { message: "Client must be authenticated to access this resource.", "status-code": 401 } });
    expect(result).toMatchObject({ valid: true, schemaFound: false, checkedAgainst: "nothing" });
    expect(validateJiraResponse({ method: "GET", path: "/rest/api/3/myself", status: 429, body: "<html>busy</html>" })).toMatchObject({ valid: true, schemaFound: false });
  });
});

describe("schema conversion", () => {
  test("nullable", () => {
    expect(convertOpenApiSchema({ type: "string", nullable: true })).toEqual({ type: ["string", "null"] });
    expect(convertOpenApiSchema({ type: "string", enum: ["a"], nullable: true })).toEqual({ type: ["string", "null"], enum: ["a", null] });
    expect(convertOpenApiSchema({ allOf: [{ $ref: "#/components/schemas/User" }], nullable: true })).toEqual({
      anyOf: [{ type: "null" }, { allOf: [{ $ref: componentRef("User") }] }],
    });
    expect(validateOpenApiSchema({ type: "integer", nullable: true }, null).valid).toBe(true);
    expect(validateOpenApiSchema({ type: "integer" }, null).valid).toBe(false);
    expect(validateComponent("GroupDetails", { groupId: null, name: "g" }).valid).toBe(true);
  });

  test("annotations and extensions are stripped, property names are not", () => {
    const converted = convertOpenApiSchema({
      type: "object",
      readOnly: true,
      example: "{}",
      xml: { name: "x" },
      "x-atlassian-thing": 1,
      discriminator: { propertyName: "type" },
      externalDocs: { url: "u" },
      properties: { example: { type: "string", writeOnly: true }, xml: { $ref: "#/components/schemas/Locale", description: "ignored" } },
    });
    expect(converted).toEqual({ type: "object", properties: { example: { type: "string" }, xml: { $ref: componentRef("Locale") } } });
  });

  test("refs other than components/schemas are refused", () => {
    expect(() => convertOpenApiSchema({ $ref: "#/components/responses/X" })).toThrow(/Unsupported \$ref/);
  });
});

describe("errata: each fixes a contradiction between a schema and the document's own example", () => {
  // An independent ajv over the *unpatched* components proves each erratum is needed.
  const raw = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(raw);
  raw.addSchema({ $id: COMPONENTS_SCHEMA_ID, definitions: convertComponents(loadOpenApiDocument().components.schemas) }, undefined, undefined, false);

  const evidence: Record<string, [string, string]> = {
    AuditRecordBean: ["/rest/api/3/auditing/record", "200"],
    ErrorCollections: ["/rest/api/3/license/approximateLicenseCount", "403"],
    ServerInformation: ["/rest/api/3/serverInfo", "200"],
  };

  test("every erratum has evidence", () => {
    expect(OPENAPI_ERRATA.map((e) => e.schema).sort()).toEqual(Object.keys(evidence).sort());
  });

  test.each(Object.entries(evidence).map(([schema, [path, status]]) => [schema, path, status]))("%s: unpatched rejects, patched accepts the GET %s %s example", (_schema, path, status) => {
    const operation = findOperation("get", path)!.operation;
    const schema = operation.responses![status].content!["application/json"].schema!;
    const body = example(path, status);
    const rawValidate = raw.compile(convertOpenApiSchema(schema));
    expect(rawValidate(body)).toBe(false);
    expect(validateJiraResponse({ method: "GET", path, status, body }).errors).toEqual([]);
  });

  test("the documented AuditRecordBean still rejects other additions", () => {
    expect(validateComponent("AuditRecordBean", { authorAccountId: "a", authorEmail: "b" }).errors).toEqual([
      expect.stringMatching(/additional properties: "authorEmail"/),
    ]);
    expect(validateComponent("AuditRecordBean", { authorAccountId: 7 }).valid).toBe(false);
  });
});
