import * as pulumi from "@pulumi/pulumi";
import { settle, startMockEngine, type Registration } from "./support/mock-engine";

/** The root program refuses a stack config in which two connectors share a refresh token, before registering them. */

const entry = (site: string) => ({ site, oauth: { clientId: `${site}-client-id` } });
const credentials = (site: string, refreshToken: string) => ({
  [`jira-connectors:${site}.clientSecret`]: `${site}-client-secret`,
  [`jira-connectors:${site}.refreshToken`]: refreshToken,
});

let registrations: Registration[];

beforeAll(async () => {
  registrations = await startMockEngine("jira-connectors", "prod");
});
afterAll(async () => {
  await settle();
  await pulumi.runtime.disconnect();
});

test("the error names both connectors and not the token", async () => {
  const config = { "jira-connectors:connectors": JSON.stringify([entry("acme"), entry("globex")]), ...credentials("acme", "ONE-GRANT-TOKEN"), ...credentials("globex", "ONE-GRANT-TOKEN") };
  pulumi.runtime.setAllConfig(config, Object.keys(config).filter((k) => k !== "jira-connectors:connectors"));
  const failure = await import("../../program").then(() => undefined, (error: Error) => error);
  expect(failure?.name).toBe("DuplicateConnectorError");
  expect(failure?.message).toMatch(/connectors "acme" and "globex" are configured with the same refresh token/);
  expect(failure?.message).not.toContain("ONE-GRANT-TOKEN");
  expect(registrations.some((r) => r.name.startsWith("globex"))).toBe(false);
});
