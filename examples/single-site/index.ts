/**
 * One Jira Cloud site as a connector: validated on `pulumi up`, collected nightly at 23:00 UTC into its own
 * encrypted bucket, with alarms by email. See README.md for the config and the commands.
 */
import * as pulumi from "@pulumi/pulumi";
import { JiraConnector } from "jira-connectors";

const config = new pulumi.Config();

const connector = new JiraConnector("acme", {
  site: config.require("site"), // e.g. "acme" for https://acme.atlassian.net; also the connector's name
  oauth: {
    clientId: config.require("clientId"),
    clientSecret: config.requireSecret("acme.clientSecret"), // secrets: one key per credential, <connector>.<credential>
    refreshToken: config.requireSecret("acme.refreshToken"), // from `jira-connector authorize --pulumi-config acme.refreshToken`
  },
  license: {
    email: config.require("licenseEmail"),
    apiToken: config.requireSecret("acme.apiToken"),
    apiTokenExpiresAt: config.get("apiTokenExpiresAt"), // e.g. "2027-06-30": enables the API-token expiry alarm
  },
  alarms: { email: config.get("alarmEmail") },
  tags: { team: "it-asset-management" },
});

export const siteUrl = connector.siteUrl;
export const cloudId = connector.cloudId;
export const products = connector.products;
export const functionName = connector.functionName;
export const snapshots = pulumi.interpolate`s3://${connector.bucketName}/${connector.snapshotPrefix}`;
export const alarmTopicArn = connector.alarmTopicArn;
