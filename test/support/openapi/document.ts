import * as fs from "fs";
import * as path from "path";

/**
 * Locating and loading Atlassian's published Jira platform OpenAPI 3.0.1 document
 * (`../shared/reference/jira-platform-openapi-v3.json` relative to the repository root).
 *
 * The document is 2.4 MB; it is read and parsed once, on first use, and cached for the life of the process.
 */

export const OPENAPI_DOCUMENT_NAME = "jira-platform-openapi-v3.json";

/** A loosely typed OpenAPI schema object (3.0 dialect, as found in the document). */
export type OpenApiSchema = { [keyword: string]: unknown };

export interface OpenApiMediaType {
  schema?: OpenApiSchema;
  example?: unknown;
  examples?: Record<string, { value?: unknown; summary?: string }>;
}

export interface OpenApiResponse {
  description?: string;
  content?: Record<string, OpenApiMediaType>;
}

export interface OAuth2ScopeEntry {
  scheme?: string;
  scopes?: string[];
  state?: string;
}

export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: OpenApiSchema }[];
  responses?: Record<string, OpenApiResponse>;
  security?: Record<string, string[]>[];
  "x-atlassian-oauth2-scopes"?: OAuth2ScopeEntry[];
  [key: string]: unknown;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>> & { [key: string]: unknown };

export interface OpenApiDocument {
  openapi: string;
  info: { title?: string; version: string };
  paths: Record<string, OpenApiPathItem>;
  components: { schemas: Record<string, OpenApiSchema>; [key: string]: unknown };
}

/**
 * Candidate locations, in order:
 * 1. `$JIRA_OPENAPI_PATH` (same variable the emulator honours);
 * 2. a copy vendored next to this file (`test/support/openapi/jira-platform-openapi-v3.json`), if present;
 * 3. `<repo>/../shared/reference/…` resolved from this file (`test/support/openapi` → four levels up);
 * 4. `shared/reference/…` under every ancestor of this file and of the working directory (covers worktrees,
 *    copies and a compiled `bin/` tree, whose depth differs).
 */
export function openApiDocumentCandidates(): string[] {
  const candidates: string[] = [];
  const fromEnv = process.env.JIRA_OPENAPI_PATH;
  if (fromEnv) candidates.push(path.resolve(fromEnv));
  candidates.push(path.join(__dirname, OPENAPI_DOCUMENT_NAME));
  candidates.push(path.resolve(__dirname, "../../../../shared/reference", OPENAPI_DOCUMENT_NAME));
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      candidates.push(path.join(dir, "shared", "reference", OPENAPI_DOCUMENT_NAME));
      if (path.dirname(dir) === dir) break;
    }
  }
  return [...new Set(candidates)];
}

/** The absolute path of the document; throws a descriptive error listing every place looked at. */
export function locateOpenApiDocument(): string {
  const candidates = openApiDocumentCandidates();
  const found = candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
  if (!found) {
    throw new Error(
      `Cannot find Atlassian's Jira OpenAPI document ${OPENAPI_DOCUMENT_NAME}. It is expected at ` +
        `<repo>/../shared/reference/${OPENAPI_DOCUMENT_NAME} (a sibling "shared" directory of the repository) or as a ` +
        `copy in test/support/openapi/, ` +
        `or set JIRA_OPENAPI_PATH to its location. Looked in:\n  ${candidates.join("\n  ")}`,
    );
  }
  return found;
}

let cachedDocument: OpenApiDocument | undefined;

/** The parsed document (loaded lazily, once). */
export function loadOpenApiDocument(): OpenApiDocument {
  if (cachedDocument) return cachedDocument;
  const file = locateOpenApiDocument();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`Cannot parse the Jira OpenAPI document at ${file}: ${(error as Error).message}`);
  }
  const document = parsed as Partial<OpenApiDocument>;
  if (typeof document.openapi !== "string" || !document.paths || !document.components?.schemas) {
    throw new Error(`${file} does not look like an OpenAPI 3 document (missing openapi/paths/components.schemas).`);
  }
  cachedDocument = document as OpenApiDocument;
  return cachedDocument;
}
