import type { AtlassianContext } from "./context";
import { RequestPipeline, type PipelineOptions, type RequestStats } from "./http/pipeline";
import { type AccessibleResource, listAccessibleResources } from "./oauth/accessible-resources";
import { type AuthorizationUrlOptions, buildAuthorizationUrl } from "./oauth/authorization-url";
import {
  exchangeAuthorizationCode,
  type OAuthClientCredentials,
  refreshAccessToken,
  type TokenSet,
} from "./oauth/token-exchange";
import { type JiraAuth, JiraClient } from "./jira/jira-client";
import { getOrgLastActiveDates, type OrgProductLastActive } from "./org/last-active-dates";
import { getOrganization, listOrgWorkspaces, type OrgLookup, type OrgWorkspaces } from "./org/organization";
import { normalizeSiteName } from "./site-name";
import { assertCloudId, fetchCloudId } from "./tenant-info";

export interface AtlassianClientOptions extends PipelineOptions {
  /** Where `JIRA_CONNECTOR_*` endpoint overrides are read from (at call time); defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * Entry point to the Atlassian APIs: one request pipeline (retries, rate limits, counters) shared by every call.
 *
 *     const atlassian = new AtlassianClient();
 *     const cloudId = await atlassian.cloudId("acme");
 *     const tokens = await atlassian.oauth.refresh({ clientId, clientSecret, refreshToken });
 *     await tokenStore.save(tokens.refreshToken);            // persist the rotated token first
 *     const jira = atlassian.jira({ kind: "oauth", cloudId, accessToken: tokens.accessToken });
 */
export class AtlassianClient {
  readonly pipeline: RequestPipeline;
  private readonly context: AtlassianContext;

  constructor(options: AtlassianClientOptions = {}) {
    this.pipeline = new RequestPipeline(options);
    this.context = { pipeline: this.pipeline, env: options.env };
  }

  /** Requests, retries, 429s and time waited so far. */
  get stats(): RequestStats {
    return { ...this.pipeline.stats };
  }

  /**
   * This machine's clock minus Atlassian's (from the last response's `Date` header), in ms. With no response yet
   * and a `site`, asks the site's `tenant_info` (unauthenticated, cheap) first; `undefined` if that fails too.
   */
  async serverClockOffsetMs(site?: string): Promise<number | undefined> {
    if (this.pipeline.serverClockOffsetMs === undefined && site !== undefined) await this.cloudId(site).catch(() => undefined);
    return this.pipeline.serverClockOffsetMs;
  }

  /** The site's cloud ID from `tenant_info`; with `expected`, throws CloudIdMismatchError when they differ. */
  async cloudId(site: string, options: { expected?: string } = {}): Promise<string> {
    const actual = await fetchCloudId(this.context, site);
    assertCloudId(normalizeSiteName(site), options.expected, actual);
    return actual;
  }

  readonly oauth = {
    authorizationUrl: (options: AuthorizationUrlOptions): string => buildAuthorizationUrl(this.context, options),
    exchangeCode: (options: OAuthClientCredentials & { code: string; redirectUri: string }): Promise<TokenSet> =>
      exchangeAuthorizationCode(this.context, options),
    refresh: (options: OAuthClientCredentials & { refreshToken: string; budgetMs?: number }): Promise<TokenSet> =>
      refreshAccessToken(this.context, options),
    accessibleResources: (accessToken: string): Promise<AccessibleResource[]> =>
      listAccessibleResources(this.context, accessToken),
  };

  /** The organization Admin API (optional; authorized by an organization API key). */
  readonly org = {
    lastActiveDates: (options: { orgId: string; apiKey: string; accountId: string }): Promise<OrgProductLastActive[] | undefined> =>
      getOrgLastActiveDates(this.context, options),
    /** `GET /admin/v1/orgs/{orgId}`: whether the key is accepted and the organization is its own. */
    organization: (options: { orgId: string; apiKey: string }): Promise<OrgLookup> => getOrganization(this.context, options),
    /** `POST /admin/v2/orgs/{orgId}/workspaces`: the organization's product instances (sites). */
    workspaces: (options: { orgId: string; apiKey: string }): Promise<OrgWorkspaces> => listOrgWorkspaces(this.context, options),
  };

  /** A Jira REST v3 client for one credential. */
  jira(auth: JiraAuth): JiraClient {
    return new JiraClient(this.context, auth);
  }
}
