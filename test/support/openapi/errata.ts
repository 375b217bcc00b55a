import type { OpenApiSchema } from "./document";

/**
 * Known defects of Atlassian's published document, corrected before conversion. Each erratum is a place where
 * the document contradicts its **own** example (and real traffic); nothing else is relaxed — in particular
 * `additionalProperties: false` stays in force everywhere.
 */
export interface Erratum {
  /** The component schema that is patched. */
  schema: string;
  /** What is changed and why. */
  description: string;
  /** Returns the patched copy (the input is never modified). */
  apply(schema: OpenApiSchema): OpenApiSchema;
}

export const OPENAPI_ERRATA: readonly Erratum[] = [
  {
    schema: "AuditRecordBean",
    description:
      "Adds the string property `authorAccountId`. The schema forbids additional properties and lacks it, yet its " +
      "own `authorKey` description says 'Deprecated, use `authorAccountId` instead', the GET /rest/api/3/auditing/record " +
      "200 example carries it, and real responses do too.",
    apply: (schema) => ({
      ...schema,
      properties: {
        ...(schema.properties as Record<string, OpenApiSchema>),
        authorAccountId: { type: "string", description: "The account ID of the user who created the audit record.", readOnly: true },
      },
    }),
  },
  {
    schema: "ErrorCollections",
    description:
      "Makes `ErrorCollections` identical to `ErrorCollection`. As published it is `{type: object, " +
      "additionalProperties: false}` with no properties — it only admits `{}` — yet the operations that use it " +
      "(e.g. GET /rest/api/3/license/approximateLicenseCount 403) give `{\"errorMessages\":[…],\"errors\":{}}` as " +
      "their own example, which is the standard Jira error envelope (§5.2).",
    apply: () => ({ $ref: "#/components/schemas/ErrorCollection" }),
  },
  {
    schema: "ServerInformation",
    description:
      "Adds the property `defaultLocale` (a `Locale`, `{\"locale\":\"en_AU\"}`). The schema forbids additional " +
      "properties and lacks it, yet the GET /rest/api/3/serverInfo 200 example carries it (as do real responses).",
    apply: (schema) => ({
      ...schema,
      properties: {
        ...(schema.properties as Record<string, OpenApiSchema>),
        defaultLocale: { $ref: "#/components/schemas/Locale" },
      },
    }),
  },
];

/** The component schemas with every erratum applied (a shallow copy; the document itself is untouched). */
export function applyErrata(schemas: Record<string, OpenApiSchema>): Record<string, OpenApiSchema> {
  const patched = { ...schemas };
  for (const erratum of OPENAPI_ERRATA) {
    const original = patched[erratum.schema];
    if (!original) throw new Error(`OpenAPI erratum targets a missing component schema: ${erratum.schema}`);
    patched[erratum.schema] = erratum.apply(original);
  }
  return patched;
}
