import * as pulumi from "@pulumi/pulumi";
import { settle, startMockEngine, valueOf, type Registration } from "./support/mock-engine";

/** examples/scoped-token under mocks, with the config its README sets. */

jest.mock("jira-connectors", () => jest.requireActual("../../index"), { virtual: true });

const PROJECT = "jira-connectors-scoped-token";
let registrations: Registration[];
let example: { snapshots: pulumi.Output<string>; functionName: pulumi.Output<string> };

beforeAll(async () => {
  registrations = await startMockEngine(PROJECT, "dev");
  const config = {
    site: "acme",
    tokenEmail: "admin@acme.example",
    "acme.scopedApiToken": "PLAIN-scoped-token",
    tokenExpiresAt: new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10),
    alarmEmail: "it@acme.example",
  };
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
    ["acme.scopedApiToken"].map((k) => `${PROJECT}:${k}`),
  );
  example = await import("../../examples/scoped-token");
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

test("declares one scoped-token connector: no refresh-token secret or alarm, the API-token expiry alarm, the token only as a secret", async () => {
  const components = registrations.filter((r) => r.type === "jira-connector:index:JiraConnector");
  expect(components.map((c) => c.name)).toEqual(["acme"]);
  for (const name of ["acme-key", "acme-snapshots", "acme-alarms", "acme-alarms-email", "acme-api-token-expiry", "acme-no-successful-run"]) {
    expect([name, registrations.some((r) => r.name === name)]).toEqual([name, true]);
  }
  for (const name of ["acme-refresh-token", "acme-refresh-token-expiry"]) expect([name, registrations.some((r) => r.name === name)]).toEqual([name, false]);
  // The token reaches the engine only inside secret envelopes (the mock engine shows them with Pulumi's signature key).
  const SECRET_SIG = "4dabf18193072939515e22adb298388d";
  for (const r of registrations.filter((r) => JSON.stringify(r.inputs).includes("PLAIN-scoped-token"))) {
    const holders = Object.entries(r.inputs).filter(([, v]) => JSON.stringify(v).includes("PLAIN-scoped-token"));
    for (const [key, value] of holders) expect([r.name, key, (value as Record<string, unknown>)[SECRET_SIG] !== undefined]).toEqual([r.name, key, true]);
  }
  expect(await valueOf(example.snapshots)).toBe("s3://acme-snapshots-1a2b3c4/connectors/acme/");
  expect(await valueOf(example.functionName)).toBe("acme-collector-1a2b3c4");
});
