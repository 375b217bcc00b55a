/**
 * The repository's Pulumi program (Pulumi.yaml `main: program/index.ts`): one JiraConnector per entry of the stack's
 * plain `connectors` list, its credentials in secret keys `<connector>.<credential>` (connectors-config.ts), and a
 * stack output summarising each. Kept out of the library entry (`index.ts`) so that importing `jira-connectors`
 * never registers resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { JiraConnector, JiraConnectorArgsError, staggeredSchedules } from "../components";
import { connectorNameOf, readConnectorsConfig } from "./connectors-config";

const entries = readConnectorsConfig();
// Connectors of one OAuth app share its hourly points quota: without a schedule of their own, each gets its own hour
// (scoped-token connectors pay no points and keep the default).
const schedules = staggeredSchedules(entries.map((e) => ({ ...(e.oauth ? { clientId: e.oauth.clientId } : {}), ...(e.schedule?.expression ? { expression: e.schedule.expression } : {}) })));
// Every bad entry is reported, one message per connector, before the program stops (a RunError: no stack trace).
const argsErrors: JiraConnectorArgsError[] = [];
const connectors = entries.flatMap((entry, i) => {
  try {
    return [new JiraConnector(connectorNameOf(entry), { ...entry, schedule: { ...entry.schedule, expression: schedules[i]! } })];
  } catch (error) {
    if (!(error instanceof JiraConnectorArgsError)) throw error;
    argsErrors.push(error);
    return [];
  }
});
if (argsErrors.length > 0) throw new pulumi.RunError(argsErrors.map((e) => e.message).join("\n"));

/** Per connector: where it runs and what it found; no secret. */
export const summary = pulumi.output(
  Object.fromEntries(
    connectors.map((c) => [
      c.connectorName,
      {
        siteUrl: c.siteUrl,
        cloudId: c.cloudId,
        products: c.products.apply((products) =>
          (products ?? []).map((p) => ({ key: p.key, plan: p.plan, seats: p.numberOfSeats, remaining: p.remainingSeats, users: p.userCount })),
        ),
        functionName: c.functionName,
        scheduleArn: c.scheduleArn,
        snapshots: pulumi.interpolate`s3://${c.bucketName}/${c.snapshotPrefix}`,
        alarmTopicArn: c.alarmTopicArn,
      },
    ]),
  ),
);
