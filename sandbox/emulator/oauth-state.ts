/**
 * Pure OAuth 2.0 (3LO) state: authorization codes, grants, refresh-token families and access tokens.
 * Rotation rules follow atlassian-api.md §3.3; time is always passed in, so the emulator's clock drives it.
 */
import { randomBytes } from "node:crypto";
import { DAY, HOUR, MINUTE } from "./clock";

export const LEEWAY_MS = 10 * MINUTE; // reuse window of a rotated-out refresh token (and its access token)
export const INACTIVITY_MS = 90 * DAY; // since the current refresh token was issued
export const ABSOLUTE_MS = 365 * DAY; // since the family's first consent, not extended by refreshing
export const ACCESS_TTL_MS = HOUR;
export const CODE_TTL_MS = 10 * MINUTE; // [A] Auth0-like; Atlassian does not document it

export type RevokedReason = "reuse" | "inactivity" | "absolute-expiry" | "code-reuse" | "revoked-by-user";

export interface Family {
  id: string;
  clientId: string;
  accountId: string;
  scopes: string[];
  createdAt: number;
  revoked: boolean;
  revokedReason?: RevokedReason;
  rotations: number;
  /** Current refresh token; undefined when the grant has no `offline_access`. */
  current?: string;
  grantKey: string;
  /** Family created from this authorization code (revoked when the code is replayed [A], as RFC 6749 §4.1.2 advises). */
  code?: string;
}

interface RefreshRecord {
  familyId: string;
  issuedAt: number;
  retiredAt?: number;
}

interface AccessRecord {
  familyId: string;
  /** Companion refresh token: when its leeway ends this access token dies too. */
  refreshToken?: string;
  expiresAt: number;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  accountId: string;
  scopes: string[];
  sites: string[];
  expiresAt: number;
  used: boolean;
  familyId?: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
  scope: string;
  familyId: string;
}

export type Failure<R extends string> = { ok: false; reason: R };
export type RefreshResult = { ok: true; pair: TokenPair } | Failure<"unknown" | "wrong-client" | "revoked" | "reused" | "inactive" | "expired">;
export type CodeResult = { ok: true; pair: TokenPair } | Failure<"unknown" | "wrong-client" | "used" | "expired" | "redirect-mismatch">;
export type AccessResult = { ok: true; family: Family; sites: string[] } | Failure<"unknown" | "revoked" | "expired" | "companion-revoked">;

export type TokenFactory = (kind: "code" | "access" | "refresh" | "family", claims?: Record<string, unknown>) => string;

/** Opaque random tokens; access tokens look like JWTs (some clients peek at `exp`) but are not signed. */
export const randomTokens: TokenFactory = (kind, claims) => {
  const rnd = (n: number) => randomBytes(n).toString("base64url");
  if (kind === "access") {
    const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "emulator" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify({ ...claims, jti: rnd(12) })).toString("base64url");
    return `${header}.${payload}.${rnd(64)}`;
  }
  if (kind === "family") return `fam-${rnd(9)}`;
  return kind === "code" ? rnd(24) : `eyJ${rnd(96)}`;
};

export class OAuthState {
  private readonly families = new Map<string, Family>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();
  private readonly codes = new Map<string, CodeRecord>();
  /** One grant per (app, account); consenting to more sites adds them to it (§3.1). */
  private readonly grants = new Map<string, Set<string>>();

  constructor(private readonly tokens: TokenFactory = randomTokens) {}

  issueCode(c: Omit<CodeRecord, "expiresAt" | "used" | "familyId">, now: number): string {
    const code = this.tokens("code");
    this.codes.set(code, { ...c, expiresAt: now + CODE_TTL_MS, used: false });
    return code;
  }

  redeemCode(code: string, clientId: string, redirectUri: string | undefined, now: number): CodeResult {
    const rec = this.codes.get(code);
    if (!rec) return { ok: false, reason: "unknown" };
    if (rec.clientId !== clientId) return { ok: false, reason: "wrong-client" };
    if (rec.used) {
      const family = rec.familyId ? this.families.get(rec.familyId) : undefined;
      if (family) this.revoke(family, "code-reuse");
      return { ok: false, reason: "used" };
    }
    // Any redemption attempt by the right client burns the code, even one that then fails [A: as Keycloak
    // and other single-use code stores do; a wrong client secret fails earlier and does not burn it].
    rec.used = true;
    if (now >= rec.expiresAt) return { ok: false, reason: "expired" };
    if (redirectUri !== rec.redirectUri) return { ok: false, reason: "redirect-mismatch" };
    const pair = this.createFamily(rec.clientId, rec.accountId, rec.scopes, rec.sites, now);
    rec.familyId = pair.familyId;
    this.families.get(pair.familyId)!.code = code;
    return { ok: true, pair };
  }

  /** A fresh family (one consent). A refresh token exists only when `offline_access` was granted. */
  createFamily(clientId: string, accountId: string, scopes: string[], sites: string[], now: number): TokenPair {
    const grantKey = `${clientId}\u0000${accountId}`;
    const siteSet = this.grants.get(grantKey) ?? new Set<string>();
    sites.forEach((s) => siteSet.add(s));
    this.grants.set(grantKey, siteSet);
    const family: Family = { id: this.tokens("family"), clientId, accountId, scopes: [...scopes], createdAt: now, revoked: false, rotations: 0, grantKey };
    this.families.set(family.id, family);
    if (scopes.includes("offline_access")) {
      family.current = this.tokens("refresh");
      this.refreshTokens.set(family.current, { familyId: family.id, issuedAt: now });
    }
    return this.pair(family, family.current, now, true);
  }

  /**
   * Refresh-token grant. `rotate: false` models the field report of a response without `refresh_token`: a new
   * access token is issued against the presented refresh token, which stays current [A].
   */
  refresh(token: string, clientId: string, now: number, rotate = true): RefreshResult {
    const rec = this.refreshTokens.get(token);
    if (!rec) return { ok: false, reason: "unknown" };
    const family = this.families.get(rec.familyId)!;
    if (family.clientId !== clientId) return { ok: false, reason: "wrong-client" };
    if (family.revoked) return { ok: false, reason: "revoked" };
    if (now >= family.createdAt + ABSOLUTE_MS) {
      this.revoke(family, "absolute-expiry");
      return { ok: false, reason: "expired" };
    }
    if (rec.retiredAt === undefined) {
      if (now >= rec.issuedAt + INACTIVITY_MS) {
        this.revoke(family, "inactivity");
        return { ok: false, reason: "inactive" };
      }
    } else if (now >= rec.retiredAt + LEEWAY_MS) {
      // Replay of a rotated-out token outside the leeway: treat as theft, kill the whole family.
      this.revoke(family, "reuse");
      return { ok: false, reason: "reused" };
    }
    if (!rotate) return { ok: true, pair: this.pair(family, token, now, false) };
    // Inside the leeway a retired token still rotates; the fresh pair becomes current [A: Auth0 semantics].
    const current = family.current ? this.refreshTokens.get(family.current) : undefined;
    if (current && current.retiredAt === undefined) current.retiredAt = now;
    rec.retiredAt ??= now;
    family.current = this.tokens("refresh");
    this.refreshTokens.set(family.current, { familyId: family.id, issuedAt: now });
    family.rotations++;
    return { ok: true, pair: this.pair(family, family.current, now, true) };
  }

  validateAccess(token: string, now: number): AccessResult {
    const rec = this.accessTokens.get(token);
    if (!rec) return { ok: false, reason: "unknown" };
    const family = this.families.get(rec.familyId)!;
    if (family.revoked) return { ok: false, reason: "revoked" };
    if (now >= rec.expiresAt) return { ok: false, reason: "expired" };
    const companion = rec.refreshToken ? this.refreshTokens.get(rec.refreshToken) : undefined;
    if (companion?.retiredAt !== undefined && now >= companion.retiredAt + LEEWAY_MS) return { ok: false, reason: "companion-revoked" };
    return { ok: true, family, sites: [...(this.grants.get(family.grantKey) ?? [])] };
  }

  family(idOrRefreshToken: string): Family | undefined {
    const direct = this.families.get(idOrRefreshToken);
    if (direct) return direct;
    const rec = this.refreshTokens.get(idOrRefreshToken);
    return rec ? this.families.get(rec.familyId) : undefined;
  }

  /** The user removes the app's access (Atlassian account → Connected apps): the whole grant dies. */
  revokeFamily(idOrRefreshToken: string): boolean {
    const family = this.family(idOrRefreshToken);
    if (!family) return false;
    this.revoke(family, "revoked-by-user");
    return true;
  }

  private revoke(family: Family, reason: RevokedReason): void {
    if (family.revoked) return;
    family.revoked = true;
    family.revokedReason = reason;
  }

  private pair(family: Family, refreshToken: string | undefined, now: number, returnRefresh: boolean): TokenPair {
    const expiresAt = now + ACCESS_TTL_MS;
    const accessToken = this.tokens("access", {
      sub: family.accountId,
      iss: "https://auth.atlassian.com",
      aud: "api.atlassian.com",
      client_id: family.clientId,
      scope: family.scopes.join(" "),
      iat: Math.floor(now / 1000),
      exp: Math.floor(expiresAt / 1000),
    });
    this.accessTokens.set(accessToken, { familyId: family.id, refreshToken, expiresAt });
    return {
      accessToken,
      refreshToken: returnRefresh ? refreshToken : undefined,
      expiresIn: ACCESS_TTL_MS / 1000,
      scope: family.scopes.join(" "),
      familyId: family.id,
    };
  }
}
