import { createSecretsManagerStore, type RefreshTokenStore } from "../token-store";
import type { CollectorSettings } from "./collect";
import type { ConnectorCredentials } from "./credentials";
import { CollectorConfigurationError, LAMBDA_ENV, type CollectorLambdaConfig } from "./lambda-config";

/** The credential part of the collector's settings, and the token store it needs (OAuth only). */
export interface LambdaAuth {
  settings: Pick<CollectorSettings, "oauth" | "scopedApiToken" | "license">;
  tokenStore?: RefreshTokenStore;
}

/**
 * Chooses the method from the credentials secret (its `method` field): a scoped token needs no token store, so the
 * refresh-token secret's variable is not read; an OAuth secret without that variable is a configuration error
 * (the component sets both), named before anything is sent to Atlassian.
 */
export function authOf(credentials: ConnectorCredentials, config: CollectorLambdaConfig): LambdaAuth {
  if (credentials.method === "scoped-api-token") {
    return { settings: { scopedApiToken: { email: credentials.email, apiToken: credentials.apiToken } } };
  }
  if (config.refreshTokenSecretArn === undefined) {
    throw new CollectorConfigurationError([
      `the credentials secret holds an OAuth client but ${LAMBDA_ENV.refreshTokenSecretArn} is not set; an OAuth connector ` +
        "needs its refresh-token secret: run `pulumi up` on the connector (with oauth set) to restore it",
    ]);
  }
  return {
    settings: {
      oauth: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
      ...(credentials.license ? { license: credentials.license } : {}),
    },
    tokenStore: createSecretsManagerStore({ secretArn: config.refreshTokenSecretArn }),
  };
}
