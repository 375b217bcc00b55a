/** The org ID and seat prices reach the collector through the Lambda environment; the org API key through the secret. */
import { parseCredentials } from "../../collector/credentials";
import { CollectorConfigurationError, LAMBDA_ENV, parseLambdaConfig } from "../../collector/lambda-config";

const ORG_ID = "5f0e1d2c-3b4a-4958-8776-a5b4c3d2e1f0";
const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jira/acme/credentials-AbCdEf";
const valid = {
  [LAMBDA_ENV.connectorName]: "acme",
  [LAMBDA_ENV.site]: "acme",
  [LAMBDA_ENV.cloudId]: "94edd5e5-d480-4ed6-ac74-50e2a79f77cd",
  [LAMBDA_ENV.credentialsSecretArn]: ARN,
  [LAMBDA_ENV.refreshTokenSecretArn]: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jira/acme/refresh-token-AbCdEf",
  [LAMBDA_ENV.bucketName]: "acme-jira-snapshots",
};

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    parseLambdaConfig(env);
  } catch (error) {
    if (error instanceof CollectorConfigurationError) return error.problems;
    throw error;
  }
  throw new Error("expected a CollectorConfigurationError");
};

test("JIRA_CONNECTOR_ORG_ID and JIRA_CONNECTOR_PRICING are parsed; both optional", () => {
  expect(LAMBDA_ENV.orgId).toBe("JIRA_CONNECTOR_ORG_ID");
  expect(LAMBDA_ENV.pricing).toBe("JIRA_CONNECTOR_PRICING");
  const config = parseLambdaConfig({
    ...valid,
    [LAMBDA_ENV.orgId]: ORG_ID.toUpperCase(),
    [LAMBDA_ENV.pricing]: JSON.stringify({ currency: "EUR", monthlyPerSeat: { "jira-software": 7.75, "jira-servicedesk": 19 } }),
  });
  expect(config.orgId).toBe(ORG_ID);
  expect(config.pricing).toEqual({ currency: "EUR", monthlyPerSeat: { "jira-software": 7.75, "jira-servicedesk": 19 } });
  const plain = parseLambdaConfig(valid);
  expect(plain).not.toHaveProperty("orgId");
  expect(plain).not.toHaveProperty("pricing");
});

test("a bad org ID or bad prices are named with the variable, with every other problem", () => {
  expect(problemsOf({ ...valid, [LAMBDA_ENV.orgId]: "acme-org", [LAMBDA_ENV.pricing]: "{not json" })).toEqual([
    "JIRA_CONNECTOR_ORG_ID is not an organization ID (a UUID, as in admin.atlassian.com/o/<orgId>)",
    'JIRA_CONNECTOR_PRICING is not JSON; expected { "currency": "USD", "monthlyPerSeat": { "jira-software": 8.6 } }',
  ]);
  const pricing = problemsOf({ ...valid, [LAMBDA_ENV.pricing]: JSON.stringify({ currency: "usd", monthlyPerSeat: { "jira-software": -1 } }) });
  expect(pricing).toHaveLength(2);
  expect(pricing[0]).toMatch(/^JIRA_CONNECTOR_PRICING\.currency: an ISO 4217 currency code/);
  expect(pricing[1]).toMatch(/^JIRA_CONNECTOR_PRICING\.monthlyPerSeat\.jira-software: /);
});

test("the credentials secret may carry orgApiKey; an empty one is refused without quoting it", () => {
  const base = { clientId: "client-id", clientSecret: "client-secret-value" };
  expect(parseCredentials(ARN, JSON.stringify({ ...base, orgApiKey: "orgkey-secret-value-1234" }))).toEqual({ ...base, orgApiKey: "orgkey-secret-value-1234" });
  expect(parseCredentials(ARN, JSON.stringify(base))).toEqual(base);
  expect(() => parseCredentials(ARN, JSON.stringify({ ...base, orgApiKey: "" }))).toThrow(`credentials secret ${ARN}: missing or invalid field(s): orgApiKey`);
  let message = "";
  try {
    parseCredentials(ARN, JSON.stringify({ ...base, orgApiKey: ["orgkey-in-an-array-9876"] }));
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toMatch(/orgApiKey$/);
  expect(message).not.toContain("orgkey-in-an-array-9876");
});
