/**
 * Test support: Atlassian's Jira platform OpenAPI 3.0.1 document as a response validator and a source of
 * examples and scopes. See README.md for the conversion decisions and the errata applied to the document.
 */
export { loadOpenApiDocument, locateOpenApiDocument, OPENAPI_DOCUMENT_NAME } from "./document";
export type { OpenApiDocument, OpenApiOperation, OpenApiSchema, HttpMethod } from "./document";
export { COMPONENTS_SCHEMA_ID, convertOpenApiSchema } from "./convert";
export { OPENAPI_ERRATA, type Erratum } from "./errata";
export { findOperation, operationScopes, requireOperation, responseExamples, responseSchema, type FoundOperation } from "./operations";
export {
  componentValidator,
  formatAjvErrors,
  validateComponent,
  validateJiraResponse,
  validateOpenApiSchema,
  type JiraResponseToValidate,
  type JiraResponseValidation,
} from "./validator";
