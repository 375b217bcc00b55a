/** Plain-text tables for the terminal. Pure. */
import { safeLine } from "./sanitize";

export type Align = "left" | "right";

export interface Column {
  header: string;
  align?: Align;
  /** Longest a cell may be before it is cut with `…` (default: unlimited). */
  max?: number;
  /** Widest a cell may be: longer text wraps onto more lines at spaces, nothing is cut (a fix must be read whole). */
  wrap?: number;
}

/** Renders rows under a header and a rule, columns padded to their widest cell; a wrapped row spans several lines. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cells = rows.map((row) => columns.map((column, i) => wrapText(cut(cellText(row[i]), column.max), column.wrap)));
  const widths = columns.map((column, i) => Math.max(width(column.header), ...cells.flatMap((row) => row[i].map(width))));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => (columns[i].align === "right" ? value.padStart(widths[i] + value.length - width(value)) : value.padEnd(widths[i] + value.length - width(value))))
      .join("  ")
      .trimEnd();
  const rowLines = (row: readonly string[][]) =>
    Array.from({ length: Math.max(...row.map((c) => c.length)) }, (_, n) => line(row.map((c) => c[n] ?? "")));
  return [line(columns.map((c) => c.header)), line(widths.map((w) => "─".repeat(w))), ...cells.flatMap(rowLines)].join("\n") + "\n";
}

/** Greedy word wrap; a word longer than `limit` (a URL) is split hard so the column keeps its width. */
export function wrapText(text: string, limit: number | undefined): string[] {
  if (limit === undefined || width(text) <= limit) return [text];
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    let rest = word;
    while (width(rest) > limit) {
      if (current !== "") lines.push(current);
      current = "";
      lines.push([...rest].slice(0, limit).join(""));
      rest = [...rest].slice(limit).join("");
    }
    if (current === "") current = rest;
    else if (width(current) + 1 + width(rest) <= limit) current += ` ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  if (current !== "") lines.push(current);
  return lines;
}

function cellText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  // A cell is one line: escapes and line breaks (names come from Atlassian) would break the layout or the terminal.
  return safeLine(String(value));
}

function cut(text: string, max: number | undefined): string {
  if (max === undefined || width(text) <= max) return text;
  return `${[...text].slice(0, Math.max(1, max - 1)).join("")}…`;
}

/** Code points, not UTF-16 units, so "—" and "✓" count as one column. */
function width(text: string): number {
  return [...text].length;
}
