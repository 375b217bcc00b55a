/** Plain-text tables for the terminal. Pure. */

export type Align = "left" | "right";

export interface Column {
  header: string;
  align?: Align;
  /** Longest a cell may be before it is cut with `…` (default: unlimited). */
  max?: number;
}

/** Renders rows under a header and a rule, columns padded to their widest cell. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cells = rows.map((row) => columns.map((column, i) => cut(cellText(row[i]), column.max)));
  const widths = columns.map((column, i) => Math.max(width(column.header), ...cells.map((row) => width(row[i]))));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => (columns[i].align === "right" ? value.padStart(widths[i] + value.length - width(value)) : value.padEnd(widths[i] + value.length - width(value))))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => "─".repeat(w))), ...cells.map(line)].join("\n") + "\n";
}

function cellText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  // eslint-disable-next-line no-control-regex -- a cell is one line; control characters would break the layout
  return String(value).replace(/[\u0000-\u001f\u007f]/g, " ");
}

function cut(text: string, max: number | undefined): string {
  if (max === undefined || width(text) <= max) return text;
  return `${[...text].slice(0, Math.max(1, max - 1)).join("")}…`;
}

/** Code points, not UTF-16 units, so "—" and "✓" count as one column. */
function width(text: string): number {
  return [...text].length;
}
