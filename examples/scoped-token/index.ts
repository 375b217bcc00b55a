/**
 * One Jira Cloud site as a connector authenticated by an API token with scopes (the method Snow Atlas recommends):
 * no OAuth app, no consent flow, no rotating refresh token, no token store, and no OAuth points quota. Validated on
 * `pulumi up` by probing the token's scopes, collected nightly at 23:00 UTC, with an alarm 14 days before the token
 * expires. See README.md for the config and the commands.
 */
import * as pulumi from "@pulumi/pulumi";
import { JiraConnector } from "jira-connectors";

const config = new pulumi.Config();

const connector = new JiraConnector("acme", {
  site: config.require("site"), // e.g. "acme" for https://acme.atlassian.net; also the connector's name
  scopedApiToken: {
    email: config.require("tokenEmail"), // the Jira administrator who created the token
    apiToken: config.requireSecret("acme.scopedApiToken"), // secrets: one key per credential, <connector>.<credential>
    expiresAt: config.require("tokenExpiresAt"), // the expiry chosen at creation (≤ 365 days): drives the alarm
  },
  // strictScopes: true, // fail `pulumi up` (instead of warning) if the token could write, delete or manage
  alarms: { email: config.get("alarmEmail") },
  tags: { team: "it-asset-management" },
});

export const siteUrl = connector.siteUrl;
export const cloudId = connector.cloudId;
export const products = connector.products;
export const functionName = connector.functionName;
export const snapshots = pulumi.interpolate`s3://${connector.bucketName}/${connector.snapshotPrefix}`;
export const alarmTopicArn = connector.alarmTopicArn;
