import { fingerprint } from "./fingerprint";
import { type ConnectionOutputs, UNKNOWN } from "./inputs";

/**
 * `diff`: pure. Compares the new (checked) inputs with the stored outputs — never `__provider`, so upgrading
 * this package shows no change. Site or cloud ID changes replace the connector (it becomes another Jira site);
 * credential changes update it — switching between `oauth` and `scopedApiToken` included. Secret inputs are compared through their fingerprints.
 */

export const REPLACE_PROPERTIES = ["site", "cloudId"] as const;

export function changedProperties(olds: Partial<ConnectionOutputs>, news: Record<string, unknown>): string[] {
  const changed: string[] = [];
  const oauth = news.oauth as Record<string, unknown> | undefined | null;
  const scoped = news.scopedApiToken as Record<string, unknown> | undefined | null;
  const license = news.license as Record<string, unknown> | undefined | null;
  const store = (news.tokenStore ?? {}) as Record<string, unknown>;
  const salt = olds.fingerprintSalt ?? "";
  const secretChanged = (purpose: "clientSecret" | "refreshToken" | "apiToken" | "scopedApiToken", value: unknown, old: string | undefined) =>
    value === UNKNOWN || typeof value !== "string" || old === undefined || fingerprint(salt, purpose, value) !== old;
  const differs = (a: unknown, b: unknown) => a === UNKNOWN || JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);

  if (differs(news.site, olds.siteName)) changed.push("site");
  if (news.cloudId !== undefined && news.cloudId !== null && differs(news.cloudId, olds.cloudId)) changed.push("cloudId");
  // State written before scoped tokens existed has no authMethod: those connectors are OAuth.
  const oldMethod = olds.authMethod ?? "oauth";
  if (oauth === undefined || oauth === null) {
    if (oldMethod === "oauth") changed.push("oauth");
  } else if (oauth === (UNKNOWN as unknown)) {
    changed.push("oauth");
  } else {
    if (differs(oauth.clientId, olds.clientId)) changed.push("oauth.clientId");
    if (secretChanged("clientSecret", oauth.clientSecret, olds.fingerprints?.clientSecret)) changed.push("oauth.clientSecret");
    if (secretChanged("refreshToken", oauth.refreshToken, olds.fingerprints?.refreshToken)) changed.push("oauth.refreshToken");
    if (differs(oauth.refreshTokenIssuedAt, olds.refreshTokenIssuedAt)) changed.push("oauth.refreshTokenIssuedAt");
  }
  if (scoped === undefined || scoped === null) {
    if (oldMethod === "scoped-api-token") changed.push("scopedApiToken");
  } else if (scoped === (UNKNOWN as unknown)) {
    changed.push("scopedApiToken");
  } else {
    if (differs(scoped.email, olds.scopedApiTokenEmail)) changed.push("scopedApiToken.email");
    if (secretChanged("scopedApiToken", scoped.apiToken, olds.fingerprints?.scopedApiToken)) changed.push("scopedApiToken.apiToken");
    if (differs(scoped.expiresAt, olds.scopedApiTokenExpiresAt)) changed.push("scopedApiToken.expiresAt");
  }
  if (differs(news.strictScopes ?? false, olds.strictScopes ?? false)) changed.push("strictScopes");
  if (license === undefined || license === null) {
    if (olds.licenseEmail !== undefined || olds.fingerprints?.apiToken !== undefined) changed.push("license");
  } else if (license === (UNKNOWN as unknown)) {
    changed.push("license");
  } else {
    if (differs(license.email, olds.licenseEmail)) changed.push("license.email");
    if (secretChanged("apiToken", license.apiToken, olds.fingerprints?.apiToken)) changed.push("license.apiToken");
    if (differs(license.apiTokenExpiresAt, olds.apiTokenExpiresAt)) changed.push("license.apiTokenExpiresAt");
  }
  const scopes = news.requiredScopes;
  if (scopes === UNKNOWN || !Array.isArray(scopes) || differs([...scopes].sort(), [...(olds.requiredScopes ?? [])].sort())) {
    changed.push("requiredScopes");
  }
  if (news.tokenStore === undefined || news.tokenStore === null) {
    if (olds.tokenStore !== undefined) changed.push("tokenStore");
  } else {
    if (differs(store.secretArn, olds.tokenStore?.secretArn)) changed.push("tokenStore.secretArn");
    if (store.region !== undefined && differs(store.region, olds.tokenStore?.region)) changed.push("tokenStore.region");
  }
  return changed;
}

/**
 * The connector's id (`<site>/<cloudId>`) keeps the cloud ID it was created for. After `pulumi refresh` read that
 * the site now maps to another cloud ID (stored in `cloudId`), the two differ: that is drift of `cloudId`, which
 * the engine's refresh diff (provider `diff` of the refreshed outputs against the program's inputs) must report.
 */
export function cloudIdDrifted(id: string | undefined, olds: Partial<ConnectionOutputs>): boolean {
  const slash = id?.indexOf("/") ?? -1;
  if (id === undefined || slash < 0 || typeof olds.cloudId !== "string") return false;
  return id.slice(slash + 1).toLowerCase() !== olds.cloudId.toLowerCase();
}

export function diffConnection(
  olds: Partial<ConnectionOutputs>,
  news: Record<string, unknown>,
  id?: string,
): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  const changed = changedProperties(olds, news);
  if (!changed.includes("cloudId") && cloudIdDrifted(id, olds)) changed.push("cloudId");
  const replaces = changed.filter((p) => (REPLACE_PROPERTIES as readonly string[]).includes(p));
  // Create-before-delete is right: the new connector (another site) has its own grant and token store entry.
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
}
