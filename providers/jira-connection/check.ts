import { z } from "zod";
import { CLOUD_ID_PATTERN } from "../../atlassian/tenant-info";
import { DEFAULT_REQUIRED_SCOPES, OFFLINE_ACCESS } from "../../atlassian/scopes";
import { normalizeSiteName, siteNameProblem } from "../../atlassian/site-name";
import { type ConnectionInputs, UNKNOWN } from "./inputs";

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

const isUnknown = (value: unknown) => value === UNKNOWN;

export function checkConnectionInputs(
  news: Record<string, unknown>,
  now: Date = new Date(),
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
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

  // oauth
  const oauth = objectOrFail(news.oauth, "oauth", "set oauth: { clientId, clientSecret, refreshToken } from the OAuth 2.0 (3LO) app", fail);
  if (oauth) {
    requiredString(oauth.clientId, "oauth.clientId", "copy the Client ID from the app's Settings page in the Atlassian developer console", fail, { noSpaces: true });
    requiredString(oauth.clientSecret, "oauth.clientSecret", "copy the Secret from the app's Settings page in the Atlassian developer console", fail, { noSpaces: true });
    requiredString(oauth.refreshToken, "oauth.refreshToken", "run `jira-connector authorize` to obtain one and store it as a Pulumi secret", fail, { noSpaces: true });
  }

  // license
  if (news.license !== undefined && news.license !== null) {
    const license = objectOrFail(news.license, "license", "set license: { email, apiToken } or omit it", fail);
    if (license) {
      if (!isUnknown(license.email) && !z.email().safeParse(license.email).success) {
        fail("license.email", "must be the email address of the Atlassian account that owns the API token");
      }
      requiredString(license.apiToken, "license.apiToken", "create one at https://id.atlassian.com/manage-profile/security/api-tokens", fail, { noSpaces: true });
      const expires = license.apiTokenExpiresAt;
      if (expires !== undefined && expires !== null && !isUnknown(expires)) {
        const parsed = typeof expires === "string" && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(expires) ? Date.parse(expires) : NaN;
        if (Number.isNaN(parsed)) fail("license.apiTokenExpiresAt", "must be an ISO date such as 2027-03-31 (the expiry you chose when creating the token)");
        else if (parsed <= now.getTime()) fail("license.apiTokenExpiresAt", `the API token expired on ${expires}; create a new token and update license.apiToken and this date`);
      }
    }
  }

  // requiredScopes
  if (news.requiredScopes === undefined || news.requiredScopes === null) {
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

  // tokenStore
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

function objectOrFail(
  value: unknown,
  property: string,
  fix: string,
  fail: (property: string, reason: string) => void,
): Record<string, unknown> | undefined {
  if (isUnknown(value)) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fail(property, `is missing or not an object; ${fix}`);
    return undefined;
  }
  return value as Record<string, unknown>;
}

function requiredString(
  value: unknown,
  property: string,
  fix: string,
  fail: (property: string, reason: string) => void,
  options: { noSpaces?: boolean } = {},
): void {
  if (isUnknown(value)) return;
  if (typeof value !== "string" || value.trim() === "") fail(property, `is missing or empty; ${fix}`);
  else if (options.noSpaces && /\s/.test(value)) fail(property, `contains whitespace (a copy-paste error?); ${fix}`);
}

/** Typed view of checked inputs, for create/update (which never see unknowns). */
export function asConnectionInputs(inputs: Record<string, unknown>): ConnectionInputs {
  return inputs as unknown as ConnectionInputs;
}
