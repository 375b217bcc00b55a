/** API tokens (classic and scoped) and parsing of the Authorization header. */
import { randomBytes } from "node:crypto";

export interface ApiTokenRecord {
  /** [A] Tokens are bound to the site whose seeded user owns them (real tokens belong to the account). */
  site: string;
  accountId: string;
  /** Present for a scoped token (gateway only); absent for a classic token (site host only). */
  scopes?: string[];
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

  lookup(token: string): ApiTokenRecord | undefined {
    return this.tokens.get(token);
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
