import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { COMPONENTS_SCHEMA_ID, componentRef, convertComponents, convertOpenApiSchema } from "./convert";
import { loadOpenApiDocument, type OpenApiSchema } from "./document";
import { applyErrata } from "./errata";
import { findOperation, responseSchema } from "./operations";

/** ajv-backed validation of Jira response bodies against the OpenAPI document (see README.md). */

export interface JiraResponseToValidate {
  method: string;
  /** The request path or full URL (gateway and site prefixes are fine); the query string is ignored. */
  path: string;
  status: number | string;
  /** The parsed JSON body, or the raw text (parsed here when it is JSON). */
  body: unknown;
}

export interface JiraResponseValidation {
  valid: boolean;
  errors: string[];
  operationId: string | undefined;
  pathTemplate: string | undefined;
  /** True when the document gives a JSON schema for this operation and status (or its `default`). */
  schemaFound: boolean;
  /** What the body was checked against: the operation's schema, the `ErrorCollection` fallback, or nothing. */
  checkedAgainst: "operation" | "ErrorCollection fallback" | "nothing";
}

let ajv: Ajv | undefined;
const compiledComponents = new Map<string, ValidateFunction>();
const compiledResponses = new Map<string, ValidateFunction>();

function getAjv(): Ajv {
  if (ajv) return ajv;
  const instance = new Ajv({ strict: false, allErrors: true, verbose: false, logger: false });
  addFormats(instance);
  const definitions = convertComponents(applyErrata(loadOpenApiDocument().components.schemas));
  // Not meta-validated up front (967 schemas): each schema is compiled — and thereby checked — on first use only.
  instance.addSchema({ $id: COMPONENTS_SCHEMA_ID, definitions }, undefined, undefined, false);
  ajv = instance;
  return instance;
}

/** The compiled validator for a component schema (`User`, `ErrorCollection`, …), compiled on first use. */
export function componentValidator(name: string): ValidateFunction {
  let validate = compiledComponents.get(name);
  if (!validate) {
    if (!loadOpenApiDocument().components.schemas[name]) throw new Error(`No component schema ${name} in the Jira OpenAPI document`);
    validate = getAjv().compile({ $ref: componentRef(name) });
    compiledComponents.set(name, validate);
  }
  return validate;
}

/**
 * Human-readable ajv errors: `<instance path> <message>[: detail] (schema <schema path>)`, root shown as `(root)`;
 * schema paths inside components are given as in the document (`#/components/schemas/X/...`).
 */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath || "(root)";
    const params = error.params as Record<string, unknown>;
    let detail = "";
    if (error.keyword === "additionalProperties") detail = `: ${JSON.stringify(params.additionalProperty)}`;
    else if (error.keyword === "enum") detail = `: ${JSON.stringify(params.allowedValues)}`;
    const schemaPath = error.schemaPath.replace(`${COMPONENTS_SCHEMA_ID}#/definitions/`, "#/components/schemas/");
    return `${where} ${error.message}${detail} (schema ${schemaPath})`;
  });
}

/** Validates a value against a component schema by name. */
export function validateComponent(name: string, value: unknown): { valid: boolean; errors: string[] } {
  const validate = componentValidator(name);
  const valid = validate(value) as boolean;
  return { valid, errors: valid ? [] : formatAjvErrors(validate.errors) };
}

/** Validates a value against an (unconverted) OpenAPI schema, e.g. an inline response schema. */
export function validateOpenApiSchema(schema: OpenApiSchema, value: unknown, cacheKey?: string): { valid: boolean; errors: string[] } {
  let validate = cacheKey ? compiledResponses.get(cacheKey) : undefined;
  if (!validate) {
    validate = getAjv().compile(convertOpenApiSchema(schema));
    if (cacheKey) compiledResponses.set(cacheKey, validate);
  }
  const valid = validate(value) as boolean;
  return { valid, errors: valid ? [] : formatAjvErrors(validate.errors) };
}

type ParsedBody = { ok: true; value: unknown } | { ok: false; reason: string };

function parseBody(body: unknown): ParsedBody {
  if (body === undefined) return { ok: false, reason: "no body" };
  if (typeof body !== "string") return { ok: true, value: body };
  if (body.trim() === "") return { ok: false, reason: "empty body" };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false, reason: `body is not JSON: ${JSON.stringify(body.slice(0, 120))}` };
  }
}

/**
 * Validates a Jira response body against `responses[status]` (falling back to `NXX`, then `default`)
 * `.content["application/json"].schema` of the matching operation.
 *
 * When the document has no JSON schema for that status, `schemaFound` is `false`; then, for error statuses
 * (>= 400) whose body is a JSON object carrying `errorMessages`, the body is still checked against
 * `ErrorCollection` — Jira's standard error envelope, which many operations use without documenting it
 * (e.g. group/bulk 403, users/search 400). Any other undocumented body is reported as valid (nothing to check).
 * An unknown operation is invalid.
 */
export function validateJiraResponse(response: JiraResponseToValidate): JiraResponseValidation {
  const found = findOperation(response.method, response.path);
  if (!found) {
    return {
      valid: false,
      errors: [`no operation in the Jira OpenAPI document matches ${response.method.toUpperCase()} ${response.path}`],
      operationId: undefined,
      pathTemplate: undefined,
      schemaFound: false,
      checkedAgainst: "nothing",
    };
  }
  const base = { operationId: found.operationId, pathTemplate: found.pathTemplate };
  const schema = responseSchema(found.operation, response.status);
  const body = parseBody(response.body);

  if (schema) {
    if (!body.ok) return { ...base, valid: false, errors: [body.reason], schemaFound: true, checkedAgainst: "operation" };
    const cacheKey = `${found.method} ${found.pathTemplate} ${response.status}`;
    const result = validateOpenApiSchema(schema, body.value, cacheKey);
    return { ...base, ...result, schemaFound: true, checkedAgainst: "operation" };
  }

  const status = Number(response.status);
  const value = body.ok ? body.value : undefined;
  if (status >= 400 && typeof value === "object" && value !== null && !Array.isArray(value) && "errorMessages" in value) {
    return { ...base, ...validateComponent("ErrorCollection", value), schemaFound: false, checkedAgainst: "ErrorCollection fallback" };
  }
  return { ...base, valid: true, errors: [], schemaFound: false, checkedAgainst: "nothing" };
}
