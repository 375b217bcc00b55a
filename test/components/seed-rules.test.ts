import * as pulumi from "@pulumi/pulumi";
import { DuplicateConnectorError, JiraConnector, JiraConnectorArgsError, SharedConnectorStorage } from "../../components";
import { claimConnector } from "../../components/seed-rules";
import { connectorArgs } from "./support/fixtures";
import { settle, startMockEngine, type Registration } from "./support/mock-engine";

/**
 * The seed's rules, enforced while the program runs (so `pulumi preview` fails): unique connector names, a refresh
 * token per connector (the error names both connectors, never the token), Jira only, and plain-valued args valid.
 */

let registrations: Registration[];

beforeAll(async () => {
  registrations = await startMockEngine();
});
afterAll(async () => {
  await settle();
  await pulumi.runtime.disconnect();
});

/**
 * An Output's value or failure, through the SDK's own (internal) promises. In a program the failing token Output
 * feeds the JiraConnection, so its registration (and `pulumi preview`) fails with the message; here nothing
 * consumes it, so every promise the Output holds gets a handler, or Node would abort on an unhandled rejection.
 */
function outcome<T>(output: pulumi.Output<T>): Promise<T> {
  const impl = output as unknown as { promise(): Promise<T>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
  impl.isKnown.catch(() => undefined);
  impl.isSecret.catch(() => undefined);
  return impl.promise();
}

const withToken = (site: string, refreshToken: pulumi.Input<string>) =>
  connectorArgs(site, { oauth: { clientId: `${site}-client-id`, clientSecret: `${site}-client-secret`, refreshToken } });

describe("the same refresh token on two connectors", () => {
  test("plain strings (the root program's config): the second connector fails, naming both and not the token", () => {
    new JiraConnector("initech", withToken("initech", "shared-TOKEN-value-1"));
    let error: unknown;
    try {
      new JiraConnector("umbrella", withToken("umbrella", "shared-TOKEN-value-1"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DuplicateConnectorError);
    const message = (error as Error).message;
    expect(message).toContain('"initech"');
    expect(message).toContain('"umbrella"');
    expect(message).toContain("same refresh token");
    expect(message).not.toContain("shared-TOKEN-value-1");
    expect(message).not.toContain("TOKEN");
    // Nothing of the refused connector was registered.
    expect(registrations.some((r) => r.name.startsWith("umbrella"))).toBe(false);
  });

  test("secret Outputs (config.requireSecret): the token Output fails when it resolves, naming both", async () => {
    const first = claimConnector("hooli", pulumi.secret("shared-TOKEN-value-2"));
    const second = claimConnector("piedpiper", pulumi.secret("shared-TOKEN-value-2"));
    await expect(outcome(first)).resolves.toBe("shared-TOKEN-value-2");
    const error = await outcome(second).then(() => new Error("resolved"), (e: Error) => e);
    expect(error).toBeInstanceOf(DuplicateConnectorError);
    expect(error.message).toMatch(/connectors "hooli" and "piedpiper" are configured with the same refresh token/);
    expect(error.message).not.toContain("shared-TOKEN-value-2");
  });

  test("different tokens are fine, and a connector may be declared with the token it already claimed", async () => {
    const a = claimConnector("wonka", pulumi.secret("token-wonka"));
    const b = claimConnector("acme-corp", "token-acme-corp");
    await expect(outcome(a)).resolves.toBe("token-wonka");
    await expect(outcome(b)).resolves.toBe("token-acme-corp");
    expect(await (b as any).isSecret).toBe(false);
    expect(await (a as any).isSecret).toBe(true);
  });
});

test("duplicate connector names fail, even for different sites", () => {
  new JiraConnector("sales", withToken("sales-eu", "token-sales-1"));
  expect(() => new JiraConnector("sales-again", { ...withToken("sales-us", "token-sales-2"), name: "sales-eu" })).toThrow(
    /two connectors are named "sales-eu": connector names must be unique/,
  );
  expect(() => new JiraConnector("sales-eu-2", withToken("sales-eu", "token-sales-3"))).toThrow(DuplicateConnectorError);
});

describe("args validated before anything is registered", () => {
  const problems = (args: Parameters<typeof connectorArgs>[1], site = "validation") => {
    try {
      new JiraConnector(`v-${Math.random().toString(36).slice(2, 8)}`, { ...connectorArgs(site), ...args });
    } catch (error) {
      expect(error).toBeInstanceOf(JiraConnectorArgsError);
      return (error as Error).message;
    }
    throw new Error("expected the constructor to throw");
  };

  test("Jira only: another product, or a Confluence /wiki URL, is refused", () => {
    expect(problems({ product: "confluence" })).toMatch(/product "confluence" is not supported: JiraConnector is for Jira Cloud only/);
    expect(problems({}, "https://acme.atlassian.net/wiki")).toMatch(/Confluence: JiraConnector is for Jira only/);
  });

  test("names: shape and length; required when the site is an Output", () => {
    expect(problems({ name: "Acme_Prod" })).toMatch(/name "Acme_Prod" must be 1-40 lowercase letters/);
    expect(problems({ name: "a".repeat(41) })).toMatch(/must be 1-40/);
    expect(problems({ site: pulumi.output("acme") })).toMatch(/name is required when site is not a plain string/);
  });

  test("schedules the missed-run alarm cannot cover, and out-of-range numbers, all in one message", () => {
    const message = problems({ schedule: { expression: "cron(0 23 ? * MON *)" }, inactivityDays: 0, lambda: { timeoutSeconds: 901 } });
    expect(message).toMatch(/schedule.expression .* more than 3.5 days/);
    expect(message).toMatch(/inactivityDays must be a whole number from 1 to 3650/);
    expect(message).toMatch(/lambda.timeoutSeconds must be a whole number from 1 to 900/);
    expect(problems({ tags: { "aws:owner": "x" } })).toMatch(/reserved aws: prefix/);
  });

  test("shared storage names follow the same rule (they name a bucket and a key alias)", () => {
    expect(() => new SharedConnectorStorage("Shared_Storage")).toThrow(/must be 1-40 lowercase letters/);
  });

  test("a bad connector registers nothing", () => {
    expect(registrations.some((r) => r.name.startsWith("v-"))).toBe(false);
  });
});
