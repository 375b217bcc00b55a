import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { jiraConnectionProvider } from "../../providers/jira-connection";

/** The provider must survive Pulumi's closure serializer and work when loaded the way the host loads it. */

export async function serializedProviderText(): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => jiraConnectionProvider, { allowSecrets: true });
  return serialized.text;
}

test("serializes, captures no secret-looking values, and loads as a working provider", async () => {
  const text = await serializedProviderText();
  expect(text).toContain('require("zod")');
  expect(text).toMatch(/require\("node-fetch["/]/);
  expect(text).not.toMatch(/client-secrets-manager"\)\.SecretsManagerClient\(/);
  const requireFromString = require("require-from-string");
  const loaded = requireFromString(text, path.join(process.cwd(), "__provider.js")).handler();
  const { failures } = await loaded.check({}, { site: "https://acme.atlassian.net/jira" });
  expect(failures.map((f: { property: string }) => f.property)).toEqual(["site", "oauth", "tokenStore"]);
  console.log(`serialized provider: ${text.length} characters`);
});
