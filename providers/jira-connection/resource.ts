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
  /**
   * When the consent happened (ISO 8601 with a zone; `jira-connector authorize` prints it): the start of the grant's
   * 365-day expiry, which the expiry alarm counts from. Not secret. Without it the family is taken to start at the
   * first `pulumi up`, so the alarm fires late by the time between consent and that `up`. Changing only this
   * presents no token.
   */
  refreshTokenIssuedAt?: pulumi.Input<string>;
}

/**
 * An API token with scopes — the method Snow Atlas recommends: no OAuth app, no consent, no rotating refresh token,
 * and its traffic is exempt from the OAuth points quota. Create it at id.atlassian.com → Security → "Create API
 * token with scopes", app Jira, the connector's read scopes, as a Jira administrator (to read seats).
 */
export interface JiraScopedApiTokenArgs {
  /** The email of the Atlassian account that created the token. */
  email: pulumi.Input<string>;
  /** Secret. */
  apiToken: pulumi.Input<string>;
  /** The expiry chosen when creating the token (ISO date, at most 365 days away): Atlassian forces one and never reports it. */
  expiresAt: pulumi.Input<string>;
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
  /**
   * Exactly one of `scopedApiToken` and `oauth`. Switching between them is an update of the same connector, not a
   * replacement (README "Switching authentication methods").
   */
  scopedApiToken?: JiraScopedApiTokenArgs;
  /** The OAuth 2.0 (3LO) integration (with `tokenStore`). */
  oauth?: JiraOAuthArgs;
  /** OAuth only: an administrator's Atlassian account email and (classic) API token, used to read seat counts. */
  license?: JiraLicenseArgs;
  /** OAuth only: scopes the grant must hold. Defaults to the connector's 13 read-only granular scopes plus `offline_access`. */
  requiredScopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** `true`: a credential that can write, delete or manage fails validation. Default `false`: a warning at `pulumi up`. */
  strictScopes?: pulumi.Input<boolean>;
  /** OAuth only: the AWS Secrets Manager secret that holds the live refresh token (the collector keeps rotating it). */
  tokenStore?: {
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
  declare public readonly authMethod: pulumi.Output<"oauth" | "scoped-api-token">;
  /** Least-privilege and OAuth-quota warnings of the last validation; also logged at `pulumi up`. */
  declare public readonly warnings: pulumi.Output<string[]>;
  declare public readonly siteUrl: pulumi.Output<string>;
  declare public readonly cloudId: pulumi.Output<string>;
  declare public readonly grantedScopes: pulumi.Output<string[]>;
  declare public readonly products: pulumi.Output<ProductSeats[]>;
  declare public readonly licenseAccountId: pulumi.Output<string | undefined>;
  declare public readonly validatedAt: pulumi.Output<string>;
  /** OAuth only (undefined for a scoped token). */
  declare public readonly refreshTokenFamilyStartedAt: pulumi.Output<string | undefined>;
  declare public readonly fingerprints: pulumi.Output<CredentialFingerprints>;
  /** One non-secret marker per secret input (`"license.apiToken": "1a2b3c4d"`): shows which credential a change touches. */
  declare public readonly credentialRevisions: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: JiraConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      jiraConnectionProvider,
      name,
      {
        site: args.site,
        cloudId: args.cloudId,
        oauth: args.oauth
          ? {
              clientId: args.oauth.clientId,
              clientSecret: pulumi.secret(args.oauth.clientSecret),
              refreshToken: pulumi.secret(args.oauth.refreshToken),
              ...(args.oauth.refreshTokenIssuedAt !== undefined ? { refreshTokenIssuedAt: args.oauth.refreshTokenIssuedAt } : {}),
            }
          : undefined,
        scopedApiToken: args.scopedApiToken
          ? { email: args.scopedApiToken.email, apiToken: pulumi.secret(args.scopedApiToken.apiToken), expiresAt: args.scopedApiToken.expiresAt }
          : undefined,
        license: args.license
          ? { email: args.license.email, apiToken: pulumi.secret(args.license.apiToken), apiTokenExpiresAt: args.license.apiTokenExpiresAt }
          : undefined,
        requiredScopes: args.requiredScopes,
        strictScopes: args.strictScopes,
        tokenStore: args.tokenStore,
        // Outputs, declared so that they become resource Outputs.
        siteName: undefined,
        authMethod: undefined,
        warnings: undefined,
        siteUrl: undefined,
        grantedScopes: undefined,
        products: undefined,
        licenseAccountId: undefined,
        validatedAt: undefined,
        refreshTokenFamilyStartedAt: undefined,
        fingerprints: undefined,
        credentialRevisions: undefined,
      },
      opts,
      "jira",
      "Connection",
    );
    // Dynamic providers cannot log to the engine (pulumi/pulumi#6065), so the program logs the provider's warnings.
    this.warnings.apply((warnings) => {
      for (const warning of warnings ?? []) void pulumi.log.warn(warning, this);
    });
  }
}
