// A user's Pulumi program with two connectors, as the README shows, in plain CommonJS JavaScript (no ts-node).
// Every value comes from stack config; the secrets are set with `pulumi config set --secret`.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { JiraConnection } = require("jira-connectors");

const config = new pulumi.Config();
const cloudIds = {};
for (const name of ["acme", "globex"]) {
  const site = config.require(`${name}Site`);
  // `<name>Auth = scoped` switches a connector to an API token with scopes (an update, not a replace).
  const connector =
    config.get(`${name}Auth`) === "scoped"
      ? new JiraConnection(name, {
          site,
          scopedApiToken: {
            email: config.require(`${name}AdminEmail`),
            apiToken: config.requireSecret(`${name}ScopedApiToken`),
            expiresAt: config.require(`${name}ScopedApiTokenExpiresAt`),
          },
        })
      : new JiraConnection(name, {
          site,
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
