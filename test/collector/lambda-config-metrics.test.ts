import { CollectorConfigurationError, LAMBDA_ENV, parseLambdaConfig } from "../../collector/lambda-config";
import { daysUntil, emfLine, refreshTokenFamilyExpiresAt } from "../../collector/metrics";

const valid = {
  [LAMBDA_ENV.connectorName]: "acme",
  [LAMBDA_ENV.site]: "https://acme.atlassian.net",
  [LAMBDA_ENV.cloudId]: "94EDD5E5-D480-4ED6-AC74-50E2A79F77CD",
  [LAMBDA_ENV.credentialsSecretArn]: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jira/acme/credentials-AbCdEf",
  [LAMBDA_ENV.refreshTokenSecretArn]: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jira/acme/refresh-token-AbCdEf",
  [LAMBDA_ENV.bucketName]: "acme-jira-snapshots",
};

describe("parseLambdaConfig", () => {
  test("valid environment with defaults", () => {
    expect(parseLambdaConfig(valid)).toEqual({
      connectorName: "acme",
      site: "acme",
      cloudId: "94edd5e5-d480-4ed6-ac74-50e2a79f77cd",
      credentialsSecretArn: valid[LAMBDA_ENV.credentialsSecretArn],
      refreshTokenSecretArn: valid[LAMBDA_ENV.refreshTokenSecretArn],
      bucketName: "acme-jira-snapshots",
      inactivityDays: 90,
      auditLookbackDays: 90, // defaults to inactivityDays
    });
  });

  test("the refresh-token secret's variable is optional (a scoped token has none), but must be an ARN when set", () => {
    const { [LAMBDA_ENV.refreshTokenSecretArn]: _, ...scoped } = valid;
    expect(parseLambdaConfig(scoped)).not.toHaveProperty("refreshTokenSecretArn");
    expect(() => parseLambdaConfig({ ...valid, [LAMBDA_ENV.refreshTokenSecretArn]: "refresh-token" })).toThrow(
      "JIRA_CONNECTOR_REFRESH_TOKEN_SECRET_ARN is not a Secrets Manager secret ARN",
    );
  });

  test("every problem is named at once", () => {
    const error = (() => {
      try {
        parseLambdaConfig({ ...valid, [LAMBDA_ENV.site]: "evil.com/x", [LAMBDA_ENV.cloudId]: undefined, [LAMBDA_ENV.inactivityDays]: "ninety", [LAMBDA_ENV.bucketName]: "Bad_Bucket" });
      } catch (e) {
        return e;
      }
    })() as CollectorConfigurationError;
    expect(error).toBeInstanceOf(CollectorConfigurationError);
    expect(error.problems).toEqual([
      "JIRA_CONNECTOR_SITE is not a Jira site name such as 'acme'",
      "JIRA_CONNECTOR_CLOUD_ID is not set; expected the site's cloud ID (a UUID)",
      "JIRA_CONNECTOR_BUCKET is not an S3 bucket name",
      "JIRA_CONNECTOR_INACTIVITY_DAYS must be a whole number of days between 1 and 3650",
    ]);
  });
});

describe("metrics", () => {
  test("EMF line: namespace, dimensions, values; non-finite values dropped", () => {
    const line = JSON.parse(
      emfLine({ Connector: "acme", Product: "jira-software" }, [
        { name: "SeatsPurchased", value: 100, unit: "Count" },
        { name: "DaysUntilApiTokenExpiry", value: NaN, unit: "Count" },
      ], new Date("2026-11-28T23:00:00Z")),
    );
    expect(line).toEqual({
      _aws: {
        Timestamp: Date.parse("2026-11-28T23:00:00Z"),
        CloudWatchMetrics: [
          {
            Namespace: "JiraConnector",
            Dimensions: [["Connector", "Product"]],
            Metrics: [
              { Name: "SeatsPurchased", Unit: "Count" },
              { Name: "DaysUntilApiTokenExpiry", Unit: "Count" },
            ],
          },
        ],
      },
      Connector: "acme",
      Product: "jira-software",
      SeatsPurchased: 100,
    });
  });

  test("days until expiry", () => {
    const now = new Date("2026-11-28T00:00:00Z");
    expect(daysUntil("2026-12-12", now)).toBe(14);
    expect(daysUntil("2026-11-01", now)).toBe(-27);
    expect(daysUntil(undefined, now)).toBeUndefined();
    expect(refreshTokenFamilyExpiresAt("2026-01-01T00:00:00.000Z")).toBe("2027-01-01T00:00:00.000Z");
  });
});

test("the first run's audit lookback defaults to the inactivity window", () => {
  const env = {
    JIRA_CONNECTOR_NAME: "acme",
    JIRA_CONNECTOR_SITE: "acme",
    JIRA_CONNECTOR_CLOUD_ID: "94edd5e5-d480-4ed6-ac74-50e2a79f77cd",
    JIRA_CONNECTOR_CREDENTIALS_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:c-AbCdEf",
    JIRA_CONNECTOR_REFRESH_TOKEN_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:r-AbCdEf",
    JIRA_CONNECTOR_BUCKET: "acme-jira-snapshots",
  };
  expect(parseLambdaConfig({ ...env, JIRA_CONNECTOR_INACTIVITY_DAYS: "60" })).toMatchObject({ inactivityDays: 60, auditLookbackDays: 60 });
  expect(parseLambdaConfig({ ...env, JIRA_CONNECTOR_INACTIVITY_DAYS: "60", JIRA_CONNECTOR_AUDIT_LOOKBACK_DAYS: "7" })).toMatchObject({ auditLookbackDays: 7 });
});
