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
}

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

export interface ConnectionInputs {
  site: string;
  cloudId?: string;
  oauth: OAuthInputs;
  license?: LicenseInputs;
  requiredScopes?: string[];
  tokenStore: TokenStoreInputs;
}

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
  clientSecret: string;
  refreshToken: string;
  apiToken?: string;
}

export interface ConnectionOutputs {
  siteName: string;
  siteUrl: string;
  cloudId: string;
  /** The cloud ID as configured (undefined when derived), so removing or adding an equal one is not a change. */
  configuredCloudId?: string;
  clientId: string;
  licenseEmail?: string;
  apiTokenExpiresAt?: string;
  requiredScopes: string[];
  grantedScopes: string[];
  products: ProductSeats[];
  licenseAccountId?: string;
  validatedAt: string;
  refreshTokenFamilyStartedAt: string;
  /** When the live refresh token was last rotated (set by `pulumi refresh` from the token store). */
  refreshTokenRotatedAt?: string;
  tokenStore: { secretArn: string; region: string };
  fingerprintSalt: string;
  fingerprints: CredentialFingerprints;
}
