import * as pulumi from "@pulumi/pulumi";
import type { CredentialFingerprints, ProductSeats } from "./inputs";
import { jiraConnectionProvider } from "./provider";

/** An OAuth 2.0 (3LO) integration: the app's credentials and a refresh token of its grant. */
export interface JiraOAuthArgs {
  /** Client ID from the app's Settings page in the Atlassian developer console. */
  clientId: pulumi.Input<string>;
  /** Client secret from the same page. Secret. */
  clientSecret: pulumi.Input<string>;
  /**
   * A refresh token from `jira-connector authorize`, unique to this connector. Secret. Consumed by the first
   * `pulumi up`: from then on the live token lives in the token store (the collector keeps rotating it), and this
   * value is only exchanged again if you change it (re-authorize).
   */
  refreshToken: pulumi.Input<string>;
}

/** A Jira administrator's account email and (classic) API token, used to read seat counts. */
export interface JiraLicenseArgs {
  email: pulumi.Input<string>;
  /** Secret. */
  apiToken: pulumi.Input<string>;
  /** The expiry chosen when the API token was created (ISO date); Atlassian does not expose it. Enables the alarm. */
  apiTokenExpiresAt?: pulumi.Input<string>;
}

/** Arguments of a {@link JiraConnection}. Secret fields are wrapped with `pulumi.secret` whatever you pass. */
export interface JiraConnectionArgs {
  /** The Jira Cloud site: `acme`, `acme.atlassian.net` or `https://acme.atlassian.net` (normalised to `acme`). */
  site: pulumi.Input<string>;
  /** The site's cloud ID. If given, it must equal what `tenant_info` returns; if omitted, it is derived. */
  cloudId?: pulumi.Input<string>;
  /** The OAuth 2.0 (3LO) integration. */
  oauth: JiraOAuthArgs;
  /** An administrator's Atlassian account email and (classic) API token, used to read seat counts. */
  license?: JiraLicenseArgs;
  /** Scopes the grant must hold. Defaults to the connector's 13 read-only granular scopes plus `offline_access`. */
  requiredScopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** The AWS Secrets Manager secret that holds the live refresh token (the collector keeps rotating it). */
  tokenStore: {
    secretArn: pulumi.Input<string>;
    /** Defaults to the region in the ARN. */
    region?: pulumi.Input<string>;
  };
}

/**
 * One Jira Cloud connector. `pulumi preview` validates the inputs offline; `pulumi up` validates every credential
 * against Atlassian and seeds the token store with the rotated refresh token; `pulumi refresh` detects drift.
 */
export class JiraConnection extends pulumi.dynamic.Resource {
  declare public readonly siteName: pulumi.Output<string>;
  declare public readonly siteUrl: pulumi.Output<string>;
  declare public readonly cloudId: pulumi.Output<string>;
  declare public readonly grantedScopes: pulumi.Output<string[]>;
  declare public readonly products: pulumi.Output<ProductSeats[]>;
  declare public readonly licenseAccountId: pulumi.Output<string | undefined>;
  declare public readonly validatedAt: pulumi.Output<string>;
  declare public readonly refreshTokenFamilyStartedAt: pulumi.Output<string>;
  declare public readonly fingerprints: pulumi.Output<CredentialFingerprints>;

  constructor(name: string, args: JiraConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      jiraConnectionProvider,
      name,
      {
        site: args.site,
        cloudId: args.cloudId,
        oauth: {
          clientId: args.oauth.clientId,
          clientSecret: pulumi.secret(args.oauth.clientSecret),
          refreshToken: pulumi.secret(args.oauth.refreshToken),
        },
        license: args.license
          ? { email: args.license.email, apiToken: pulumi.secret(args.license.apiToken), apiTokenExpiresAt: args.license.apiTokenExpiresAt }
          : undefined,
        requiredScopes: args.requiredScopes,
        tokenStore: args.tokenStore,
        // Outputs, declared so that they become resource Outputs.
        siteName: undefined,
        siteUrl: undefined,
        grantedScopes: undefined,
        products: undefined,
        licenseAccountId: undefined,
        validatedAt: undefined,
        refreshTokenFamilyStartedAt: undefined,
        fingerprints: undefined,
      },
      opts,
      "jira",
      "Connection",
    );
  }
}
