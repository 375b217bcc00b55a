import * as pulumi from "@pulumi/pulumi";
import { DuplicateConnectorError, JiraConnector } from "../../components";
import { connectorArgs } from "./support/fixtures";
import { settle, startMockEngine } from "./support/mock-engine";

/**
 * The seed rules hold per program run: the Automation API may run the same program twice in one process (preview,
 * then up), and the second run must not see the first run's connectors as duplicates.
 */

beforeAll(async () => {
  await startMockEngine();
});
afterAll(async () => {
  await settle();
  await pulumi.runtime.disconnect();
});

const program = () => {
  new JiraConnector("acme", connectorArgs("acme"));
};

test("the same program, run twice, declares its connector both times", async () => {
  await pulumi.runtime.runInPulumiStack(async () => program());
  await pulumi.runtime.runInPulumiStack(async () => program());
});

test("within one run, duplicates are still refused", async () => {
  let refused: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    program();
    try {
      program();
    } catch (error) {
      refused = error; // caught here: an error escaping a stack's init leaves promises nobody awaits under mocks
    }
  });
  expect(refused).toBeInstanceOf(DuplicateConnectorError);
});
