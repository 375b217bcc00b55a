/** What a Jira endpoint handler sees, and what it returns (body plus object counts for the points quota). */
import type { EmulatedSite, Modes } from "./types";
import type { SeedUser } from "./seed-data";

export interface JiraRequest {
  site: EmulatedSite;
  /** The authenticated user, or undefined for anonymous calls (site host, `serverInfo` only). */
  principal?: SeedUser;
  /** Base of absolute links in bodies: the gateway or the site, whichever was called. */
  base: string;
  /** The site's own URL (`serverInfo.baseUrl`). */
  siteUrl: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  now: number;
  modes: Modes;
  /** Raw request body ("" for GET). */
  body: string;
}

export interface JiraResult {
  status?: number;
  body: unknown;
  /** Core objects returned (issues, audit records, roles, …): 1 point each. */
  core?: number;
  /** Identity objects returned (users, groups, permissions): 2 points each. */
  identity?: number;
}

export type JiraHandler = (req: JiraRequest) => JiraResult;

export function principalOf(req: JiraRequest): SeedUser {
  if (!req.principal) throw new Error("handler requires an authenticated principal");
  return req.principal;
}
