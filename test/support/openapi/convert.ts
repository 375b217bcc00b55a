import type { OpenApiSchema } from "./document";

/**
 * OpenAPI 3.0 Schema Object → JSON Schema (draft-07, as accepted by ajv's default `Ajv` class).
 *
 * Decisions (see README.md):
 * - `nullable: true` + `type: T` → `type: [T, "null"]` (and `null` is appended to an `enum`); `nullable: true`
 *   without a `type` → `anyOf: [{ type: "null" }, <schema>]`. `nullable: false` is dropped.
 * - `$ref: "#/components/schemas/X"` → `${COMPONENTS_SCHEMA_ID}#/definitions/X`: every component is registered
 *   once with ajv inside one schema whose `$id` is `COMPONENTS_SCHEMA_ID`, so refs (incl. recursive ones) resolve.
 *   As in OpenAPI 3.0, keywords next to a `$ref` are ignored (dropped), because ajv 8 would otherwise apply them.
 * - Annotations and OpenAPI-only keywords are stripped: `example`, `examples`, `readOnly`, `writeOnly`,
 *   `discriminator`, `xml`, `externalDocs`, `deprecated` and every `x-*` extension.
 * - Everything else (`additionalProperties: false` included) is kept as-is: validation is strict.
 * The walk is schema-aware: names under `properties` are never mistaken for keywords, and literal values
 * (`enum`, `default`, `required`, `const`) are copied verbatim.
 */

export const COMPONENTS_SCHEMA_ID = "https://jira-openapi.local/components.json";

const COMPONENT_REF_PREFIX = "#/components/schemas/";
const STRIPPED_KEYWORDS = new Set(["example", "examples", "readOnly", "writeOnly", "discriminator", "xml", "externalDocs", "deprecated", "nullable"]);
/** Keywords whose value is a map of name → schema. */
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "definitions"]);
/** Keywords whose value is an array of schemas. */
const SCHEMA_ARRAY_KEYWORDS = new Set(["allOf", "anyOf", "oneOf"]);
/** Keywords whose value is a schema (or, for some, a boolean / an array of schemas). */
const SCHEMA_KEYWORDS = new Set(["items", "additionalProperties", "additionalItems", "not", "propertyNames", "contains", "if", "then", "else"]);

/** `#/components/schemas/X` → the ajv-resolvable ref for component X. */
export function componentRef(name: string): string {
  return `${COMPONENTS_SCHEMA_ID}#/definitions/${encodeURIComponent(name).replace(/~/g, "~0")}`;
}

function rewriteRef(ref: string): string {
  if (ref.startsWith(COMPONENT_REF_PREFIX)) return componentRef(decodeURIComponent(ref.slice(COMPONENT_REF_PREFIX.length)));
  throw new Error(`Unsupported $ref ${JSON.stringify(ref)} (only ${COMPONENT_REF_PREFIX}* is handled)`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function convertSchemaOrBoolean(value: unknown): unknown {
  if (typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map((item) => convertOpenApiSchema(item as OpenApiSchema));
  if (isPlainObject(value)) return convertOpenApiSchema(value);
  return value;
}

/** Converts one OpenAPI 3.0 schema (recursively). The input is not modified. */
export function convertOpenApiSchema(schema: OpenApiSchema): Record<string, unknown> {
  if (!isPlainObject(schema)) throw new Error(`Not a schema object: ${JSON.stringify(schema)}`);
  if (typeof schema.$ref === "string") return { $ref: rewriteRef(schema.$ref) };

  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (STRIPPED_KEYWORDS.has(keyword) || keyword.startsWith("x-")) continue;
    if (SCHEMA_MAP_KEYWORDS.has(keyword) && isPlainObject(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convertSchemaOrBoolean(sub)]));
    } else if (SCHEMA_ARRAY_KEYWORDS.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((sub) => convertSchemaOrBoolean(sub));
    } else if (SCHEMA_KEYWORDS.has(keyword)) {
      out[keyword] = convertSchemaOrBoolean(value);
    } else {
      out[keyword] = value; // type, format, enum, required, default, description, min*/max*, pattern, …
    }
  }

  if (schema.nullable === true) {
    if (typeof out.type === "string" || Array.isArray(out.type)) {
      const types = Array.isArray(out.type) ? [...(out.type as string[])] : [out.type as string];
      if (!types.includes("null")) types.push("null");
      out.type = types;
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [{ type: "null" }, out] };
  }
  return out;
}

/** Converts every component schema; the result is registered with ajv as `{ $id: COMPONENTS_SCHEMA_ID, definitions }`. */
export function convertComponents(schemas: Record<string, OpenApiSchema>): Record<string, unknown> {
  const definitions: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) definitions[name] = convertOpenApiSchema(schema);
  return definitions;
}
