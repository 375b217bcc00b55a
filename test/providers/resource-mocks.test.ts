import * as pulumi from "@pulumi/pulumi";

/** The resource as a Pulumi program declares it (mocked engine): type token, secret inputs, no plaintext secrets. */

const registered: pulumi.runtime.MockResourceArgs[] = [];
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        return { id: `${args.name}-id`, state: { ...args.inputs, cloudId: "94edd5e5-d480-4ed6-ac74-50e2a79f77cd" } };
      },
      call: (args) => args.inputs,
    },
    "jira-connectors",
    "test",
  );
});
afterAll(() => pulumi.runtime.disconnect());

test("registers pulumi-nodejs:dynamic/jira:Connection with every secret input wrapped as a secret", async () => {
  const { JiraConnection } = await import("../../providers/jira-connection");
  const connection = new JiraConnection("acme", {
    site: "acme",
    oauth: { clientId: "client-id", clientSecret: "plain-client-secret", refreshToken: "plain-refresh-token" },
    license: { email: "admin@acme.example", apiToken: "plain-api-token" },
    tokenStore: { secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:jira-AbCdEf" },
  });
  await new Promise((resolve) => connection.urn.apply(resolve));
  await new Promise((resolve) => connection.cloudId.apply(resolve));
  const resource = registered.find((r) => r.type === "pulumi-nodejs:dynamic/jira:Connection");
  expect(resource).toBeDefined();
  const inputs = resource!.inputs;
  expect(inputs.__provider).toEqual(expect.any(String));
  expect(inputs.__provider).not.toMatch(/plain-(client-secret|refresh-token|api-token)/);
  // The mock monitor reports a nested secret on its enclosing object; either way the value travels as a secret.
  const markedSecret = (path: string[]) => {
    let node: any = inputs;
    for (const key of path) {
      if (node?.[SECRET_SIG]) return true;
      node = node?.[key];
    }
    return Boolean(node?.[SECRET_SIG]);
  };
  expect(markedSecret(["oauth", "clientSecret"])).toBe(true);
  expect(markedSecret(["oauth", "refreshToken"])).toBe(true);
  expect(markedSecret(["license", "apiToken"])).toBe(true);
  expect(markedSecret(["site"])).toBe(false);
  expect(markedSecret(["tokenStore", "secretArn"])).toBe(false);
});
