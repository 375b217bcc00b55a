import * as pulumi from "@pulumi/pulumi";
import { JiraConnector, JiraConnectorArgsError } from "../../components";
import { connectorArgs, only } from "./support/fixtures";
import { settle, startMockEngine, type Registration } from "./support/mock-engine";

/** `limits` on the component: checked at construction, passed to the function as JIRA_CONNECTOR_LIMITS. */
let registrations: Registration[];
beforeAll(async () => {
  registrations = await startMockEngine();
  new JiraConnector("acme", connectorArgs("acme", { limits: { groupMembers: { maxItems: 1_000_000 }, users: { maxPages: 30_000 } } }));
  new JiraConnector("globex", connectorArgs("globex"));
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

const envOf = (connector: string) => only(registrations, "aws:lambda/function:Function", `${connector}-collector`).inputs.environment.variables;

test("limits reach the function as JIRA_CONNECTOR_LIMITS (JSON); without them the variable is not set", () => {
  expect(JSON.parse(envOf("acme").JIRA_CONNECTOR_LIMITS)).toEqual({ groupMembers: { maxItems: 1_000_000 }, users: { maxPages: 30_000 } });
  expect(envOf("globex")).not.toHaveProperty("JIRA_CONNECTOR_LIMITS");
});

test("bad limits fail construction with every problem named, before anything is registered", () => {
  const before = registrations.length;
  let error: unknown;
  try {
    new JiraConnector("bad", connectorArgs("bad", { limits: { groupMembers: { maxItems: 10_000_000 }, usres: { maxItems: 5 } } as never }));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(JiraConnectorArgsError);
  const message = (error as Error).message;
  expect(message).toMatch(/^JiraConnector "bad":/);
  expect(message).toContain("limits.groupMembers.maxItems must be a whole number from 1 to 5000000 (10× the default, 500000)");
  expect(message).toContain("limits.usres is not a listing; the listings are users, groupMembers");
  expect(registrations.length).toBe(before);
});
