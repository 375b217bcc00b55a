/** The shipped sandbox carries operations.json instead of the OpenAPI document: it must say what the document says. */
import OPERATIONS from "../../sandbox/emulator/operations.json";
import { operationRows } from "../../sandbox/emulator/operations-data";
import { loadOpenApiDocument } from "../support/openapi";

test("sandbox/emulator/operations.json matches the OpenAPI document (regenerate: npx tsx scripts/emulator-operations.ts)", () => {
  expect(OPERATIONS).toEqual(operationRows(loadOpenApiDocument() as never));
});
