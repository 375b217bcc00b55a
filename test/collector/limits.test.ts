/** Listing bounds a user sets (component `limits`, JIRA_CONNECTOR_LIMITS, `collect --limit`), checked as one rule. */
import { CollectorConfigurationError, LAMBDA_ENV, parseLambdaConfig } from "../../collector/lambda-config";
import { collectorLimits, DEFAULT_LIMITS, LimitsError, MAX_RAISE, parseLimitOverrides } from "../../collector/limits";

const named = (path?: string) => (path ? `limits.${path}` : "limits");
const problemsOf = (value: unknown): string[] => {
  try {
    parseLimitOverrides(value, named);
  } catch (error) {
    if (error instanceof LimitsError) return error.problems;
    throw error;
  }
  throw new Error("expected a LimitsError");
};

test("known listings and bounds, up to ten times the default, override only what they name", () => {
  const overrides = parseLimitOverrides({ groupMembers: { maxItems: 1_000_000 }, users: { maxPages: 5, maxItems: 10 * DEFAULT_LIMITS.users.maxItems } }, named);
  expect(overrides).toEqual({ groupMembers: { maxItems: 1_000_000 }, users: { maxPages: 5, maxItems: 10_000_000 } });
  const limits = collectorLimits(overrides);
  expect(limits.groupMembers).toEqual({ ...DEFAULT_LIMITS.groupMembers, maxItems: 1_000_000 });
  expect(limits.users).toEqual({ name: "limits.users", maxItems: 10_000_000, maxPages: 5 });
  expect(limits.issues).toEqual(DEFAULT_LIMITS.issues);
  expect(parseLimitOverrides({}, named)).toEqual({});
});

test("every problem at once, each naming the setting and what it must be", () => {
  expect(
    problemsOf({
      user: { maxItems: 5 },
      groupMembers: { maxItems: 0, maxPages: 1.5, max: 3 },
      issues: { maxItems: MAX_RAISE * DEFAULT_LIMITS.issues.maxItems + 1 },
      auditRecords: { maxPages: "100" },
      worklogs: 7,
    }),
  ).toEqual([
    "limits.user is not a listing; the listings are users, groupMembers, auditRecords, issues, worklogs, changelogs",
    "limits.groupMembers.maxItems must be a whole number from 1 to 5000000 (10× the default, 500000)",
    "limits.groupMembers.maxPages must be a whole number from 1 to 200000 (10× the default, 20000)",
    "limits.groupMembers.max is not a bound; use maxItems or maxPages",
    "limits.issues.maxItems must be a whole number from 1 to 5000000 (10× the default, 500000)",
    "limits.auditRecords.maxPages must be a whole number from 1 to 100000 (10× the default, 10000)",
    "limits.worklogs must be an object with maxItems and/or maxPages",
  ]);
  for (const value of [null, [], "users.maxItems=5", 3]) expect(problemsOf(value)).toEqual(['limits must be an object of listings, e.g. { "users": { "maxItems": 2000000 } }']);
});

test("JIRA_CONNECTOR_LIMITS reaches the Lambda's settings, and a bad one is named with the variable", () => {
  const valid = {
    [LAMBDA_ENV.connectorName]: "acme",
    [LAMBDA_ENV.site]: "acme",
    [LAMBDA_ENV.cloudId]: "94edd5e5-d480-4ed6-ac74-50e2a79f77cd",
    [LAMBDA_ENV.credentialsSecretArn]: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jira/acme/credentials-AbCdEf",
    [LAMBDA_ENV.bucketName]: "acme-jira-snapshots",
  };
  expect(LAMBDA_ENV.limits).toBe("JIRA_CONNECTOR_LIMITS");
  expect(parseLambdaConfig({ ...valid, JIRA_CONNECTOR_LIMITS: '{"groupMembers":{"maxItems":1000000}}' }).limits).toEqual({ groupMembers: { maxItems: 1_000_000 } });
  expect(parseLambdaConfig(valid)).not.toHaveProperty("limits");
  const problems = (raw: string) => {
    try {
      parseLambdaConfig({ ...valid, JIRA_CONNECTOR_LIMITS: raw });
    } catch (error) {
      if (error instanceof CollectorConfigurationError) return error.problems;
      throw error;
    }
    return [];
  };
  expect(problems("{nope")).toEqual(['JIRA_CONNECTOR_LIMITS is not JSON; expected { "users": { "maxItems": 2000000 } }']);
  expect(problems('{"users":{"maxItems":-1}}')).toEqual(["JIRA_CONNECTOR_LIMITS.users.maxItems must be a whole number from 1 to 10000000 (10× the default, 1000000)"]);
});
