/**
 * The fleet report as one self-contained HTML page: inline CSS and inline SVG, no script at all and no external
 * resource — the Content-Security-Policy allows nothing but inline styles (and `data:` images), so even text that
 * slipped past escaping could not run or fetch. Pure.
 *
 * Every string from the snapshots (site, person and product names, account IDs, timestamps) is attacker-controlled
 * — a Jira display name is whatever the user typed — so each goes through `text()`: terminal escapes, C0/C1 controls
 * and bidi overrides removed as on the terminal (`safeLine`), then HTML-escaped, inside `<bdi>` so a right-to-left
 * name cannot reorder the cells around it.
 */
import { escapeHtml } from "../report/html-parts";
import { safeLine } from "../format/sanitize";
import type { FleetReportModel, TrendRow } from "./model";

/** The cell text of a server-supplied string, as the page shows it (tests compare against this). */
export function fleetCellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return safeLine(String(value));
}

const text = (value: string | number | boolean | null | undefined) => `<bdi>${escapeHtml(fleetCellText(value))}</bdi>`;
const num = (value: number | null | undefined) => (value === null || value === undefined ? "—" : String(value));
export const fleetMoney = (n: number | null) => (n === null ? "—" : n.toFixed(2));

const CSS = `
:root{--fg:#1d2433;--muted:#5b6475;--line:#d9dee7;--accent:#2f5fb3;--warn:#a4441c;--bg:#fff;--band:#f5f7fa}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:20px 28px;border-bottom:1px solid var(--line);background:var(--band)}h1{margin:0 0 4px;font-size:22px}
main{padding:8px 28px 40px;max-width:1200px}h2{font-size:17px;margin:28px 0 8px}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.tile{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:170px}
.tile .value{font-size:22px;font-weight:600}.tile .label{color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--band);font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.caveat{color:var(--muted);font-size:13px}.unknown{color:var(--warn)}
svg.spark{display:block}svg.spark polyline{fill:none;stroke:var(--accent);stroke-width:2}svg.spark .cap{stroke:var(--line);stroke-dasharray:3 3}
`;

function table(id: string, headers: { label: string; numeric?: boolean }[], rows: string[][]): string {
  const head = headers.map((h) => `<th${h.numeric ? ' class="n"' : ""}>${escapeHtml(h.label)}</th>`).join("");
  const body = rows.map((cells) => `<tr>${cells.map((c, i) => `<td${headers[i]?.numeric ? ' class="n"' : ""}>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Seats used (line) against seats purchased (dashed) over one site's snapshots: numbers only, nothing to escape. */
function sparkline(points: TrendRow[]): string {
  const width = 240;
  const height = 48;
  const values = points.flatMap((p) => [p.seats_used ?? 0, p.seats_purchased ?? 0]);
  const max = Math.max(1, ...values);
  const x = (i: number) => (points.length === 1 ? width / 2 : (i * (width - 8)) / (points.length - 1) + 4);
  const y = (v: number) => height - 4 - (v * (height - 8)) / max;
  const line = (pick: (p: TrendRow) => number | null) => points.map((p, i) => `${x(i).toFixed(1)},${y(pick(p) ?? 0).toFixed(1)}`).join(" ");
  return `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="seats used over ${points.length} snapshot(s)"><polyline class="cap" points="${line((p) => p.seats_purchased)}"/><polyline points="${line((p) => p.seats_used)}"/></svg>`;
}

export function renderFleetHtml(model: FleetReportModel, generatedAt: string): string {
  const billableUsed = model.products.filter((p) => p.billable !== false).reduce((sum, p) => sum + (p.seats_used ?? 0), 0);
  const sites = [...new Set(model.trend.map((t) => t.connector))];
  const tile = (id: string, value: string, label: string) => `<div class="tile" id="${id}"><div class="value">${value}</div><div class="label">${escapeHtml(label)}</div></div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fleet report — ${model.connectors.length} connector(s)</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>Fleet report — ${model.connectors.length} connector(s)</h1><div id="connectors">${model.connectors.map(text).join(", ")}</div><div class="caveat">Newest complete snapshot of each connector; generated ${escapeHtml(generatedAt)}.</div></header>
<main>
<div class="tiles">
${tile("tile-connectors", String(model.connectors.length), "connectors")}
${tile("tile-seats-used", String(billableUsed), "billable seats used")}
${tile("tile-multi-site", String(model.multiSite.length), "people holding seats on several sites")}
${tile("tile-idle-everywhere", String(model.idleEverywhere.length), "people not shown active anywhere")}
</div>
<section><h2>Seats per site and product</h2>
${table("seats", [{ label: "site" }, { label: "product" }, { label: "plan" }, { label: "purchased", numeric: true }, { label: "used", numeric: true }, { label: "inactive", numeric: true }, { label: "unknown", numeric: true }],
  model.products.map((p) => [text(p.connector), text(p.product_name ?? p.product_key), p.billable === false ? "free" : "billable", num(p.seats_purchased), num(p.seats_used), num(p.inactive_holders), num(p.unknown_holders)]))}
</section>
<section><h2>Monthly cost of seats not shown active</h2>
${table("idle-cost", [{ label: "site" }, { label: "inactive (idle)", numeric: true }, { label: "unknown (unverified)", numeric: true }], model.idleCost.map((c) => [text(c.connector), fleetMoney(c.inactiveMonthly), fleetMoney(c.unknownMonthly)]))}
<p class="caveat">— : that site's snapshot has no prices. Unknown means not proven idle: never remove a seat on that alone.</p>
</section>
<section><h2>People holding seats on several sites (${model.multiSite.length})</h2>
${table("multi-site", [{ label: "person" }, { label: "account ID" }, { label: "sites", numeric: true }, { label: "where" }], model.multiSite.map((p) => [text(p.displayName), text(p.accountId), String(p.sites.length), p.sites.map(text).join(", ")]))}
</section>
<section><h2>People not shown active on any site where they hold a seat (${model.idleEverywhere.length})</h2>
${table("idle-everywhere", [{ label: "person" }, { label: "account ID" }, { label: "evidence" }, { label: "where" }],
  model.idleEverywhere.map((p) => [text(p.displayName), text(p.accountId), `<span class="${p.evidence}">${p.evidence}</span>`, p.sites.map(text).join(", ")]))}
</section>
<section><h2>Billable seats over time</h2>
${table("trend-sites", [{ label: "site" }, { label: "snapshots", numeric: true }, { label: "used (dashed: purchased)" }], sites.map((site) => {
    const points = model.trend.filter((t) => t.connector === site);
    return [text(site), String(points.length), sparkline(points)];
  }))}
${table("trend", [{ label: "site" }, { label: "collected at" }, { label: "used", numeric: true }, { label: "purchased", numeric: true }], model.trend.map((t) => [text(t.connector), text(t.collected_at), num(t.seats_used), num(t.seats_purchased)]))}
</section>
</main>
</body>
</html>
`;
}
