import * as pulumi from "@pulumi/pulumi";
import { JiraConnector, JiraConnectorArgsError, type JiraConnectorArgs } from "../../components";
import { resolveSettings } from "../../components/settings";
import { connectorArgs, daysFromNow, scopedConnectorArgs } from "./support/fixtures";
import { settle, startMockEngine, type Registration } from "./support/mock-engine";

/**
 * The authentication args are checked at construction, before anything is registered: exactly one of `oauth` and
 * `scopedApiToken`, nothing OAuth-only next to a scoped token, and the scoped token's fields — each problem named
 * with its fix (the same words as JiraConnection's check), never quoting a token.
 */

const problemsOf = (args: JiraConnectorArgs): string => {
  try {
    resolveSettings("acme", args);
  } catch (error) {
    expect(error).toBeInstanceOf(JiraConnectorArgsError);
    return (error as Error).message;
  }
  throw new Error("resolveSettings accepted the args");
};

const oauth = connectorArgs("acme").oauth!;
const license = connectorArgs("acme").license!;
const token = scopedConnectorArgs("acme").scopedApiToken!;

test.each<[string, JiraConnectorArgs, RegExp]>([
  ["both methods", { site: "acme", oauth, scopedApiToken: token }, /scopedApiToken: set exactly one of oauth and scopedApiToken, not both: to use the scoped API token remove oauth/],
  ["neither method", { site: "acme" }, /scopedApiToken is missing, and so is oauth: set scopedApiToken: \{ email, apiToken, expiresAt \}.* or oauth: \{ clientId, clientSecret, refreshToken \}/],
  ["license next to a scoped token", { site: "acme", scopedApiToken: token, license }, /license is not used with scopedApiToken: the scoped token reads seats itself .*; remove license/],
  ["tokenStore next to a scoped token", { site: "acme", scopedApiToken: token, tokenStore: { secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x" } } as JiraConnectorArgs, /tokenStore is not used with scopedApiToken: a scoped token has no refresh token to store.*; remove tokenStore/],
  ["requiredScopes next to a scoped token", { site: "acme", scopedApiToken: token, requiredScopes: ["read:jira-user"] } as JiraConnectorArgs, /requiredScopes is not used with scopedApiToken.*; remove requiredScopes/],
  ["tokenStore with OAuth", { ...connectorArgs("acme"), tokenStore: { secretArn: "x" } } as JiraConnectorArgs, /tokenStore is not a JiraConnector arg: the component creates the refresh-token secret itself/],
  ["no expiry", { site: "acme", scopedApiToken: { ...token, expiresAt: undefined } } as unknown as JiraConnectorArgs, /scopedApiToken\.expiresAt is required: enter the expiry you chose when creating the token/],
  ["an expiry that is no date", { site: "acme", scopedApiToken: { ...token, expiresAt: "2027-02-30" } }, /scopedApiToken\.expiresAt must be a calendar date such as 2027-03-31/],
  ["an expiry in the past", { site: "acme", scopedApiToken: { ...token, expiresAt: "2020-01-01" } }, /scopedApiToken\.expiresAt the API token expired on 2020-01-01; create a new token/],
  ["an expiry beyond 365 days", { site: "acme", scopedApiToken: { ...token, expiresAt: daysFromNow(400) } }, /scopedApiToken\.expiresAt is more than 365 days away/],
  ["an empty token", { site: "acme", scopedApiToken: { ...token, apiToken: "" } }, /scopedApiToken\.apiToken is missing or empty; create one at https:\/\/id\.atlassian\.com.*Create API token with scopes/],
  ["a token with whitespace", { site: "acme", scopedApiToken: { ...token, apiToken: "abc def-SECRET" } }, /scopedApiToken\.apiToken contains whitespace/],
  ["an email that is no email", { site: "acme", scopedApiToken: { ...token, email: "admin" } }, /scopedApiToken\.email must be the email address of the Atlassian account that created the token/],
  ["a scoped token that is no object", { site: "acme", scopedApiToken: "tok" } as unknown as JiraConnectorArgs, /scopedApiToken is missing or not an object; set scopedApiToken: \{ email, apiToken, expiresAt \}/],
])("%s: a named JiraConnectorArgsError", (_, args, expected) => {
  const message = problemsOf(args);
  expect(message).toMatch(/^JiraConnector "acme":/);
  expect(message).toMatch(expected);
  expect(message).not.toMatch(/PLAIN|SECRET/);
});

test("every problem at once: both methods and a license", () => {
  const message = problemsOf({ site: "acme", oauth, scopedApiToken: token, license, tokenStore: { secretArn: "x" } } as JiraConnectorArgs);
  expect(message).toMatch(/set exactly one of oauth and scopedApiToken/);
  expect(message).toMatch(/tokenStore is not used with scopedApiToken/);
});

test("a token and expiry given as Outputs pass at preview (JiraConnection checks them on up)", () => {
  const settings = resolveSettings("acme", { site: "acme", scopedApiToken: { email: pulumi.output("admin@acme.example"), apiToken: pulumi.secret(""), expiresAt: pulumi.output("nonsense") } });
  expect(settings.authMethod).toBe("scoped-api-token");
  expect(resolveSettings("acme", connectorArgs("acme")).authMethod).toBe("oauth");
});

describe("the constructor", () => {
  let registrations: Registration[];
  beforeAll(async () => {
    registrations = await startMockEngine();
  });
  afterAll(async () => {
    await settle();
    await pulumi.runtime.disconnect();
  });

  test("throws before registering anything", async () => {
    expect(() => new JiraConnector("hooli", { site: "hooli", scopedApiToken: token, license })).toThrow(JiraConnectorArgsError);
    expect(() => new JiraConnector("hooli", { site: "hooli" })).toThrow(/scopedApiToken is missing, and so is oauth/);
    await settle();
    expect(registrations).toEqual([]);
  });
});
