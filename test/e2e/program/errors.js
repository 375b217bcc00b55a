// A user's program that goes wrong on purpose (test/e2e/errors.test.ts): stack config `case` picks how.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { JiraConnection, JiraConnector } = require("jira-connectors");

const config = new pulumi.Config();
switch (config.require("case")) {
  case "component-args":
    // Two problems of one connector, caught by the component's constructor before anything is registered.
    new JiraConnector("broken", {
      site: "not a site!",
      schedule: { expression: "rate(7 days)" },
      oauth: { clientId: "client-id", clientSecret: config.requireSecret("clientSecret"), refreshToken: config.requireSecret("refreshToken") },
    });
    break;
  case "validation":
    // Valid to `check`, rejected by Atlassian at `up`.
    new JiraConnection("acme", {
      site: "acme",
      scopedApiToken: { email: config.require("email"), apiToken: config.requireSecret("scopedApiToken"), expiresAt: config.require("expiresAt") },
    });
    break;
  default:
    throw new pulumi.RunError(`unknown case ${config.require("case")}`);
}
