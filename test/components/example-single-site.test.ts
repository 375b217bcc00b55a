import * as pulumi from "@pulumi/pulumi";
import { settle, startMockEngine, valueOf, type Registration } from "./support/mock-engine";

/** examples/single-site under mocks, with the config its README sets. */

jest.mock("jira-connectors", () => jest.requireActual("../../index"), { virtual: true });

const PROJECT = "jira-connectors-single-site";
let registrations: Registration[];
let example: { snapshots: pulumi.Output<string>; functionName: pulumi.Output<string> };

beforeAll(async () => {
  registrations = await startMockEngine(PROJECT, "dev");
  const config = {
    site: "acme",
    clientId: "client-id",
    "acme.clientSecret": "PLAIN-client-secret",
    "acme.refreshToken": "PLAIN-refresh-token",
    licenseEmail: "admin@acme.example",
    "acme.apiToken": "PLAIN-api-token",
    apiTokenExpiresAt: "2027-06-30",
    alarmEmail: "it@acme.example",
  };
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
    ["acme.clientSecret", "acme.refreshToken", "acme.apiToken"].map((k) => `${PROJECT}:${k}`),
  );
  example = await import("../../examples/single-site");
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

test("declares one connector with its own key, bucket, topic, email subscription and all five alarms", async () => {
  const components = registrations.filter((r) => r.type === "jira-connector:index:JiraConnector");
  expect(components.map((c) => c.name)).toEqual(["acme"]);
  for (const name of ["acme-key", "acme-snapshots", "acme-alarms", "acme-alarms-email", "acme-api-token-expiry", "acme-no-successful-run"]) {
    expect([name, registrations.some((r) => r.name === name)]).toEqual([name, true]);
  }
  expect(await valueOf(example.snapshots)).toBe("s3://acme-snapshots-1a2b3c4/connectors/acme/");
  expect(await valueOf(example.functionName)).toBe("acme-collector-1a2b3c4");
});
