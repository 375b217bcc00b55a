/**
 * The sandbox: the Atlassian emulator on 127.0.0.1 with seeded sites, an OAuth app whose consent is approved
 * automatically, a classic admin token and a scoped token per site, and admin controls under /_sandbox/.
 * Every credential is fake and only valid against this process.
 */
import { adminRoutes, SANDBOX_PREFIX } from "./admin/routes";
import { DEFAULT_APP, DEFAULT_SCOPES, startAtlassianEmulator } from "./emulator";
import type { AppOptions, AtlassianEmulator } from "./emulator/types";

export interface SandboxOptions {
  /** 0 (or undefined) lets the OS choose. */
  port?: number;
  sites?: string[];
  /** Seeded users per site. */
  users?: number;
  seed?: number;
  /** Callback URLs the OAuth app accepts (default: `authorize`'s default, http://localhost:8080/callback). */
  redirectUris?: string[];
}

export interface SandboxSite {
  name: string;
  cloudId: string;
  orgId: string;
  users: number;
  /** A site administrator's classic API token (site host, Basic auth). */
  admin: { email: string; apiToken: string };
  /** The same administrator's API token with the connector's scopes (gateway), and its expiry day. */
  scoped: { email: string; apiToken: string; expiresAt: string };
  orgApiKey: string;
}

export interface Sandbox {
  url: string;
  /** Base of the admin controls: `${url}/_sandbox`. */
  adminUrl: string;
  env: AtlassianEmulator["env"];
  app: AppOptions;
  sites: SandboxSite[];
  emulator: AtlassianEmulator;
  close(): Promise<void>;
}

const SCOPED_TOKEN_DAYS = 90;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const names = options.sites && options.sites.length > 0 ? options.sites : ["acme"];
  const app: AppOptions = { ...DEFAULT_APP, redirectUris: options.redirectUris ?? DEFAULT_APP.redirectUris };
  const emulator = await startAtlassianEmulator({
    port: options.port ?? 0,
    seed: options.seed ?? 1,
    apps: [app],
    sites: names.map((name) => ({ name, users: options.users ?? 40 })),
  });
  const readScopes = DEFAULT_SCOPES.filter((s) => s !== "offline_access");
  const sites = names.map((raw): SandboxSite => {
    const site = emulator.site(raw);
    const apiToken = emulator.createApiToken(site.name, { accountId: site.admin.accountId, scopes: readScopes, expiresInDays: SCOPED_TOKEN_DAYS });
    const expiresAt = new Date(emulator.apiTokenInfo(apiToken)!.expiresAt!).toISOString().slice(0, 10);
    return {
      name: site.name,
      cloudId: site.cloudId,
      orgId: site.orgId,
      users: site.users.length,
      admin: { email: site.admin.email, apiToken: site.admin.apiToken },
      scoped: { email: site.admin.email, apiToken, expiresAt },
      orgApiKey: site.orgApiKey,
    };
  });
  emulator.mount(`${SANDBOX_PREFIX}`, adminRoutes(emulator));
  return { url: emulator.url, adminUrl: `${emulator.url}${SANDBOX_PREFIX}`, env: emulator.env, app: emulator.app(), sites, emulator, close: () => emulator.close() };
}
