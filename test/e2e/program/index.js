// A user's Pulumi program with two connectors, as the README shows, in plain CommonJS JavaScript (no ts-node).
// Every value comes from stack config; the secrets are set with `pulumi config set --secret`.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { JiraConnection } = require("jira-connectors");

const config = new pulumi.Config();
const cloudIds = {};
for (const name of ["acme", "globex"]) {
  const connector = new JiraConnection(name, {
    site: config.require(`${name}Site`),
    oauth: {
      clientId: config.require("clientId"),
      clientSecret: config.requireSecret("clientSecret"),
      refreshToken: config.requireSecret(`${name}RefreshToken`),
    },
    license: {
      email: config.require(`${name}AdminEmail`),
      apiToken: config.requireSecret(`${name}ApiToken`),
      apiTokenExpiresAt: "2099-12-31",
    },
    tokenStore: { secretArn: config.require(`${name}TokenSecretArn`) },
  });
  cloudIds[name] = connector.cloudId;
}
exports.cloudIds = cloudIds;
