import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { JiraConnectorArgsError, type JiraConnectorArgs } from "./args";
import { ORG_API_KEY_FIX } from "./settings";

/**
 * The connector's Secrets Manager secrets.
 *
 * - **credentials**: what `collector/credentials.ts` reads. OAuth (no `method` field, the original format, so
 *   existing secrets keep working): `{"clientId","clientSecret","email"?,"apiToken"?,"orgApiKey"?}`. Scoped API
 *   token: `{"method":"scoped-api-token","email","apiToken","orgApiKey"?}` — `method` tells the formats apart.
 *   `orgApiKey` is `org.apiKey` (the organization's ID goes to the function's environment instead). Pulumi owns its
 *   value: a `SecretVersion` written on every change of the inputs.
 * - **refresh token** (OAuth only): Pulumi creates the secret but **never its value**. `JiraConnection` seeds it
 *   with the rotated token on the first `pulumi up`, and the collector rotates it on every run. There is
 *   deliberately no `SecretVersion` for it: a Pulumi-managed value would be a stale token that an `up` (or a
 *   refresh-and-up) writes back over the live one, revoking the grant. A scoped token has nothing to rotate, so no
 *   such secret exists (switching oauth → scoped deletes it).
 *
 * Both are deleted by `pulumi destroy` with a 7-day recovery window (`aws secretsmanager restore-secret`).
 */
export interface ConnectorSecrets {
  credentials: aws.secretsmanager.Secret;
  credentialsVersion: aws.secretsmanager.SecretVersion;
  /** OAuth only. */
  refreshToken?: aws.secretsmanager.Secret;
}

export const SECRET_RECOVERY_WINDOW_DAYS = 7;
/** The credentials secret's `method` for a scoped API token (absent: OAuth). */
export const SCOPED_CREDENTIALS_METHOD = "scoped-api-token";

export function createConnectorSecrets(
  name: string,
  args: Pick<JiraConnectorArgs, "oauth" | "scopedApiToken" | "license" | "org">,
  kmsKeyArn: pulumi.Input<string>,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): ConnectorSecrets {
  const scoped = args.scopedApiToken;
  const credentials = new aws.secretsmanager.Secret(
    `${name}-credentials`,
    {
      description: scoped
        ? `Jira connector ${name}: scoped API token (managed by Pulumi)`
        : `Jira connector ${name}: OAuth client and license API token (managed by Pulumi)`,
      kmsKeyId: kmsKeyArn,
      recoveryWindowInDays: SECRET_RECOVERY_WINDOW_DAYS,
      tags,
    },
    opts,
  );
  const orgApiKey = args.org ? { orgApiKey: orgApiKeyOutput(name, args.org.apiKey) } : {};
  // resolveSettings guarantees exactly one of scopedApiToken and oauth.
  const value = pulumi.secret(
    pulumi.jsonStringify(
      scoped
        ? { method: SCOPED_CREDENTIALS_METHOD, email: scoped.email, apiToken: scoped.apiToken, ...orgApiKey }
        : {
            clientId: args.oauth!.clientId,
            clientSecret: args.oauth!.clientSecret,
            ...(args.license ? { email: args.license.email, apiToken: args.license.apiToken } : {}),
            ...orgApiKey,
          },
    ),
  );
  const credentialsVersion = new aws.secretsmanager.SecretVersion(
    `${name}-credentials-value`,
    { secretId: credentials.id, secretString: value },
    opts,
  );
  if (scoped) return { credentials, credentialsVersion };
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
