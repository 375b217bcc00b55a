import { createHash, randomBytes } from "crypto";
import type { ConnectionInputs, CredentialFingerprints } from "./inputs";

/**
 * Salted, truncated SHA-256 of a credential: lets `diff` tell a changed secret from an unchanged one without
 * storing it. Credentials are high-entropy tokens, so a salted hash is not reversible in practice; the per-resource
 * salt stops a fingerprint from being compared across stacks. Domain separation keeps one credential's
 * fingerprint from matching another's.
 */
export function fingerprint(salt: string, purpose: keyof CredentialFingerprints, value: string): string {
  return createHash("sha256").update(`jira-connector/v1\u0000${purpose}\u0000${salt}\u0000${value}`).digest("hex").slice(0, 32);
}

export function newFingerprintSalt(): string {
  return randomBytes(16).toString("hex");
}

export function fingerprintsOf(salt: string, inputs: Pick<ConnectionInputs, "oauth" | "scopedApiToken" | "license">): CredentialFingerprints {
  return {
    ...(inputs.oauth
      ? { clientSecret: fingerprint(salt, "clientSecret", inputs.oauth.clientSecret), refreshToken: fingerprint(salt, "refreshToken", inputs.oauth.refreshToken) }
      : {}),
    ...(inputs.scopedApiToken ? { scopedApiToken: fingerprint(salt, "scopedApiToken", inputs.scopedApiToken.apiToken) } : {}),
    ...(inputs.license ? { apiToken: fingerprint(salt, "apiToken", inputs.license.apiToken) } : {}),
  };
}
