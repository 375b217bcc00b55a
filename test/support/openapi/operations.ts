import { HTTP_METHODS, loadOpenApiDocument, type HttpMethod, type OpenApiMediaType, type OpenApiOperation, type OpenApiSchema } from "./document";

/** Matching concrete request paths against the document's path templates, and per-operation metadata. */

export interface FoundOperation {
  method: HttpMethod;
  pathTemplate: string;
  operationId: string;
  operation: OpenApiOperation;
  /** Values of the template's `{param}` segments, URL-decoded. */
  pathParams: Record<string, string>;
}

interface CompiledTemplate {
  template: string;
  /** Literal segment text, or `undefined` for a `{param}` segment. */
  literals: (string | undefined)[];
  params: (string | undefined)[];
  operation: OpenApiOperation;
}

let templatesByMethod: Map<HttpMethod, CompiledTemplate[]> | undefined;

function templates(method: HttpMethod): CompiledTemplate[] {
  if (!templatesByMethod) {
    templatesByMethod = new Map();
    for (const [template, item] of Object.entries(loadOpenApiDocument().paths)) {
      const segments = template.split("/").filter(Boolean);
      const params = segments.map((segment) => /^\{([^}]+)\}$/.exec(segment)?.[1]);
      for (const m of HTTP_METHODS) {
        const operation = item[m];
        if (!operation) continue;
        const list = templatesByMethod.get(m) ?? [];
        list.push({ template, literals: segments.map((s, i) => (params[i] === undefined ? s : undefined)), params, operation });
        templatesByMethod.set(m, list);
      }
    }
  }
  return templatesByMethod.get(method) ?? [];
}

export function normalizeMethod(method: string): HttpMethod {
  const lower = method.toLowerCase();
  if (!(HTTP_METHODS as readonly string[]).includes(lower)) throw new Error(`Unknown HTTP method ${JSON.stringify(method)}`);
  return lower as HttpMethod;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The path part of a URL or path, without query string, fragment or trailing slash, split into segments. */
function pathSegments(urlOrPath: string): string[] {
  let pathname = urlOrPath;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pathname)) pathname = new URL(pathname).pathname;
  pathname = pathname.replace(/[?#].*$/, "");
  return pathname.split("/").filter(Boolean);
}

/** `a` is preferred over `b` when, at the first position where they differ in kind, `a` has the literal segment. */
function compareSpecificity(a: CompiledTemplate, b: CompiledTemplate): number {
  for (let i = 0; i < a.literals.length; i++) {
    const aLiteral = a.literals[i] !== undefined;
    const bLiteral = b.literals[i] !== undefined;
    if (aLiteral !== bLiteral) return aLiteral ? -1 : 1;
  }
  return 0;
}

function matchSegments(method: HttpMethod, segments: string[]): FoundOperation | undefined {
  const decoded = segments.map(decodeSegment);
  const matches = templates(method).filter(
    (t) => t.literals.length === decoded.length && t.literals.every((literal, i) => literal === undefined || literal === decoded[i]),
  );
  if (matches.length === 0) return undefined;
  const best = matches.sort(compareSpecificity)[0];
  const pathParams: Record<string, string> = {};
  best.params.forEach((name, i) => {
    if (name !== undefined) pathParams[name] = decoded[i];
  });
  return {
    method,
    pathTemplate: best.template,
    operationId: best.operation.operationId ?? `${method.toUpperCase()} ${best.template}`,
    operation: best.operation,
    pathParams,
  };
}

/**
 * Finds the operation serving `method concretePath`. `concretePath` may be a bare API path
 * (`/rest/api/3/group/member?groupId=…`) or a full URL / path with a host prefix — the emulator's gateway
 * (`…/ex/jira/{cloudId}/rest/api/3/…`) and site (`…/site/acme/rest/api/3/…`) forms included: matching is tried
 * from each `rest` segment onwards. Literal segments win over `{param}` ones, left to right
 * (`/rest/api/3/group/member` → `/rest/api/3/group/member`, not a `{…}` template). Returns `undefined` if nothing matches.
 */
export function findOperation(method: string, concretePath: string): FoundOperation | undefined {
  const m = normalizeMethod(method);
  const segments = pathSegments(concretePath);
  for (let start = 0; start < segments.length; start++) {
    if (segments[start] !== "rest") continue;
    const found = matchSegments(m, segments.slice(start));
    if (found) return found;
  }
  return undefined;
}

/** Like `findOperation`, but also accepts an exact template and throws when nothing matches. */
export function requireOperation(method: string, pathOrTemplate: string): FoundOperation {
  const m = normalizeMethod(method);
  const operation = loadOpenApiDocument().paths[pathOrTemplate]?.[m];
  if (operation) {
    return { method: m, pathTemplate: pathOrTemplate, operationId: operation.operationId ?? `${m.toUpperCase()} ${pathOrTemplate}`, operation, pathParams: {} };
  }
  const found = findOperation(m, pathOrTemplate);
  if (!found) throw new Error(`The Jira OpenAPI document has no operation ${m.toUpperCase()} ${pathOrTemplate}`);
  return found;
}

/** The JSON media type of the response documented for `status` (exact, then `4XX`-style, then `default`). */
export function responseMediaType(operation: OpenApiOperation, status: number | string): { statusKey?: string; media?: OpenApiMediaType } {
  const responses = operation.responses ?? {};
  const code = String(status);
  const statusKey = [code, `${code[0]}XX`, `${code[0]}xx`, "default"].find((key) => responses[key] !== undefined);
  if (statusKey === undefined) return {};
  const content = responses[statusKey].content ?? {};
  const jsonType = content["application/json"] ? "application/json" : Object.keys(content).find((type) => /[/+]json\b/i.test(type));
  return { statusKey, media: jsonType ? content[jsonType] : undefined };
}

/** The OpenAPI schema of the JSON response for `status`, if the document gives one. */
export function responseSchema(operation: OpenApiOperation, status: number | string): OpenApiSchema | undefined {
  return responseMediaType(operation, status).media?.schema;
}

function parseExample(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // a non-JSON example is returned verbatim
  }
}

/**
 * The documented example bodies of `method pathTemplate` for `status`, parsed: the document stores them as JSON
 * strings under `content["application/json"].example` (a few are already objects); named `examples[*].value` are
 * included too. `[]` when there is none; throws for an unknown operation.
 */
export function responseExamples(method: string, pathTemplate: string, status: number | string = "200"): unknown[] {
  const { operation } = requireOperation(method, pathTemplate);
  const media = operation.responses?.[String(status)]?.content?.["application/json"];
  if (!media) return [];
  const examples: unknown[] = [];
  if (media.example !== undefined) examples.push(parseExample(media.example));
  for (const named of Object.values(media.examples ?? {})) {
    if (named && named.value !== undefined) examples.push(parseExample(named.value));
  }
  return examples;
}

/**
 * OAuth 2.0 scopes from `x-atlassian-oauth2-scopes`: `classic` = the `state: "Current"` entries, `granular` = the
 * `state: "Beta"` entries (a granular token must hold all of them). Throws for an unknown operation.
 */
export function operationScopes(method: string, pathTemplate: string): { classic: string[]; granular: string[] } {
  const { operation } = requireOperation(method, pathTemplate);
  const entries = operation["x-atlassian-oauth2-scopes"] ?? [];
  const collect = (state: string) => [...new Set(entries.filter((e) => e.state === state).flatMap((e) => e.scopes ?? []))];
  return { classic: collect("Current"), granular: collect("Beta") };
}
