/** Raw-HTTP helpers for the emulator's own tests (no client library: these pin the wire behaviour). */
import type { AtlassianEmulator } from "../support/atlassian-emulator";

export const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}:${token}`).toString("base64")}`;
export const bearer = (token: string) => `Bearer ${token}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are inspected ad hoc
export interface Got<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export async function call<T = any>(url: string, init: RequestInit & { auth?: string } = {}): Promise<Got<T>> {
  const { auth, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (auth) headers.set("Authorization", auth);
  const response = await fetch(url, { ...rest, headers, redirect: "manual" });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: body as T };
}

export function tokenRequest(emu: AtlassianEmulator, body: Record<string, unknown>): Promise<Got> {
  return call(`${emu.authUrl}/oauth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

export function refresh(emu: AtlassianEmulator, refreshToken: string, app = emu.app()): Promise<Got> {
  return tokenRequest(emu, { grant_type: "refresh_token", client_id: app.clientId, client_secret: app.clientSecret, refresh_token: refreshToken });
}

/** Jira REST through the site host with the admin's classic API token (or another credential). */
export function siteGet(emu: AtlassianEmulator, path: string, auth?: string, site = "acme"): Promise<Got> {
  const s = emu.site(site);
  return call(`${emu.url}/site/${site}/rest/api/3${path}`, { auth: auth ?? basic(s.admin.email, s.admin.apiToken) });
}

/** Jira REST through the gateway. */
export function gatewayGet(emu: AtlassianEmulator, path: string, auth: string, site = "acme"): Promise<Got> {
  return call(`${emu.apiUrl}/ex/jira/${emu.site(site).cloudId}/rest/api/3${path}`, { auth });
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** JSON POST to Jira REST through the site host (admin's classic API token unless `auth` is given). */
export function sitePost(emu: AtlassianEmulator, path: string, body: unknown, auth?: string, site = "acme"): Promise<Got> {
  const s = emu.site(site);
  return call(`${emu.url}/site/${site}/rest/api/3${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    auth: auth ?? basic(s.admin.email, s.admin.apiToken),
  });
}

/** JSON POST to Jira REST through the gateway. */
export function gatewayPost(emu: AtlassianEmulator, path: string, body: unknown, auth: string, site = "acme"): Promise<Got> {
  return call(`${emu.apiUrl}/ex/jira/${emu.site(site).cloudId}/rest/api/3${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    auth,
  });
}
