/** API tokens (classic and scoped) and parsing of the Authorization header. */
import { randomBytes } from "node:crypto";
import { DAY } from "./clock";

export interface ApiTokenRecord {
  /** [A] Tokens are bound to the site whose seeded user owns them (real tokens belong to the account). */
  site: string;
  accountId: string;
  /** Present for a scoped token (gateway only); absent for a classic token (site host only). */
  scopes?: string[];
  /** Emulator-clock ms. */
  createdAt: number;
  /**
   * Emulator-clock ms from which the token is refused (valid while `now < expiresAt`). Always set for a scoped
   * token; optional for a classic one (tokens created before Atlassian's cut-over of 15 Dec 2024 had none).
   */
  expiresAt?: number;
  /** Emulator-clock ms of `revokeApiToken`; refused from then on. */
  revokedAt?: number;
}

/** Atlassian's "Create API token" dialogs accept an expiry of 1 to 365 days from now. */
export const API_TOKEN_MIN_LIFETIME_MS = DAY;
export const API_TOKEN_MAX_LIFETIME_MS = 365 * DAY;

/**
 * The absolute expiry for `createApiToken` options, or undefined for none. Throws, like the UI refuses, for an
 * expiry outside 1–365 days from `now`, or for both forms at once. `required` (scoped tokens) defaults to 365 days.
 */
export function resolveExpiry(now: number, opts: { expiresAt?: number | Date; expiresInDays?: number }, required: boolean): number | undefined {
  if (opts.expiresAt !== undefined && opts.expiresInDays !== undefined) throw new Error("give expiresAt or expiresInDays, not both");
  if (opts.expiresInDays !== undefined) {
    const days = opts.expiresInDays;
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error(`API token expiry must be 1–365 days, got ${days}`);
    return now + days * DAY;
  }
  if (opts.expiresAt !== undefined) {
    const at = typeof opts.expiresAt === "number" ? opts.expiresAt : opts.expiresAt.getTime();
    const lifetime = at - now;
    if (!Number.isFinite(at) || lifetime < API_TOKEN_MIN_LIFETIME_MS || lifetime > API_TOKEN_MAX_LIFETIME_MS) {
      throw new Error(`API token expiry must be 1–365 days from now (${new Date(now).toISOString()}), got ${new Date(at).toISOString()}`);
    }
    return at;
  }
  return required ? now + API_TOKEN_MAX_LIFETIME_MS : undefined;
}

export type Credentials =
  | { kind: "none" }
  | { kind: "bearer"; token: string }
  | { kind: "basic"; email: string; secret: string }
  | { kind: "invalid" };

export class CredentialStore {
  private readonly tokens = new Map<string, ApiTokenRecord>();

  create(record: ApiTokenRecord): string {
    // Shaped like Atlassian's `ATATT…` tokens.
    const token = `ATATT3xFfGF0${randomBytes(36).toString("base64url")}`;
    this.tokens.set(token, { ...record, scopes: record.scopes ? [...record.scopes] : undefined });
    return token;
  }

  /** The record whatever its state (expired and revoked included). */
  lookup(token: string): ApiTokenRecord | undefined {
    return this.tokens.get(token);
  }

  /** The record if the token is usable at `now`: neither revoked nor expired. */
  active(token: string, now: number): ApiTokenRecord | undefined {
    const record = this.tokens.get(token);
    if (!record || record.revokedAt !== undefined) return undefined;
    if (record.expiresAt !== undefined && now >= record.expiresAt) return undefined;
    return record;
  }

  /** False for an unknown token; revoking twice keeps the first time. */
  revoke(token: string, now: number): boolean {
    const record = this.tokens.get(token);
    if (!record) return false;
    record.revokedAt ??= now;
    return true;
  }
}

export function parseAuthorization(header: string | undefined): Credentials {
  if (!header) return { kind: "none" };
  const [scheme, value = ""] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme) && value) return { kind: "bearer", token: value };
  if (/^basic$/i.test(scheme) && value) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) return { kind: "basic", email: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  return { kind: "invalid" };
}

export function authKind(c: Credentials): "none" | "bearer" | "basic" {
  return c.kind === "bearer" ? "bearer" : c.kind === "basic" ? "basic" : "none";
}
