import { readFileSync } from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { JiraConnector } from "../../components";
import { connectorArgs, only } from "./support/fixtures";
import { settle, startMockEngine, type Registration } from "./support/mock-engine";

/**
 * The failure alarms tell the operator what to do in the minutes after a failed run (README "When a collector run
 * fails"), within CloudWatch's 1024-character limit on alarm descriptions, even for the longest connector name.
 */

const LONGEST_NAME = `globex-${"e".repeat(33)}`; // 40 characters, the maximum `name`
let registrations: Registration[];

beforeAll(async () => {
  registrations = await startMockEngine();
  new JiraConnector("acme", connectorArgs("acme"));
  new JiraConnector(LONGEST_NAME, { ...connectorArgs("globex"), name: LONGEST_NAME });
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

const description = (name: string): string => only(registrations, "aws:cloudwatch/metricAlarm:MetricAlarm", name).inputs.alarmDescription;

describe.each(["function-errors", "dead-letters", "no-successful-run"])("the %s alarm's description", (suffix) => {
  test.each(["acme", LONGEST_NAME])("for %s: names the connector, warns off AWSPREVIOUS, points to the runbook, fits 1024 characters", (name) => {
    const text = description(`${name}-${suffix}`);
    expect(LONGEST_NAME).toHaveLength(40);
    expect(text).toContain(`Jira connector ${name}:`);
    expect(text).toMatch(/do not restore AWSPREVIOUS on the refresh-token secret \(that revokes the grant\)/i);
    expect(text).toContain("10-minute leeway");
    expect(text).toContain("README 'When a collector run fails'");
    expect(text.length).toBeLessThanOrEqual(1024);
  });
});

test("the run-failure alarms name Lambda's retries; the DLQ alarm says when to re-authorize", () => {
  expect(description("acme-function-errors")).toContain("Lambda retries at +1 and +3 min");
  expect(description("acme-no-successful-run")).toContain("Lambda retries at +1 and +3 min");
  expect(description("acme-dead-letters")).toMatch(/RotatedTokenNotSavedError.*re-authorize \(jira-connector authorize, set oauth\.refreshToken, pulumi up\)/);
});

test("the runbook the descriptions point to exists in the README", () => {
  const readme = readFileSync(path.join(__dirname, "../../README.md"), "utf8");
  expect(readme).toMatch(/^### When a collector run fails$/m);
  expect(readme).toContain("**Never restore `AWSPREVIOUS`**");
});
