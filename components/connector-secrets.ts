import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { JiraConnectorArgsError, type JiraConnectorArgs } from "./args";
import { ORG_API_KEY_FIX } from "./settings";

/**
 * The connector's two Secrets Manager secrets.
 *
 * - **credentials**: `{"clientId","clientSecret","email"?,"apiToken"?,"orgApiKey"?}` (the format
 *   `collector/credentials.ts` reads; `orgApiKey` is `org.apiKey`, the organization's ID goes to the function's
 *   environment instead). Pulumi owns its value: a `SecretVersion` written on every change of the inputs.
 * - **refresh token**: Pulumi creates the secret but **never its value**. `JiraConnection` seeds it with the rotated
 *   token on the first `pulumi up`, and the collector rotates it on every run. There is deliberately no
 *   `SecretVersion` for it: a Pulumi-managed value would be a stale token that an `up` (or a refresh-and-up) writes
 *   back over the live one, revoking the grant. `aws.secretsmanager.Secret` itself has no value property.
 *
 * Both are deleted by `pulumi destroy` with a 7-day recovery window (`aws secretsmanager restore-secret`).
 */
export interface ConnectorSecrets {
  credentials: aws.secretsmanager.Secret;
  credentialsVersion: aws.secretsmanager.SecretVersion;
  refreshToken: aws.secretsmanager.Secret;
}

export const SECRET_RECOVERY_WINDOW_DAYS = 7;

export function createConnectorSecrets(
  name: string,
  args: Pick<JiraConnectorArgs, "oauth" | "license" | "org">,
  kmsKeyArn: pulumi.Input<string>,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): ConnectorSecrets {
  const credentials = new aws.secretsmanager.Secret(
    `${name}-credentials`,
    {
      description: `Jira connector ${name}: OAuth client and license API token (managed by Pulumi)`,
      kmsKeyId: kmsKeyArn,
      recoveryWindowInDays: SECRET_RECOVERY_WINDOW_DAYS,
      tags,
    },
    opts,
  );
  const value = pulumi.secret(
    pulumi.jsonStringify({
      clientId: args.oauth.clientId,
      clientSecret: args.oauth.clientSecret,
      ...(args.license ? { email: args.license.email, apiToken: args.license.apiToken } : {}),
      ...(args.org ? { orgApiKey: orgApiKeyOutput(name, args.org.apiKey) } : {}),
    }),
  );
  const credentialsVersion = new aws.secretsmanager.SecretVersion(
    `${name}-credentials-value`,
    { secretId: credentials.id, secretString: value },
    opts,
  );
  const refreshToken = new aws.secretsmanager.Secret(
    `${name}-refresh-token`,
    {
      description: `Jira connector ${name}: live OAuth refresh token (seeded by JiraConnection, rotated by the collector; never written by Pulumi)`,
      kmsKeyId: kmsKeyArn,
      recoveryWindowInDays: SECRET_RECOVERY_WINDOW_DAYS,
      tags,
    },
    opts,
  );
  return { credentials, credentialsVersion, refreshToken };
}

/** The org API key, refused when it turns out empty (an Output is only known at `up`). Never quotes the value. */
function orgApiKeyOutput(name: string, apiKey: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(apiKey).apply((key) => {
    if (typeof key !== "string" || key.trim() === "") throw new JiraConnectorArgsError(name, [`org.apiKey is empty: ${ORG_API_KEY_FIX}`]);
    return key.trim();
  });
}
