import { z } from "zod";
import { CLOUD_ID_PATTERN } from "../../atlassian/tenant-info";
import { DEFAULT_REQUIRED_SCOPES, OFFLINE_ACCESS } from "../../atlassian/scopes";
import { requiredConnectorScopes } from "../../atlassian/scope-probes";
import { authMethodProblem, checkExpiry, checkScopedApiToken } from "./check-auth";
import { isUnknown, objectOrFail, requiredString } from "./check-fields";
import { normalizeSiteName, siteNameProblem } from "../../atlassian/site-name";
import type { ConnectionInputs } from "./inputs";
import { consentTimeProblem } from "../../token-store/consent-time";
import { CREDENTIAL_REVISIONS, credentialRevisions, REVISION_SALT, revisionSaltOf } from "./revisions";

/**
 * `check`: pure (no network, no AWS). Returns normalised inputs and one failure per bad property, each naming the
 * property and the fix. Values still unknown during preview (the sentinel) are accepted as they are.
 */
export interface CheckFailure {
  property: string;
  reason: string;
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):secret:[A-Za-z0-9/_+=.@-]{1,512}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const SCOPE = /^[a-z][a-z0-9:._-]*$/;

export function checkConnectionInputs(
  news: Record<string, unknown>,
  now: Date = new Date(),
  olds: Record<string, unknown> = {},
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const checked = checkFields(news, now);
  // Not secret, so the engine's diff display names the credential that changed (see revisions.ts).
  const salt = revisionSaltOf(olds);
  checked.inputs[REVISION_SALT] = salt;
  checked.inputs[CREDENTIAL_REVISIONS] = credentialRevisions(checked.inputs, salt);
  return checked;
}

function checkFields(news: Record<string, unknown>, now: Date): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason: `${property}: ${reason}` });
  const inputs: Record<string, unknown> = { ...news };

  // site
  if (!isUnknown(news.site)) {
    const problem = siteNameProblem(news.site);
    if (problem) fail("site", problem);
    else inputs.site = normalizeSiteName(news.site);
  }

  // cloudId
  if (news.cloudId !== undefined && news.cloudId !== null && !isUnknown(news.cloudId)) {
    if (typeof news.cloudId !== "string" || !CLOUD_ID_PATTERN.test(news.cloudId)) {
      fail("cloudId", "must be the site's cloud ID, a UUID from https://<site>.atlassian.net/_edge/tenant_info; omit it to derive it");
    } else inputs.cloudId = news.cloudId.toLowerCase();
  }

  // authentication: exactly one method
  const method = authMethodProblem(news, fail);
  if (method === "oauth") {
    const oauth = objectOrFail(news.oauth, "oauth", "set oauth: { clientId, clientSecret, refreshToken } from the OAuth 2.0 (3LO) app", fail);
    if (oauth) {
      requiredString(oauth.clientId, "oauth.clientId", "copy the Client ID from the app's Settings page in the Atlassian developer console", fail, { noSpaces: true });
      requiredString(oauth.clientSecret, "oauth.clientSecret", "copy the Secret from the app's Settings page in the Atlassian developer console", fail, { noSpaces: true });
      requiredString(oauth.refreshToken, "oauth.refreshToken", "run `jira-connector authorize` to obtain one and store it as a Pulumi secret", fail, { noSpaces: true });
      if (oauth.refreshTokenIssuedAt !== undefined && oauth.refreshTokenIssuedAt !== null && !isUnknown(oauth.refreshTokenIssuedAt)) {
        const problem = consentTimeProblem("oauth.refreshTokenIssuedAt", oauth.refreshTokenIssuedAt, now.getTime());
        if (problem) failures.push({ property: "oauth.refreshTokenIssuedAt", reason: problem });
      }
    }
  } else if (method === "scoped-api-token") {
    checkScopedApiToken(news, now, fail);
  }

  // license (OAuth only: checkScopedApiToken refuses it next to a scoped token)
  if (method !== "scoped-api-token" && news.license !== undefined && news.license !== null) {
    const license = objectOrFail(news.license, "license", "set license: { email, apiToken } or omit it", fail);
    if (license) {
      if (!isUnknown(license.email) && !z.email().safeParse(license.email).success) {
        fail("license.email", "must be the email address of the Atlassian account that owns the API token");
      }
      requiredString(license.apiToken, "license.apiToken", "create one at https://id.atlassian.com/manage-profile/security/api-tokens", fail, { noSpaces: true });
      checkExpiry(license.apiTokenExpiresAt, "license.apiTokenExpiresAt", now, fail, { required: false });
    }
  }

  // requiredScopes (OAuth: Atlassian reports a grant's scopes; a scoped token's are probed, see validate-scoped.ts)
  if (method === "scoped-api-token") {
    if (news.requiredScopes !== undefined && news.requiredScopes !== null) {
      fail("requiredScopes", "applies to OAuth grants only; a scoped API token is checked by probing every read the connector makes — remove requiredScopes");
    } else inputs.requiredScopes = requiredConnectorScopes();
  } else if (news.requiredScopes === undefined || news.requiredScopes === null) {
    inputs.requiredScopes = [...DEFAULT_REQUIRED_SCOPES];
  } else if (!isUnknown(news.requiredScopes)) {
    const scopes = news.requiredScopes;
    if (!Array.isArray(scopes) || scopes.length === 0) {
      fail("requiredScopes", "must be a non-empty list of scope names, or omitted for the connector's 13 scopes + offline_access");
    } else {
      const bad = scopes.filter((s) => !isUnknown(s) && (typeof s !== "string" || !SCOPE.test(s)));
      if (bad.length > 0) fail("requiredScopes", `not scope names: ${bad.map((s) => JSON.stringify(s)).join(", ")}`);
      else if (!scopes.includes(OFFLINE_ACCESS) && !scopes.some(isUnknown)) {
        fail("requiredScopes", "must include offline_access, without which Atlassian issues no refresh token");
      } else inputs.requiredScopes = [...new Set(scopes as string[])];
    }
  }

  // strictScopes
  if (news.strictScopes !== undefined && news.strictScopes !== null && !isUnknown(news.strictScopes) && typeof news.strictScopes !== "boolean") {
    fail("strictScopes", "must be true (a credential with write, delete or manage scopes fails validation) or false (a warning), or omitted");
  }

  // tokenStore (OAuth only)
  if (method === "scoped-api-token") {
    if (news.tokenStore !== undefined && news.tokenStore !== null) {
      fail("tokenStore", "a scoped-API-token connector has no refresh token to store; remove tokenStore (after switching from OAuth, the old secret is no longer used)");
    }
    return { inputs, failures };
  }
  // Both or neither method: the failure above says what to do; a tokenStore failure would only add noise.
  if (method === undefined) return { inputs, failures };
  const store = objectOrFail(news.tokenStore, "tokenStore", "set tokenStore: { secretArn } to the Secrets Manager secret that holds the live refresh token", fail);
  if (store) {
    const arn = store.secretArn;
    let arnRegion: string | undefined;
    if (!isUnknown(arn)) {
      const match = typeof arn === "string" ? SECRET_ARN.exec(arn) : null;
      if (!match) fail("tokenStore.secretArn", "must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)");
      else arnRegion = match[1];
    }
    const region = store.region;
    if (region !== undefined && region !== null && !isUnknown(region)) {
      if (typeof region !== "string" || !REGION.test(region)) fail("tokenStore.region", "must be an AWS region such as eu-west-1");
      else if (arnRegion && region !== arnRegion) fail("tokenStore.region", `is ${region} but the secret ARN is in ${arnRegion}; omit region or make them agree`);
    }
    if (arnRegion && (region === undefined || region === null)) inputs.tokenStore = { ...store, region: arnRegion };
  }

  return { inputs, failures };
}

/** Typed view of checked inputs, for create/update (which never see unknowns). */
export function asConnectionInputs(inputs: Record<string, unknown>): ConnectionInputs {
  return inputs as unknown as ConnectionInputs;
}
