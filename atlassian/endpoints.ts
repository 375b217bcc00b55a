import { EndpointConfigurationError } from "./errors";
import { normalizeSiteName } from "./site-name";

/**
 * The three Atlassian hosts, overridable for tests and the emulator through environment variables that are read
 * at call time (so a dynamic provider or Lambda picks up the environment it runs in, not the one it was built in).
 */
export interface AtlassianEndpoints {
  /** `https://auth.atlassian.com` — consent screen and token endpoint. */
  authUrl: string;
  /** `https://api.atlassian.com` — accessible-resources and the Jira gateway. */
  apiUrl: string;
  /** `https://{site}.atlassian.net` — tenant_info and classic API-token calls. */
  siteUrl(site: string): string;
}

export const ENDPOINT_VARIABLES = {
  auth: "JIRA_CONNECTOR_AUTH_URL",
  api: "JIRA_CONNECTOR_API_URL",
  site: "JIRA_CONNECTOR_SITE_URL",
} as const;

export function resolveEndpoints(env: Record<string, string | undefined> = process.env): AtlassianEndpoints {
  const authUrl = checkedBase(ENDPOINT_VARIABLES.auth, env[ENDPOINT_VARIABLES.auth] ?? "https://auth.atlassian.com");
  const apiUrl = checkedBase(ENDPOINT_VARIABLES.api, env[ENDPOINT_VARIABLES.api] ?? "https://api.atlassian.com");
  const siteTemplate = env[ENDPOINT_VARIABLES.site] ?? "https://{site}.atlassian.net";
  if (!siteTemplate.includes("{site}")) {
    throw new EndpointConfigurationError(
      ENDPOINT_VARIABLES.site,
      "must contain the placeholder {site}, e.g. https://{site}.atlassian.net",
    );
  }
  checkedBase(ENDPOINT_VARIABLES.site, siteTemplate.split("{site}").join("site-placeholder"));
  return {
    authUrl,
    apiUrl,
    // The site is normalised again here so that no caller can smuggle a host or path into the URL.
    siteUrl: (site: string) => siteTemplate.split("{site}").join(normalizeSiteName(site)).replace(/\/+$/, ""),
  };
}

/** Where a request went: its host, and the override variable that chose it (undefined: Atlassian's default). */
export interface EndpointInEffect {
  host: string;
  variable?: string;
  value?: string;
}

/** Which endpoint (and which override, if any) `url` belongs to; for error messages. Never throws. */
export function endpointInEffect(url: string, env: Record<string, string | undefined> = process.env): EndpointInEffect {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return { host: "(invalid URL)" };
  }
  for (const variable of Object.values(ENDPOINT_VARIABLES)) {
    const value = env[variable];
    if (value === undefined || value.trim() === "") continue;
    const prefix = value.replace(/\/+$/, "").split("{site}");
    const matches = prefix.length === 1 ? url.startsWith(prefix[0]!) : url.startsWith(prefix[0]!) && url.includes(prefix[1]!);
    // The variable's value is a base URL without credentials (checkedBase refuses them), safe to show.
    if (matches) return { host, variable, value };
  }
  return { host };
}

/** Plain http is allowed only to loopback hosts: credentials must never cross a network unencrypted. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function checkedBase(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EndpointConfigurationError(variable, `${JSON.stringify(value)} is not an absolute URL`);
  }
  if (url.username || url.password) throw new EndpointConfigurationError(variable, "must not contain credentials");
  if (url.search || url.hash) throw new EndpointConfigurationError(variable, "must not contain a query or fragment");
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new EndpointConfigurationError(variable, `plain http is allowed only for loopback hosts, not ${url.hostname}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new EndpointConfigurationError(variable, `must be an https URL, not ${url.protocol}`);
  }
  return value.replace(/\/+$/, "");
}
