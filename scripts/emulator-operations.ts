/** Regenerates sandbox/emulator/operations.json from the Jira OpenAPI document (`npx tsx scripts/emulator-operations.ts`). */
import * as fs from "fs";
import * as path from "path";
import { operationRows } from "../sandbox/emulator/operations-data";
import { loadOpenApiDocument } from "../test/support/openapi";

const file = path.join(__dirname, "../sandbox/emulator/operations.json");
const rows = operationRows(loadOpenApiDocument() as never);
// One operation per line: reviewable diffs when Atlassian's document changes.
fs.writeFileSync(file, `[\n${rows.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`);
console.log(`wrote ${rows.length} operations to ${path.relative(process.cwd(), file)}`);
