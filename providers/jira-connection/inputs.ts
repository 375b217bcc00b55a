/**
 * The plain values the provider receives (the engine unwraps secrets and Outputs), and the outputs it stores.
 * Outputs never contain a secret value: credentials are represented by salted, truncated SHA-256 fingerprints.
 */

/** During `pulumi preview`, inputs that depend on unresolved Outputs arrive as this sentinel string. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface OAuthInputs {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** ISO 8601: the consent (code exchange) that started the grant, i.e. its family start. Not secret. */
  refreshTokenIssuedAt?: string;
}

/** An API token with scopes (id.atlassian.com → "Create API token with scopes"): Basic auth through the gateway. */
export interface ScopedApiTokenInputs {
  /** The email of the Atlassian account that created the token (a Jira administrator, to read seats). */
  email: string;
  apiToken: string;
  /** ISO date (`2027-03-31`) or date-time: Atlassian forces an expiry of 1–365 days and does not expose it. */
  expiresAt: string;
}

export type AuthMethod = "oauth" | "scoped-api-token";

export interface LicenseInputs {
  email: string;
  apiToken: string;
  /** ISO date (`2027-03-31`) or date-time the admin chose when creating the API token; Atlassian does not expose it. */
  apiTokenExpiresAt?: string;
}

export interface TokenStoreInputs {
  secretArn: string;
  region?: string;
}

interface CommonConnectionInputs {
  site: string;
  cloudId?: string;
  license?: LicenseInputs;
  requiredScopes?: string[];
  /** With `true`, a credential holding write, delete or manage scopes fails validation (default: a warning). */
  strictScopes?: boolean;
  /** Added by `check` (revisions.ts): the salt of the markers, and one non-secret marker per secret input. */
  revisionSalt?: string;
  credentialRevisions?: Record<string, string>;
}

/** An OAuth 2.0 (3LO) connector: the refresh token rotates, so its live value lives in the token store. */
export interface OAuthConnectionInputs extends CommonConnectionInputs {
  oauth: OAuthInputs;
  tokenStore: TokenStoreInputs;
  scopedApiToken?: undefined;
}

/** A scoped-API-token connector: no refresh token, no token store. */
export interface ScopedConnectionInputs extends CommonConnectionInputs {
  scopedApiToken: ScopedApiTokenInputs;
  oauth?: undefined;
  tokenStore?: undefined;
}

/** Checked inputs: exactly one authentication method (check enforces it). */
export type ConnectionInputs = OAuthConnectionInputs | ScopedConnectionInputs;

export const authMethodOf = (inputs: ConnectionInputs): AuthMethod => (inputs.scopedApiToken ? "scoped-api-token" : "oauth");

export interface ProductSeats {
  key: string;
  name: string;
  numberOfSeats: number | null;
  remainingSeats: number | null;
  userCount: number | null;
  hasUnlimitedSeats: boolean;
  /** `PAID` | `FREE` | `UNLICENSED`, from `instance/license`; null when the license has no entry for the product. */
  plan: string | null;
}

/** Fingerprints of the secret inputs: equal fingerprints ⇔ unchanged credential. */
export interface CredentialFingerprints {
  clientSecret?: string;
  refreshToken?: string;
  apiToken?: string;
  scopedApiToken?: string;
}

export interface ConnectionOutputs {
  siteName: string;
  siteUrl: string;
  cloudId: string;
  /** The cloud ID as configured (undefined when derived), so removing or adding an equal one is not a change. */
  configuredCloudId?: string;
  /** Absent in state written before scoped tokens existed: those connectors are OAuth. */
  authMethod?: AuthMethod;
  /** OAuth only. */
  clientId?: string;
  /** Scoped API token only: the token's account email and its expiry. */
  scopedApiTokenEmail?: string;
  scopedApiTokenExpiresAt?: string;
  strictScopes?: boolean;
  licenseEmail?: string;
  apiTokenExpiresAt?: string;
  requiredScopes: string[];
  /** OAuth: the grant's scopes (Atlassian reports them). Scoped token: the scopes probing proved held. */
  grantedScopes: string[];
  /** Least-privilege and quota findings of the last validation (also logged as warnings at `pulumi up`). */
  warnings?: string[];
  products: ProductSeats[];
  licenseAccountId?: string;
  validatedAt: string;
  /** OAuth only. */
  refreshTokenFamilyStartedAt?: string;
  /** OAuth only: the configured `oauth.refreshTokenIssuedAt`, echoed so a change of it shows in the diff. */
  refreshTokenIssuedAt?: string;
  /** When the live refresh token was last rotated (set by `pulumi refresh` from the token store). */
  refreshTokenRotatedAt?: string;
  /** OAuth only. */
  tokenStore?: { secretArn: string; region: string };
  fingerprintSalt: string;
  fingerprints: CredentialFingerprints;
  /** Echoed from the checked inputs (revisions.ts); absent in state written before markers existed. */
  revisionSalt?: string;
  credentialRevisions?: Record<string, string>;
}
