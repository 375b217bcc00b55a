/**
 * The provider's input properties in CLI terms. Typed errors and check failures name the property to fix
 * (`oauth.refreshToken`), which is right in a Pulumi program but not at a prompt, where the fix is a flag. Pure.
 */

/** The provider's input property → the CLI flag that sets it. */
export const FLAG_OF_PROPERTY: Record<string, string> = {
  site: "--site",
  cloudId: "--cloud-id",
  "oauth.clientId": "--client-id",
  "oauth.clientSecret": "--client-secret",
  "oauth.refreshToken": "--refresh-token",
  "oauth.refreshTokenIssuedAt": "--refresh-token-issued-at",
  "license.email": "--license-email",
  "license.apiToken": "--api-token",
  "tokenStore.secretArn": "--token-file / --token-secret-arn",
  scopedApiToken: "--scoped-api-token",
  "scopedApiToken.email": "--scoped-token-email",
  "scopedApiToken.apiToken": "--scoped-api-token",
  "scopedApiToken.expiresAt": "--scoped-token-expires-at",
};

// Only names that cannot be ordinary words: "site" stays (a message says "the site"), dotted paths and camelCase go.
const REPLACEABLE = Object.keys(FLAG_OF_PROPERTY)
  .filter((p) => /[.A-Z]/.test(p))
  .sort((a, b) => b.length - a.length);
const PATTERN = new RegExp(`(?<![\\w.-])(${REPLACEABLE.map((p) => p.replace(/\./g, "\\.")).join("|")})(?![\\w-]|\\.\\w)`, "g");

/** `text` with every provider property name that has a flag replaced by the flag. */
export function inFlagTerms(text: string): string {
  return text.replace(PATTERN, (property) => FLAG_OF_PROPERTY[property] ?? property);
}

/** The flag that fixes `property`, or the property itself when no flag sets it. */
export function flagOf(property: string): string {
  return FLAG_OF_PROPERTY[property] ?? property;
}
