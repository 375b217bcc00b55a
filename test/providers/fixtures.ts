import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { checkConnectionInputs } from "../../providers/jira-connection/check";
import type { OAuthConnectionInputs as ConnectionInputs } from "../../providers/jira-connection/inputs";
import type { AtlassianEmulator } from "../support/atlassian-emulator";

/** Shared set-up for provider tests: a fresh Secrets Manager secret in moto and valid connector inputs. */

let secretCounter = 0;

export async function createTokenSecret(region = "us-east-1"): Promise<string> {
  const client = new SecretsManagerClient({ region });
  const created = await client.send(new CreateSecretCommand({ Name: `jira/test-${process.pid}-${++secretCounter}/refresh-token` }));
  client.destroy();
  return created.ARN!;
}

export function connectionInputs(
  emulator: AtlassianEmulator,
  secretArn: string,
  overrides: { site?: string; refreshToken?: string; grant?: Parameters<AtlassianEmulator["grant"]>[0]; license?: "admin" | "member" | "none" } = {},
): ConnectionInputs & Record<string, unknown> {
  const site = overrides.site ?? "acme";
  const seeded = emulator.site(site);
  const app = emulator.app();
  const refreshToken = overrides.refreshToken ?? emulator.grant({ sites: [site], ...overrides.grant }).refreshToken;
  const account = overrides.license === "member" ? seeded.member : seeded.admin;
  const raw = {
    site: `https://${site}.atlassian.net/`,
    oauth: { clientId: app.clientId, clientSecret: app.clientSecret, refreshToken },
    ...(overrides.license === "none" ? {} : { license: { email: account.email, apiToken: account.apiToken, apiTokenExpiresAt: "2099-12-31" } }),
    tokenStore: { secretArn },
  };
  const { inputs, failures } = checkConnectionInputs(raw);
  if (failures.length > 0) throw new Error(`fixture inputs invalid: ${JSON.stringify(failures)}`);
  return inputs as ConnectionInputs & Record<string, unknown>;
}

/** Every secret string a connector's inputs hold. */
export function secretsOf(inputs: ConnectionInputs): string[] {
  return [inputs.oauth.clientSecret, inputs.oauth.refreshToken, ...(inputs.license ? [inputs.license.apiToken] : [])];
}
