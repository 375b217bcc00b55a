import type { z } from "zod";
import { endpointsOf, type AtlassianContext } from "../context";
import {
  AccessTokenRejectedError,
  ApiTokenRejectedError,
  BadRequestError,
  InvalidArgumentError,
  MissingScopesError,
  NotAdministratorError,
  NotFoundError,
  PermissionDeniedError,
  UnexpectedResponseError,
} from "../errors";
import { classifyCommonFailures } from "../http/classify";
import type { PipelineResponse } from "../http/pipeline";
import type { RetryMode } from "../http/backoff";
import { atlassianErrorDetail, parseJsonBody, parseWithSchema } from "../http/response";
import { missingScopes } from "../scopes";
import { CLOUD_ID_PATTERN } from "../tenant-info";
import type { JiraOperation } from "./operations";

/**
 * How to reach Jira REST v3:
 * - `oauth`: a 3LO access token through the gateway `api.atlassian.com/ex/jira/{cloudId}`;
 * - `api-token`: a classic (unscoped) API token with Basic auth on the site URL;
 * - `scoped-api-token`: a scoped API token with Basic auth through the gateway.
 */
export type JiraAuth =
  | { kind: "oauth"; cloudId: string; accessToken: string; grantedScopes?: readonly string[] }
  | { kind: "api-token"; site: string; email: string; apiToken: string }
  | { kind: "scoped-api-token"; cloudId: string; email: string; apiToken: string; grantedScopes?: readonly string[] };

export type QueryValue = string | number | boolean | undefined | readonly (string | number)[];

/**
 * A Jira REST v3 client for one credential. The secret parts live only inside a closure (invisible to
 * `util.inspect` and JSON) and are only ever written into the Authorization header. (Not `#private` fields: Pulumi's
 * closure serializer cannot capture classes that use them, and the dynamic provider captures this class.)
 */
export class JiraClient {
  private readonly context: AtlassianContext;
  private readonly target: { kind: JiraAuth["kind"]; cloudId?: string; site?: string; grantedScopes?: readonly string[] };
  private readonly credential: () => { header: string; secrets: string[] };

  constructor(context: AtlassianContext, auth: JiraAuth) {
    if (auth.kind !== "api-token" && !CLOUD_ID_PATTERN.test(auth.cloudId)) {
      throw new InvalidArgumentError("cloudId", "must be the site's cloud ID (a UUID from tenant_info)");
    }
    this.context = context;
    this.target =
      auth.kind === "api-token"
        ? { kind: auth.kind, site: auth.site }
        : { kind: auth.kind, cloudId: auth.cloudId, grantedScopes: auth.grantedScopes };
    let header: string;
    let secrets: string[];
    if (auth.kind === "oauth") {
      header = `Bearer ${auth.accessToken}`;
      secrets = [auth.accessToken];
    } else {
      const basic = Buffer.from(`${auth.email}:${auth.apiToken}`).toString("base64");
      header = `Basic ${basic}`;
      secrets = [auth.apiToken, basic];
    }
    this.credential = () => ({ header, secrets });
  }

  get authKind(): JiraAuth["kind"] {
    return this.target.kind;
  }

  /** GETs an operation and validates the body with `schema`; every failure becomes a typed error. */
  async get<S extends z.ZodType>(
    operation: JiraOperation,
    schema: S,
    options: { pathParams?: Record<string, string>; query?: Record<string, QueryValue> } = {},
  ): Promise<z.output<S>> {
    return this.decode(operation, schema, await this.send(operation, options));
  }

  /** POSTs a read with a JSON body (bulk fetches) and validates the response like `get`. */
  async post<S extends z.ZodType>(operation: JiraOperation, schema: S, json: unknown): Promise<z.output<S>> {
    return this.decode(operation, schema, await this.send(operation, { json }));
  }

  /** Classifies a failed response, or validates a successful one's body with `schema`. */
  decode<S extends z.ZodType>(operation: JiraOperation, schema: S, response: PipelineResponse): z.output<S> {
    this.throwOnFailure(operation, response);
    return parseWithSchema(schema, parseJsonBody(response, this.credential().secrets), response);
  }

  /** Like `get` but returns the raw response for statuses the caller wants to handle (e.g. 409 on users/search). */
  async send(
    operation: JiraOperation,
    options: { pathParams?: Record<string, string>; query?: Record<string, QueryValue>; json?: unknown; retry?: RetryMode } = {},
  ): Promise<PipelineResponse> {
    let path = operation.path;
    for (const [key, value] of Object.entries(options.pathParams ?? {})) {
      path = path.replace(`{${key}}`, encodeURIComponent(value));
    }
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) query.append(key, String(v));
      else query.append(key, String(value));
    }
    const search = query.toString();
    return this.context.pipeline.send({
      operation: `${operation.method} /rest/api/3${operation.path}`,
      method: operation.method,
      url: `${this.baseUrl()}/rest/api/3${path}${search ? `?${search}` : ""}`,
      ...(options.json !== undefined ? { json: options.json } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      headers: { authorization: this.credential().header },
      secrets: this.credential().secrets,
    });
  }

  /** Classifies a non-2xx response into a typed error (no-op for 2xx). */
  throwOnFailure(operation: JiraOperation, response: PipelineResponse): void {
    const { status } = response;
    if (status >= 200 && status < 300) return;
    const name = response.operation;
    const detail = atlassianErrorDetail(response, this.credential().secrets);
    if (status === 401) {
      const failure = response.headers.get("x-failure-category") ?? "";
      if (/scope does not match/i.test(detail) || /SCOPE_CHECK/i.test(failure)) {
        const granted = this.target.grantedScopes;
        const missing = granted ? missingScopes(operation.granularScopes, granted) : [];
        throw new MissingScopesError(missing.length > 0 ? missing : [...operation.granularScopes], name, this.target.kind === "oauth" ? "oauth" : "scoped-api-token");
      }
      if (this.target.kind === "oauth") throw new AccessTokenRejectedError(status, name);
      throw new ApiTokenRejectedError(status, name, detail, this.target.kind === "scoped-api-token" ? "scoped-api-token" : "api-token");
    }
    if (status === 403) {
      if (operation.adminOnly) throw new NotAdministratorError(name, detail);
      throw new PermissionDeniedError(name, detail);
    }
    if (status === 404) throw new NotFoundError(name, detail);
    classifyCommonFailures(response, this.context.pipeline.now());
    if (status >= 400) throw new BadRequestError(name, status, detail);
    throw new UnexpectedResponseError(name, `HTTP ${status}: ${detail}`, status);
  }

  private baseUrl(): string {
    const endpoints = endpointsOf(this.context);
    const target = this.target;
    return target.kind === "api-token" ? endpoints.siteUrl(target.site!) : `${endpoints.apiUrl}/ex/jira/${target.cloudId}`;
  }
}
