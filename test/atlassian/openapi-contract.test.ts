import { z } from "zod";
import {
  applicationRoleSchema,
  auditRecordsSchema,
  groupDetailsSchema,
  groupMemberSchema,
  issueSearchPageSchema,
  JIRA_OPERATIONS,
  licenseMetricSchema,
  licenseSchema,
  pageBeanSchema,
  permissionsSchema,
  serverInfoSchema,
  userSchema,
} from "../../atlassian";
import { operationScopes, responseExamples } from "../support/openapi";

/** Our zod schemas must accept Atlassian's own published examples, and our scope table must match the document. */

const cases: [string, z.ZodType][] = [
  ["/rest/api/3/myself", userSchema()],
  ["/rest/api/3/mypermissions", permissionsSchema()],
  ["/rest/api/3/applicationrole", z.array(applicationRoleSchema())],
  ["/rest/api/3/applicationrole/{key}", applicationRoleSchema()],
  ["/rest/api/3/instance/license", licenseSchema()],
  ["/rest/api/3/license/approximateLicenseCount", licenseMetricSchema()],
  ["/rest/api/3/license/approximateLicenseCount/product/{applicationKey}", licenseMetricSchema()],
  ["/rest/api/3/users/search", z.array(userSchema())],
  ["/rest/api/3/group/bulk", pageBeanSchema(groupDetailsSchema())],
  ["/rest/api/3/group/member", pageBeanSchema(groupMemberSchema())],
  ["/rest/api/3/auditing/record", auditRecordsSchema()],
  ["/rest/api/3/search/jql", issueSearchPageSchema()],
  ["/rest/api/3/serverInfo", serverInfoSchema()],
];

test.each(cases)("the client's schema accepts the OpenAPI example of GET %s", (path, schema) => {
  const examples = responseExamples("get", path, "200");
  expect(examples.length).toBeGreaterThan(0);
  for (const example of examples) {
    const result = schema.safeParse(example);
    expect(result.error?.issues ?? []).toEqual([]);
  }
});

test.each(Object.entries(JIRA_OPERATIONS))("operation %s: path and granular scopes match the OpenAPI document", (_key, operation) => {
  const scopes = operationScopes(operation.method.toLowerCase(), `/rest/api/3${operation.path}`);
  expect([...operation.granularScopes].sort()).toEqual([...scopes.granular].sort());
});
