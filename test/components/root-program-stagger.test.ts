import * as pulumi from "@pulumi/pulumi";
import { settle, startMockEngine, type Registration } from "./support/mock-engine";

/** The root program staggers the default schedules of connectors that share one OAuth app (its hourly quota). */

const app = { clientId: "shared-client-id" };
const CONNECTORS = [
  { site: "acme", oauth: app },
  { site: "globex", oauth: app },
  { site: "initech", oauth: app, schedule: { expression: "cron(30 4 * * ? *)" } },
  { site: "umbrella", oauth: { clientId: "other-client-id" } },
  { site: "hooli", oauth: app, schedule: { timezone: "Europe/Berlin" } },
];
const CREDENTIALS = Object.fromEntries(
  CONNECTORS.flatMap(({ site }) => [
    [`jira-connectors:${site}.clientSecret`, `${site}-PLAIN-client-secret`],
    [`jira-connectors:${site}.refreshToken`, `${site}-PLAIN-refresh-token`],
  ]),
);

let registrations: Registration[];
beforeAll(async () => {
  registrations = await startMockEngine("jira-connectors", "prod");
  pulumi.runtime.setAllConfig({ "jira-connectors:connectors": JSON.stringify(CONNECTORS), ...CREDENTIALS }, Object.keys(CREDENTIALS));
  await import("../../program");
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

test("one hour per connector of the shared app; explicit schedules and other apps are left alone; a timezone is kept", () => {
  const schedule = (site: string) => registrations.find((r) => r.name === `${site}-schedule`)!.inputs;
  expect(schedule("acme").scheduleExpression).toBe("cron(0 23 * * ? *)");
  expect(schedule("globex").scheduleExpression).toBe("cron(0 0 * * ? *)");
  expect(schedule("initech").scheduleExpression).toBe("cron(30 4 * * ? *)");
  expect(schedule("umbrella").scheduleExpression).toBe("cron(0 23 * * ? *)");
  expect(schedule("hooli")).toMatchObject({ scheduleExpression: "cron(0 1 * * ? *)", scheduleExpressionTimezone: "Europe/Berlin" });
});
