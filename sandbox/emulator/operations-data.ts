/**
 * The compact operation list the emulator's scope check uses (operations.json), derived from Atlassian's 2.4 MB
 * OpenAPI document so the shipped sandbox needs no copy of it. `npx tsx scripts/emulator-operations.ts` regenerates the file;
 * test/emulator/operations-data.test.ts fails when it drifts from the document.
 */

/** `[method, path template, classic (Current) scopes | null, granular (Beta) scopes | null]`. */
export type OperationRow = [string, string, string[] | null, string[] | null];

type ScopeEntry = { scopes?: string[]; state?: string };
type OpenApiPaths = Record<string, Record<string, { "x-atlassian-oauth2-scopes"?: ScopeEntry[] }>>;

export function operationRows(doc: { paths: OpenApiPaths }): OperationRow[] {
  const rows: OperationRow[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!["get", "post", "put", "delete", "patch"].includes(method)) continue;
      const entries = op["x-atlassian-oauth2-scopes"] ?? [];
      rows.push([
        method.toUpperCase(),
        template,
        entries.find((e) => e.state === "Current")?.scopes ?? null,
        entries.find((e) => e.state === "Beta")?.scopes ?? null,
      ]);
    }
  }
  return rows;
}
