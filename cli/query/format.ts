/**
 * `query` output: a terminal table, CSV or one JSON document. Pure. Values come from Jira (names, groups), so the
 * table and CSV are sanitized like every other command's; JSON keeps them (escaped by `jsonLine`).
 */
import { csvField } from "../report/csv";
import { jsonLine, safeLine } from "../format/sanitize";
import { renderTable } from "../format/table";
import type { QueryResult } from "../../fleet/open";

export type QueryFormat = "table" | "json" | "csv";

/** A cell as text: null empty, lists and structs as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function renderQueryResult(result: QueryResult, format: QueryFormat): string {
  if (format === "json") return jsonLine({ ok: true, columns: result.columns, rowCount: result.rows.length, rows: result.rows });
  const cells = result.rows.map((row) => result.columns.map((c) => cellText(row[c])));
  if (format === "csv") {
    // csvField neutralizes formula-like cells and quotes per RFC 4180; CRLF like `report --csv`.
    const values = result.rows.map((row) => result.columns.map((c) => (typeof row[c] === "number" ? (row[c] as number) : cellText(row[c]))));
    const lines = [result.columns, ...values].map((line) => line.map((v) => csvField(v)).join(","));
    return lines.map((l) => `${l}\r\n`).join("");
  }
  const numeric = result.columns.map((c) => result.rows.length > 0 && result.rows.every((r) => r[c] === null || typeof r[c] === "number"));
  const table = renderTable(result.columns.map((header, i) => ({ header: safeLine(header), align: numeric[i] ? "right" : "left", max: 80 })), cells);
  return `${table}(${result.rows.length} row${result.rows.length === 1 ? "" : "s"})\n`;
}
