import * as pulumi from "@pulumi/pulumi";
import { JiraConnector } from "../../components";
import { childrenOf, connectorArgs, only } from "./support/fixtures";
import { isSecret, settle, startMockEngine, unwrapSecret, type Registration } from "./support/mock-engine";

/**
 * Secrets: credentials are Pulumi secrets wherever they travel; the refresh-token secret's value is never written
 * by Pulumi (only JiraConnection seeds it, then the collector owns it); no plaintext credential anywhere.
 */

let registrations: Registration[];
const PLAIN = /PLAIN-(client-secret|refresh-token|api-token)/;

beforeAll(async () => {
  registrations = await startMockEngine();
  new JiraConnector("acme", connectorArgs("acme"));
  // Credentials from secret config arrive as secret Outputs: they must stay secret too.
  new JiraConnector("globex", connectorArgs("globex", {
    oauth: { clientId: "globex-client-id", clientSecret: pulumi.secret("globex-PLAIN-client-secret"), refreshToken: pulumi.secret("globex-PLAIN-refresh-token") },
  }));
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

describe.each(["acme", "globex"])("%s", (connector) => {
  test("the credentials secret's value is a Pulumi secret holding the collector's credentials JSON", () => {
    const version = only(registrations, "aws:secretsmanager/secretVersion:SecretVersion", `${connector}-credentials-value`);
    expect(isSecret(version.inputs.secretString)).toBe(true);
    expect(JSON.parse(unwrapSecret(version.inputs.secretString))).toEqual({
      clientId: `${connector}-client-id`,
      clientSecret: `${connector}-PLAIN-client-secret`,
      email: `admin@${connector}.example`,
      apiToken: `${connector}-PLAIN-api-token`,
    });
    const credentials = only(registrations, "aws:secretsmanager/secret:Secret", `${connector}-credentials`);
    expect(version.dependencies).toContain(credentials.urn);
  });

  test("the refresh-token secret is created without a value, and no SecretVersion (or anything else) writes it", () => {
    const secret = only(registrations, "aws:secretsmanager/secret:Secret", `${connector}-refresh-token`);
    expect(Object.keys(secret.inputs).sort()).toEqual(["description", "kmsKeyId", "recoveryWindowInDays", "tags"]);
    expect(secret.inputs.rotationRules).toBeUndefined();
    const versions = registrations.filter((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion");
    expect(versions.map((v) => v.name).sort()).toEqual(["acme-credentials-value", "globex-credentials-value"]);
    const refreshArn = secret.outputs.arn;
    for (const version of versions) expect(version.dependencies).not.toContain(secret.urn);
    // The only resources fed from the refresh-token secret: the connection (token store), the function
    // (environment), the collector policy and the secret's resource policy — none of them a secret value.
    const readers = childrenOf(registrations, connector).filter((r) => r.dependencies.includes(secret.urn)).map((r) => r.type).sort();
    expect(readers).toEqual([
      "aws:iam/rolePolicy:RolePolicy",
      "aws:lambda/function:Function",
      "aws:secretsmanager/secretPolicy:SecretPolicy",
      "pulumi-nodejs:dynamic/jira:Connection",
    ]);
    const connection = only(registrations, "pulumi-nodejs:dynamic/jira:Connection", `${connector}-connection`);
    expect(connection.inputs.tokenStore).toEqual({ secretArn: refreshArn });
  });

  test("the connection receives every credential as a secret", () => {
    const connection = only(registrations, "pulumi-nodejs:dynamic/jira:Connection", `${connector}-connection`);
    const marked = (path: string[]) => {
      let node: any = connection.inputs;
      for (const key of path) {
        if (isSecret(node)) return true;
        node = node?.[key];
      }
      return isSecret(node);
    };
    expect(marked(["oauth", "clientSecret"])).toBe(true);
    expect(marked(["oauth", "refreshToken"])).toBe(true);
    expect(marked(["license", "apiToken"])).toBe(true);
    expect(unwrapSecret(unwrapSecret(connection.inputs.oauth).refreshToken)).toBe(`${connector}-PLAIN-refresh-token`);
  });
});

test("no plaintext credential outside a secret, in any resource's inputs", () => {
  const stripSecrets = (value: any): any => {
    if (isSecret(value)) return "[secret]";
    if (Array.isArray(value)) return value.map(stripSecrets);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripSecrets(v)]));
    return value;
  };
  for (const registration of registrations) {
    expect([registration.name, JSON.stringify(stripSecrets(registration.inputs))]).toEqual([registration.name, expect.not.stringMatching(PLAIN)]);
  }
  // The function's environment names the secrets, never holds them.
  const env = only(registrations, "aws:lambda/function:Function", "acme-collector").inputs.environment.variables;
  expect(JSON.stringify(env)).not.toMatch(PLAIN);
});
