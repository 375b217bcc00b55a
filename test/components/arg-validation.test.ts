import * as pulumi from "@pulumi/pulumi";
import { JiraConnector, JiraConnectorArgsError, SharedConnectorStorage, type JiraConnectorArgs } from "../../components";
import { checkSharedStorageArgs } from "../../components/shared-storage";
import { resolveSettings } from "../../components/settings";
import { connectorArgs } from "./support/fixtures";
import { settle, startMockEngine, type Registration } from "./support/mock-engine";

/**
 * Args AWS or Atlassian would refuse during `pulumi up` — and wrong types a JavaScript caller can pass — fail at
 * construction with one JiraConnectorArgsError naming each property and its fix, never with a TypeError.
 */

let registrations: Registration[];
beforeAll(async () => {
  registrations = await startMockEngine();
});
afterAll(async () => {
  await settle();
  await pulumi.runtime.disconnect();
});

const base = connectorArgs("acme");
const withArgs = (extra: Record<string, unknown>) => ({ ...base, ...extra }) as unknown as JiraConnectorArgs;

function problemsOf(args: JiraConnectorArgs): string {
  try {
    resolveSettings("acme", args);
  } catch (error) {
    expect(error).toBeInstanceOf(JiraConnectorArgsError);
    return (error as Error).message;
  }
  throw new Error("resolveSettings accepted the args");
}

const manyTags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, "v"]));

test.each<[string, Record<string, unknown>]>([
  ["weekday cron", { schedule: { expression: "cron(0 23 ? * MON-FRI *)", timezone: "Europe/Berlin" } }],
  ["rate(1 day)", { schedule: { expression: "rate(1 day)" } }],
  ["Etc/UTC", { schedule: { timezone: "Etc/UTC" } }],
  ["UTC", { schedule: { timezone: "UTC" } }],
  ["a time zone as an Output", { schedule: { timezone: pulumi.output("Nowhere/Else") } }],
  ["48 own tags (50 with the component's)", { tags: manyTags(48) }],
  ["tag characters AWS allows", { tags: { "cost-center/é 1": "a_b.c:d/e=f+g-h@i j" } }],
  ["a 128-character key and a 256-character value", { tags: { ["k".repeat(128)]: "v".repeat(256) } }],
  ["numbers at their limits", { inactivityDays: 3650, auditLookbackDays: 1, snapshotRetentionDays: 36500, lambda: { memoryMb: 10240, timeoutSeconds: 1, logRetentionDays: 3653 } }],
  ["lowest memory", { lambda: { memoryMb: 128, timeoutSeconds: 900, logRetentionDays: 1 } }],
  ["credentials as Outputs", { oauth: { clientId: pulumi.output("id\n"), clientSecret: pulumi.secret("s"), refreshToken: pulumi.secret("r") } }],
])("accepted: %s", (_, extra) => {
  expect(() => resolveSettings("acme", withArgs(extra))).not.toThrow();
});

test.each<[string, Record<string, unknown>, RegExp]>([
  ["cron without ?", { schedule: { expression: "cron(0 23 * * * *)" } }, /schedule\.expression "cron\(0 23 \* \* \* \*\)": exactly one of day-of-month and day-of-week must be \?/],
  ["weekday cron without ?", { schedule: { expression: "cron(0 23 * * MON-FRI *)" } }, /exactly one of day-of-month and day-of-week must be \?/],
  ["plural unit for 1", { schedule: { expression: "rate(1 minutes)" } }, /schedule\.expression "rate\(1 minutes\)": write rate\(1 minute\)/],
  ["an empty expression", { schedule: { expression: " " } }, /schedule\.expression "" is not an EventBridge Scheduler expression/],
  ["a valid but weekly cron (the period rule)", { schedule: { expression: "cron(0 23 ? * MON *)" } }, /more than 3\.5 days/],
  ["an expression that is a number", { schedule: { expression: 5 } }, /schedule\.expression must be a string, not number/],
  ["a schedule that is a string", { schedule: "daily" }, /schedule must be \{ expression\?, timezone\? \}/],
  ["an unknown time zone", { schedule: { timezone: "Mars/Olympus" } }, /schedule\.timezone "Mars\/Olympus" is not an IANA time zone/],
  ["a time zone that is a number", { schedule: { timezone: 1 } }, /schedule\.timezone must be a string \(or an Output of one\), not number/],
  ["a reserved tag prefix", { tags: { "AWS:owner": "x" } }, /"AWS:owner" uses the reserved aws: prefix/],
  ["a tag key too long", { tags: { ["k".repeat(129)]: "v" } }, /a tag key must be 1-128 characters/],
  ["an empty tag key", { tags: { "": "v" } }, /tags\[""\]: a tag key must be 1-128 characters/],
  ["a tag value too long", { tags: { team: "v".repeat(257) } }, /tags\["team"\]: a tag value must be at most 256 characters/],
  ["a tag key with a forbidden character", { tags: { "team#1": "v" } }, /tags\["team#1"\]: the key may only contain letters, digits, spaces and _ \. : \/ = \+ - @/],
  ["a tag value with a forbidden character", { tags: { team: "a,b" } }, /tags\["team"\]: the value may only contain/],
  ["a tag value that is a number", { tags: { team: 7 } }, /tags\["team"\] must be a string, not number/],
  ["tags that are an array", { tags: ["team"] }, /tags must be an object of string keys and values/],
  ["a tag the component sets", { tags: { "managed-by": "terraform" } }, /tags\["managed-by"\] is set by the component itself/],
  ["49 own tags (51 in all)", { tags: manyTags(49) }, /tags: 51 tags with the component's own 2; AWS allows at most 50, so remove 1/],
  ["a name that is a number", { name: 42 }, /name must be a string, not number/],
  ["a name with capitals", { name: "Acme" }, /name "Acme" must be 1-40 lowercase letters/],
  ["a site that is an array", { site: ["acme"] }, /site must be a string \(or an Output of one\), not an array/],
  ["a site that is a number", { site: 7, name: "acme" }, /site must be a string \(or an Output of one\), not number/],
  ["a product that is a number", { product: 1 }, /product must be a string, not number/],
  ["a fractional inactivityDays", { inactivityDays: 1.5 }, /inactivityDays must be a whole number from 1 to 3650/],
  ["inactivityDays as a string", { inactivityDays: "90" }, /inactivityDays must be a whole number from 1 to 3650/],
  ["auditLookbackDays 0", { auditLookbackDays: 0 }, /auditLookbackDays must be a whole number from 1 to 3650/],
  ["snapshotRetentionDays beyond 36500", { snapshotRetentionDays: 36501 }, /snapshotRetentionDays must be a whole number from 1 to 36500/],
  ["memory below 128", { lambda: { memoryMb: 127 } }, /lambda\.memoryMb must be a whole number from 128 to 10240/],
  ["memory above 10240", { lambda: { memoryMb: 10241 } }, /lambda\.memoryMb must be a whole number from 128 to 10240/],
  ["timeout 0", { lambda: { timeoutSeconds: 0 } }, /lambda\.timeoutSeconds must be a whole number from 1 to 900/],
  ["timeout 901", { lambda: { timeoutSeconds: 901 } }, /lambda\.timeoutSeconds must be a whole number from 1 to 900/],
  ["a log retention CloudWatch lacks", { lambda: { logRetentionDays: 10 } }, /lambda\.logRetentionDays must be one of CloudWatch Logs' values: 1, 3, 5, 7, 14, 30/],
  ["a newline in a client secret", { oauth: { ...base.oauth, clientSecret: "PLAIN-secret\n" } }, /oauth\.clientSecret contains a control character/],
  ["a NUL in a license token", { license: { ...base.license, apiToken: "PLAIN\u0000token" } }, /license\.apiToken contains a control character/],
  ["a tab in an org API key", { org: { orgId: "5a1b2c3d-1111-4222-8333-444455556666", apiKey: "PLAIN\tkey" } }, /org\.apiKey contains a control character/],
  ["a trailing space on a refresh token", { oauth: { ...base.oauth, refreshToken: "PLAIN-token " } }, /oauth\.refreshToken starts or ends with a space/],
  ["a pasted file as an API token", { license: { ...base.license, apiToken: "PLAIN".repeat(2000) } }, /license\.apiToken is 10000 characters, longer than any Atlassian credential \(8192 at most\)/],
])("refused: %s", (_, extra, expected) => {
  const message = problemsOf(withArgs(extra));
  expect(message).toMatch(expected);
  expect(message).not.toMatch(/PLAIN/);
});

test("args that are no object: a named error, not a TypeError", () => {
  expect(() => resolveSettings("acme", undefined as unknown as JiraConnectorArgs)).toThrow(JiraConnectorArgsError);
  expect(() => resolveSettings("acme", "acme" as unknown as JiraConnectorArgs)).toThrow(/args must be an object/);
});

test("every problem at once, one line per property", () => {
  const message = problemsOf(
    withArgs({ schedule: { expression: "rate(1 minutes)", timezone: "Mars/Olympus" }, tags: { "aws:x": "y" }, lambda: { memoryMb: 64, logRetentionDays: 2 } }),
  );
  for (const property of ["schedule.expression", "schedule.timezone", "tags:", "lambda.memoryMb", "lambda.logRetentionDays"]) {
    expect(message).toMatch(new RegExp(`\\n  - ${property.replace(".", "\\.")}`));
  }
});

test("a constructor that throws registers nothing", async () => {
  expect(() => new JiraConnector("bad-args", withArgs({ name: "bad-args", schedule: { expression: "cron(0 23 * * * *)" }, tags: { t: 1 } }))).toThrow(
    JiraConnectorArgsError,
  );
  await settle();
  expect(registrations.some((r) => r.name.startsWith("bad-args"))).toBe(false);
});

describe("SharedConnectorStorage args: the same checks, before anything is registered", () => {
  const storageProblems = (name: unknown, args: unknown): string => {
    try {
      checkSharedStorageArgs(name, args);
    } catch (error) {
      expect(error).toBeInstanceOf(JiraConnectorArgsError);
      return (error as Error).message;
    }
    throw new Error("checkSharedStorageArgs accepted the args");
  };

  test("defaults and valid values pass", () => {
    expect(checkSharedStorageArgs("shared", {})).toEqual({ tags: { "managed-by": "pulumi" }, retentionDays: 365 });
    expect(checkSharedStorageArgs("shared", { snapshotRetentionDays: 30, tags: { team: "it" } })).toEqual({
      tags: { team: "it", "managed-by": "pulumi" },
      retentionDays: 30,
    });
  });

  test.each<[string, unknown, unknown, RegExp]>([
    ["a number as the name", 7, {}, /storage's name must be/],
    ["an uppercase name", "Shared", {}, /storage's name must be/],
    ["args as a string", "shared", "365", /args must be an object/],
    ["retention as a string", "shared", { snapshotRetentionDays: "365" }, /snapshotRetentionDays must be a whole number from 1 to 36500/],
    ["retention of 0", "shared", { snapshotRetentionDays: 0 }, /snapshotRetentionDays must be a whole number/],
    ["a reserved tag", "shared", { tags: { "aws:owner": "x" } }, /reserved aws: prefix/],
    ["the component's own tag", "shared", { tags: { "managed-by": "me" } }, /set by the component itself/],
    ["a tag value too long", "shared", { tags: { team: "x".repeat(257) } }, /at most 256 characters/],
    ["a misspelt argument", "shared", { snapshotRetentionDay: 30 }, /snapshotRetentionDay is not an argument of SharedConnectorStorage/],
  ])("%s is a named error", (_label, name, args, pattern) => {
    const message = storageProblems(name, args);
    expect(message).toMatch(/^SharedConnectorStorage /);
    expect(message).toMatch(pattern);
  });

  test("a constructor that throws registers nothing", async () => {
    expect(() => new SharedConnectorStorage("bad-storage", { snapshotRetentionDays: -1, tags: { "aws:x": "y" } })).toThrow(JiraConnectorArgsError);
    await settle();
    expect(registrations.some((r) => r.name.startsWith("bad-storage"))).toBe(false);
  });
});
