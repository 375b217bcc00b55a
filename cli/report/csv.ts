/**
 * `report --csv`: one row per seat not shown active (a person × a billable product), for a spreadsheet. RFC 4180
 * (every field quoted when it holds a comma, quote, CR or LF; quotes doubled; CRLF line ends), and names are
 * attacker-controlled, so a text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or
 * a CR) gets a leading apostrophe, and terminal escapes are removed (a CSV is often `cat`-ed). Pure.
 */
import { safeText } from "../format/sanitize";
import type { ReportModel, SeatRow } from "./model";

export const CSV_COLUMNS = ["person", "account ID", "email", "product", "groups", "last activity", "source", "evidence", "monthly price", "currency"] as const;

/** A leading apostrophe makes Excel, LibreOffice and Google Sheets show the text instead of evaluating it. */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One RFC 4180 field. Neutralized before and after stripping escapes: a leading CR or an escape hiding `=` both count. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = typeof value === "number" ? String(value) : neutralizeFormula(safeText(neutralizeFormula(value)));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(row: SeatRow, currency: string | null): (string | number | null)[] {
  return [
    row.person,
    row.accountId,
    row.emailAddress,
    row.productName,
    row.groups.join("; "),
    row.lastActivity,
    row.source,
    row.evidence,
    row.monthlyPrice === null ? null : row.monthlyPrice.toFixed(2),
    row.monthlyPrice === null ? null : currency,
  ];
}

export function renderCsv(model: Pick<ReportModel, "seatRows" | "cost">): string {
  const currency = model.cost?.currency ?? null;
  const lines = [CSV_COLUMNS.map(csvField), ...model.seatRows.map((r) => csvRow(r, currency).map(csvField))];
  return lines.map((fields) => fields.join(",")).join("\r\n") + "\r\n";
}
