import * as pulumi from "@pulumi/pulumi";
import { JiraConnector } from "../../components";
import { connectorArgs, scopedConnectorArgs } from "./support/fixtures";
import { settle, startMockEngine, type Registration } from "./support/mock-engine";

/**
 * Switching a connector between OAuth and a scoped API token is an update, not a replacement: the same program,
 * run once per method (as two `pulumi up`s would), declares the same URNs for every resource both methods have.
 * Only the refresh-token secret and its expiry alarm (OAuth) come and go; nothing exists for the scoped method alone.
 */

let runs: { oauth: Registration[]; scoped: Registration[] };

beforeAll(async () => {
  const registrations = await startMockEngine();
  const run = async (args: Parameters<typeof connectorArgs>[1] | undefined, scoped: boolean) => {
    const before = registrations.length;
    await pulumi.runtime.runInPulumiStack(async () => {
      new JiraConnector("acme", scoped ? scopedConnectorArgs("acme", args) : connectorArgs("acme", args));
    });
    await settle();
    return registrations.slice(before).filter((r) => r.type !== "pulumi:pulumi:Stack");
  };
  const shared = { alarms: { email: "it@acme.example" } };
  runs = { oauth: await run(shared, false), scoped: await run(shared, true) };
});
afterAll(() => pulumi.runtime.disconnect());

const urns = (registrations: Registration[]) => registrations.map((r) => r.urn).sort();

test("the scoped run declares a subset of the OAuth run's URNs: only the refresh-token secret, its policy and its alarm are missing", () => {
  expect(runs.oauth.length).toBeGreaterThan(20);
  const oauth = new Set(urns(runs.oauth));
  expect(urns(runs.scoped).filter((urn) => !oauth.has(urn))).toEqual([]);
  const scoped = new Set(urns(runs.scoped));
  expect(runs.oauth.filter((r) => !scoped.has(r.urn)).map((r) => `${r.type} ${r.name}`).sort()).toEqual([
    "aws:cloudwatch/metricAlarm:MetricAlarm acme-refresh-token-expiry",
    "aws:secretsmanager/secret:Secret acme-refresh-token",
    "aws:secretsmanager/secretPolicy:SecretPolicy acme-refresh-token-policy",
  ]);
});

test.each([
  ["pulumi-nodejs:dynamic/jira:Connection", "acme-connection"],
  ["aws:lambda/function:Function", "acme-collector"],
  ["aws:scheduler/schedule:Schedule", "acme-schedule"],
  ["aws:secretsmanager/secret:Secret", "acme-credentials"],
  ["aws:iam/rolePolicy:RolePolicy", "acme-collector-policy"],
  ["aws:cloudwatch/metricAlarm:MetricAlarm", "acme-api-token-expiry"],
])("%s %s has the same URN and parent in both methods", (type, name) => {
  const find = (registrations: Registration[]) => registrations.find((r) => r.type === type && r.name === name);
  const [oauth, scoped] = [find(runs.oauth), find(runs.scoped)];
  expect(oauth).toBeDefined();
  expect(scoped?.urn).toBe(oauth!.urn);
  expect(scoped?.parent).toBe(oauth!.parent);
});

test("the function keeps the settings that would force a replacement (name, runtime, architecture)", () => {
  const fn = (registrations: Registration[]) => registrations.find((r) => r.type === "aws:lambda/function:Function")!.inputs;
  for (const key of ["name", "runtime", "architectures", "handler", "packageType"]) expect([key, fn(runs.scoped)[key]]).toEqual([key, fn(runs.oauth)[key]]);
});
