/**
 * The seat report as one self-contained HTML page: Chart.js (its UMD build) and the data inlined, no network
 * access at all (a strict Content-Security-Policy says so). The headline and a partial banner first, warnings,
 * tiles (with idle cost when priced), four charts — seats per product, people by evidence, last activity, seats
 * over time — and the people table with search, sort and filters. Pure: the Chart.js source is passed in.
 * Styles and colours: html-style.ts; blocks: html-parts.ts; page script: html-script.ts.
 */
import type { ReportModel } from "./model";
import { humanDate } from "./model";
import { escapeHtml, evidenceList, partialBanner, peopleTable, productTable, tiles, warningsBox } from "./html-parts";
import { CHART_SCRIPT, chartData, TABLE_SCRIPT } from "./html-script";
import { CSS } from "./html-style";

export { chartData } from "./html-script";
export { escapeHtml } from "./html-parts";

export function renderHtmlReport(model: ReportModel, chartJsSource: string): string {
  const esc = escapeHtml;
  const title = `Seat report — ${model.connector}`;
  const history = model.history;
  const withheld = history ? history.points.filter((p) => p.partialProducts.length > 0).length : 0;
  const a = model.activity;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(title)}</h1><div>${model.site ? `Site ${esc(model.site)} · ` : ""}as of ${esc(humanDate(Date.parse(model.asOf)))} (${esc(model.asOf)}) · activity window: ${model.inactivityDays} days, since ${esc(humanDate(Date.parse(model.windowStart)))}</div></header>
<main>
${partialBanner(model)}
<p class="headline" id="headline">${esc(model.headline)}</p>
${warningsBox(model)}
${tiles(model)}
<section><h2>Products</h2>${productTable(model)}</section>
<div class="grid">
<section><h2>Seats per product</h2><div class="chart"><canvas id="chart-seats" role="img" aria-label="Seats purchased, used by evidence, and remaining per product"></canvas></div></section>
<section><h2>People by evidence</h2><div class="chart"><canvas id="chart-evidence" role="img" aria-label="Seat holders active, inactive and unknown"></canvas></div></section>
</div>
<section><h2>Last activity: seat holders by week</h2>${a ? `<div class="chart"><canvas id="chart-activity" role="img" aria-label="Seat holders by week of their last activity, earlier, and never seen"></canvas></div><p class="caveat">Of ${a.holders} seat holders: ${a.before} last seen earlier than the first week, ${a.neverSeen} never seen.</p>` : `<p class="caveat">The snapshot's users file was not available.</p>`}</section>
${history ? `<section><h2>Seats used over time (${history.points.length} snapshots)</h2><div class="chart"><canvas id="chart-history" role="img" aria-label="Seats used per product at each snapshot"></canvas></div>${withheld ? `<p class="caveat" id="history-partial">${withheld} snapshot(s) were partial or read holders incompletely: their figures are left out (gaps), not drawn as real counts.</p>` : ""}</section>` : ""}
<section><h2>Seat holders not shown active (${model.people.length})</h2>
${peopleTable(model)}
</section>
${evidenceList(model)}
${model.caveats.map((c) => `<p class="caveat">Caveat: ${esc(c)}</p>`).join("\n")}
</main>
<script type="application/json" id="report-data">${jsonForScript(chartData(model))}</script>
<script>${scriptSafe(chartJsSource)}</script>
<script>${CHART_SCRIPT}</script>
<script>${TABLE_SCRIPT}</script>
</body>
</html>
`;
}

/** JSON that cannot end its <script> element or open a comment: `<` becomes \\u003c. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function scriptSafe(source: string): string {
  return source.replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");
}
