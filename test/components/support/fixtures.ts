import type { JiraConnectorArgs } from "../../../components";
import type { Registration } from "./mock-engine";

/** Plain (not yet secret) credentials, recognisable in serialized state. */
export function connectorArgs(site: string, extra: Partial<JiraConnectorArgs> = {}): JiraConnectorArgs {
  return {
    site,
    oauth: { clientId: `${site}-client-id`, clientSecret: `${site}-PLAIN-client-secret`, refreshToken: `${site}-PLAIN-refresh-token` },
    license: { email: `admin@${site}.example`, apiToken: `${site}-PLAIN-api-token`, apiTokenExpiresAt: "2027-06-30" },
    tags: { team: "it-asset-management" },
    ...extra,
  };
}

/** The registrations under the component named `connector` (its URN is their parent chain's root). */
export function childrenOf(registrations: Registration[], connector: string): Registration[] {
  const component = registrations.find((r) => r.type === "jira-connector:index:JiraConnector" && r.name === connector);
  if (!component) throw new Error(`component ${connector} not registered`);
  return registrations.filter((r) => r.parent === component.urn);
}

export function only(registrations: Registration[], type: string, name?: string): Registration {
  const found = registrations.filter((r) => r.type === type && (name === undefined || r.name === name));
  if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` ${name}` : ""}, found ${found.length}`);
  return found[0]!;
}

/** An expiry `days` from now (a fixed date would fall outside Atlassian's 365-day limit as time passes). */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A scoped-API-token connector: plain (not yet secret) token, recognisable in serialized state. */
export function scopedConnectorArgs(site: string, extra: Partial<JiraConnectorArgs> = {}): JiraConnectorArgs {
  return {
    site,
    scopedApiToken: { email: `admin@${site}.example`, apiToken: `${site}-PLAIN-scoped-token`, expiresAt: daysFromNow(180) },
    tags: { team: "it-asset-management" },
    ...extra,
  };
}
