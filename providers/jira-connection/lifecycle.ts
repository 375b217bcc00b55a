import { AtlassianClient } from "../../atlassian/client";
import { resolveEndpoints } from "../../atlassian/endpoints";
import { adoptFamilyStart, createSecretsManagerStore, saveIfNewer, seedFingerprint } from "../../token-store";
import { earlierFamilyStart } from "../../token-store/record";
import { changedProperties } from "./diff";
import { fingerprintsOf, newFingerprintSalt } from "./fingerprint";
import { estimateOauthCollection } from "../../atlassian/quota/quota-estimate";
import { authMethodOf, type ConnectionInputs, type ConnectionOutputs, type OAuthConnectionInputs } from "./inputs";
import { ConnectionValidationError } from "./problems";
import { type OAuthPlan, validateConnection, type ValidationDeps, type ValidationResult } from "./validate";
import { validateScopedConnection } from "./validate-scoped";

/**
 * create / update / read / delete of a JiraConnection, with I/O built per call (never captured at module level,
 * so the provider serializes cleanly). See README "JiraConnection" for the rules each step enforces.
 */

/** Builds the I/O of one validation; `tokenStore` is undefined for a scoped-API-token connector (it has none). */
export type DepsFactory = (tokenStore: { secretArn: string; region: string } | undefined) => ValidationDeps;

export const defaultDeps: DepsFactory = (tokenStore) => ({
  atlassian: new AtlassianClient(),
  store: tokenStore ? createSecretsManagerStore({ secretArn: tokenStore.secretArn, region: tokenStore.region }) : NO_TOKEN_STORE,
  now: () => new Date(),
});

/** A scoped-token connector's "store": validation never touches it; any use is a bug, reported as one. */
const NO_TOKEN_STORE = new Proxy({} as ValidationDeps["store"], {
  get: (_target, property) => (property === "then" ? undefined : () => Promise.reject(new Error("a scoped-API-token connector has no token store"))),
});

export async function createConnection(inputs: ConnectionInputs, deps: DepsFactory = defaultDeps) {
  if (inputs.scopedApiToken) {
    const d = deps(undefined);
    const result = await validateScopedConnection(d, inputs);
    if (result.problems.length > 0) throw new ConnectionValidationError(inputs.site, result.problems, false);
    const outs = outputsOf(inputs, result, newFingerprintSalt(), d.now());
    return { id: `${outs.siteName}/${outs.cloudId}`, outs };
  }
  const d = deps(storeOf(inputs));
  const result = await validateConnection(d, inputs, { kind: "exchange-configured" }, true);
  if (result.problems.length > 0) throw new ConnectionValidationError(inputs.site, result.problems, result.tokenStored);
  const outs = outputsOf(inputs, result, newFingerprintSalt(), d.now());
  return { id: `${outs.siteName}/${outs.cloudId}`, outs };
}

export async function updateConnection(olds: ConnectionOutputs, news: ConnectionInputs, deps: DepsFactory = defaultDeps) {
  if (news.scopedApiToken) {
    // Validating a scoped token consumes nothing, so every update re-validates it (also after a switch from OAuth:
    // the old grant's live token stays in its secret; revoke the app's access in the Atlassian account settings).
    const d = deps(undefined);
    const result = await validateScopedConnection(d, news);
    if (result.problems.length > 0) throw new ConnectionValidationError(news.site, result.problems, false);
    return { outs: outputsOf(news, result, olds.fingerprintSalt, d.now()) };
  }
  return updateOAuthConnection(olds, news, deps);
}

async function updateOAuthConnection(olds: ConnectionOutputs, news: OAuthConnectionInputs, deps: DepsFactory) {
  const changed = changedProperties(olds, news as unknown as Record<string, unknown>);
  const d = deps(storeOf(news));
  let plan: OAuthPlan;
  // A connector switching from a scoped token to OAuth has no grant yet: its configured token is exchanged.
  if (changed.includes("oauth.refreshToken") || olds.authMethod === "scoped-api-token") plan = { kind: "exchange-configured" };
  else if (changed.includes("oauth.clientId") || changed.includes("oauth.clientSecret")) plan = { kind: "exchange-live" };
  else plan = { kind: "none", grantedScopes: olds.grantedScopes, familyStartedAt: olds.refreshTokenFamilyStartedAt ?? olds.validatedAt };

  // A new token store inherits the live token (the configured one is dead after the first `up`).
  if (plan.kind !== "exchange-configured" && changed.includes("tokenStore.secretArn") && olds.tokenStore) {
    const previous = await deps(olds.tokenStore).store.read();
    if (!previous) {
      throw new ConnectionValidationError(news.site, [
        { property: "tokenStore.secretArn", message: `the previous token store (${olds.tokenStore.secretArn}) holds no refresh token to move; supply a new oauth.refreshToken` },
      ], false);
    }
    const { version: _version, lease: _lease, ...record } = previous;
    const moved = await saveIfNewer(d.store, record, { now: d.now().getTime() });
    if (!moved.written && moved.stored.refreshToken !== record.refreshToken) {
      throw new ConnectionValidationError(news.site, [
        { property: "tokenStore.secretArn", message: `the live refresh token was not moved to ${news.tokenStore.secretArn}: ${moved.notWrittenReason}. Empty the new secret, or supply a new oauth.refreshToken (jira-connector authorize)` },
      ], false);
    }
  }

  const licenseChanged = changed.some((p) => p === "license" || p.startsWith("license."));
  const result = await validateConnection(d, news, plan, licenseChanged);
  if (result.problems.length > 0) throw new ConnectionValidationError(news.site, result.problems, result.tokenStored);
  if (plan.kind !== "exchange-configured") await adoptConsentTime(d, news, result);
  if (!licenseChanged && news.license) {
    result.products = olds.products;
    result.licenseAccountId = olds.licenseAccountId;
  } else if (!news.license && result.products.length === 0) {
    result.products = olds.products;
  }
  return { outs: outputsOf(news, result, olds.fingerprintSalt, d.now()) };
}

/**
 * A consent time given after the family was seeded (e.g. added to the program later) moves the stored family's
 * start earlier, without presenting a token; it never moves it later. A run using the token right now leaves it
 * alone (a warning: the next `pulumi up` retries).
 */
async function adoptConsentTime(d: ReturnType<DepsFactory>, news: OAuthConnectionInputs, result: ValidationResult): Promise<void> {
  const issuedAt = news.oauth.refreshTokenIssuedAt;
  if (!issuedAt) return;
  // Nothing is presented here, so a store failure only leaves the start as recorded: a warning, not a failed update.
  const outcome = await adoptFamilyStart(d.store, { seededFrom: seedFingerprint(news.oauth.refreshToken), familyStartedAt: issuedAt, now: d.now }).catch((error: unknown) => {
    const code = (error as { code?: unknown })?.code;
    result.warnings.push(`oauth.refreshTokenIssuedAt: the consent time was not recorded in the token store (${typeof code === "string" ? code : "store error"}); run \`pulumi up\` again`);
    return undefined;
  });
  if (!outcome) return;
  if (outcome.kind === "moved" || outcome.kind === "already-earlier") result.familyStartedAt = outcome.familyStartedAt;
  else if (outcome.kind === "busy") {
    result.familyStartedAt = earlierFamilyStart(result.familyStartedAt ?? issuedAt, issuedAt);
    result.warnings.push("oauth.refreshTokenIssuedAt: a collector run was using the refresh token, so the token store still records the family's start as its first use; run `pulumi up` again to record the consent time there (the expiry alarm counts from the store's value)");
  } else if (outcome.kind === "other-family") {
    result.warnings.push("oauth.refreshTokenIssuedAt: the token store holds a token of another grant than oauth.refreshToken (seeded by `jira-connector check`/`collect`?), so its family start was left as recorded");
  }
}

/**
 * `pulumi refresh`: no token exchange (that would consume the live token). Re-checks that the site still maps to
 * the stored cloud ID and reads the live token's metadata, returning current values so drift shows in the diff.
 * The license credentials cannot be re-checked here: `read` receives only outputs, which by design hold no secret.
 */
export async function readConnection(id: string, props: ConnectionOutputs, deps: DepsFactory = defaultDeps) {
  const d = deps(props.tokenStore);
  const [cloudId, stored] = await Promise.all([d.atlassian.cloudId(props.siteName), props.tokenStore ? d.store.read() : undefined]);
  return {
    id,
    props: {
      ...props,
      cloudId,
      // Never an explicit undefined: the host cannot serialize one (a scoped connector has no family).
      ...(stored?.familyStartedAt ?? props.refreshTokenFamilyStartedAt ? { refreshTokenFamilyStartedAt: stored?.familyStartedAt ?? props.refreshTokenFamilyStartedAt } : {}),
      ...(stored ? { refreshTokenRotatedAt: stored.rotatedAt } : {}),
    },
  };
}

/**
 * `pulumi destroy`: nothing to call at Atlassian (3LO grants are revoked by the admin in their account settings;
 * there is no API), and the token store's secret belongs to whoever created it. So delete is local and succeeds
 * even when Atlassian is unreachable.
 */
export async function deleteConnection(): Promise<void> {}

function storeOf(inputs: OAuthConnectionInputs): { secretArn: string; region: string } {
  return { secretArn: inputs.tokenStore.secretArn, region: inputs.tokenStore.region ?? inputs.tokenStore.secretArn.split(":")[3]! };
}

/**
 * Warnings `pulumi up` shows: the validation's (least privilege) and, for OAuth without a license account, the
 * share of the app's hourly points quota one collection would take.
 */
function warningsOf(inputs: ConnectionInputs, result: ValidationResult): string[] {
  const warnings = [...result.warnings];
  if (inputs.oauth && !inputs.license) {
    const estimate = estimateOauthCollection(result.products);
    if (estimate.warn) warnings.push(`oauth: ${estimate.message}`);
  }
  return warnings;
}

function outputsOf(inputs: ConnectionInputs, result: ValidationResult, salt: string, now: Date): ConnectionOutputs {
  const siteUrl = resolveEndpoints().siteUrl(inputs.site);
  const method = authMethodOf(inputs);
  const warnings = warningsOf(inputs, result);
  return {
    siteName: inputs.site,
    siteUrl,
    cloudId: result.cloudId!,
    ...(inputs.cloudId ? { configuredCloudId: inputs.cloudId } : {}),
    authMethod: method,
    ...(inputs.oauth ? { clientId: inputs.oauth.clientId } : {}),
    ...(inputs.scopedApiToken ? { scopedApiTokenEmail: inputs.scopedApiToken.email, scopedApiTokenExpiresAt: inputs.scopedApiToken.expiresAt } : {}),
    ...(inputs.license ? { licenseEmail: inputs.license.email } : {}),
    ...(inputs.license?.apiTokenExpiresAt ? { apiTokenExpiresAt: inputs.license.apiTokenExpiresAt } : {}),
    ...(inputs.strictScopes !== undefined ? { strictScopes: inputs.strictScopes } : {}),
    requiredScopes: inputs.requiredScopes ?? [],
    grantedScopes: result.grantedScopes,
    warnings,
    products: result.products,
    ...(result.licenseAccountId ? { licenseAccountId: result.licenseAccountId } : {}),
    validatedAt: now.toISOString(),
    ...(inputs.oauth ? { refreshTokenFamilyStartedAt: result.familyStartedAt ?? now.toISOString(), tokenStore: storeOf(inputs) } : {}),
    ...(inputs.oauth?.refreshTokenIssuedAt ? { refreshTokenIssuedAt: inputs.oauth.refreshTokenIssuedAt } : {}),
    fingerprintSalt: salt,
    fingerprints: fingerprintsOf(salt, inputs),
    ...(inputs.revisionSalt ? { revisionSalt: inputs.revisionSalt, credentialRevisions: inputs.credentialRevisions ?? {} } : {}),
  };
}

