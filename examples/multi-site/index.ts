/**
 * Two Jira Cloud sites sharing one KMS key, one snapshot bucket and one alarm topic. Each connector keeps its own
 * secrets, collector, schedule and IAM role, and writes only under its own `connectors/<name>/` prefix.
 * See README.md for the config and the commands.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { JiraConnector, SharedConnectorStorage } from "jira-connectors";

const config = new pulumi.Config();
const tags = { team: "it-asset-management" };

const storage = new SharedConnectorStorage("jira-shared", { snapshotRetentionDays: 400, tags });
const alarms = new aws.sns.Topic("jira-connector-alarms", { tags });
new aws.sns.TopicSubscription("jira-connector-alarms-email", { topic: alarms.arn, protocol: "email", endpoint: config.require("alarmEmail") });

// One OAuth app may serve both sites, but each site needs its own authorization, hence its own refresh token. The
// app's hourly points quota is shared by both: their schedules are hours apart (`staggeredSchedules` from the
// package assigns such defaults), and the license accounts take the bulk reads off the quota entirely.
const oauthApp = { clientId: config.require("clientId"), clientSecret: config.requireSecret("clientSecret") };

const sites = [
  { site: "acme", schedule: { expression: "cron(0 23 * * ? *)" } },
  { site: "globex", schedule: { expression: "cron(0 2 * * ? *)", timezone: "Europe/Berlin" } },
];

const connectors = sites.map(
  ({ site, schedule }) =>
    new JiraConnector(site, {
      site,
      oauth: { ...oauthApp, refreshToken: config.requireSecret(`${site}.refreshToken`) }, // <connector>.<credential>
      license: {
        email: config.require(`${site}.licenseEmail`),
        apiToken: config.requireSecret(`${site}.apiToken`),
        apiTokenExpiresAt: config.get(`${site}.apiTokenExpiresAt`),
      },
      schedule,
      kmsKeyArn: storage.kmsKeyArn,
      bucketName: storage.bucketName,
      alarms: { snsTopicArn: alarms.arn },
      tags,
    }),
);

export const bucketName = storage.bucketName;
export const kmsKeyArn = storage.kmsKeyArn;
export const summary = Object.fromEntries(
  connectors.map((c) => [c.connectorName, { siteUrl: c.siteUrl, functionName: c.functionName, snapshotPrefix: c.snapshotPrefix, products: c.products }]),
);
