/**
 * The seat report as one self-contained HTML page: Chart.js (its UMD build) and the data inlined, no network
 * access at all (a strict Content-Security-Policy says so). Three charts — seats per product, inactive holders per
 * product, activity over time — and the table of inactive holders. Pure: the Chart.js source is passed in.
 */
import type { ReportModel } from "./model";

export function renderHtmlReport(model: ReportModel, chartJsSource: string): string {
  const esc = escapeHtml;
  const t = model.totals;
  const title = `Seat report — ${model.connector}`;
  const inactiveRows = model.inactiveHolders
    .map((h) => `<tr><td>${esc(h.productName)}</td><td>${esc(h.displayName)}</td><td>${esc(h.emailAddress ?? "—")}</td><td>${h.lastActivityAt ? `${esc(h.lastActivityAt.slice(0, 10))} (${h.daysIdle} days)` : "never seen"}</td><td>${esc(h.groups.join(", "))}</td></tr>`)
    .join("\n");
  const card = (label: string, value: string | number, note = "") => `<div class="card"><div class="value">${esc(String(value))}</div><div class="label">${esc(label)}</div>${note ? `<div class="note">${esc(note)}</div>` : ""}</div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2125; background: #f7f8f9; }
  header { background: #0c66e4; color: #fff; padding: 20px 32px; }
  header h1 { margin: 0 0 4px; font-size: 24px; }
  main { padding: 24px 32px; max-width: 1200px; }
  .cards { display: flex; gap: 16px; flex-wrap: wrap; margin-bottom: 24px; }
  .card { background: #fff; border-radius: 8px; padding: 16px 20px; min-width: 150px; box-shadow: 0 1px 2px rgba(0,0,0,.12); }
  .card .value { font-size: 30px; font-weight: 650; }
  .card .label { color: #44546f; }
  .card .note { color: #626f86; font-size: 12px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 20px; }
  section { background: #fff; border-radius: 8px; padding: 16px 20px; box-shadow: 0 1px 2px rgba(0,0,0,.12); margin-bottom: 20px; }
  section h2 { font-size: 17px; margin: 0 0 12px; }
  .chart { position: relative; height: 300px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #dcdfe4; vertical-align: top; }
  th { color: #44546f; font-weight: 600; }
  .partial { background: #fff7d6; border: 1px solid #f5cd47; padding: 10px 14px; border-radius: 6px; margin-bottom: 20px; }
  .caveat { color: #44546f; font-size: 13px; }
</style>
</head>
<body>
<header><h1>${esc(title)}</h1><div>${model.site ? `Site ${esc(model.site)} · ` : ""}as of ${esc(model.asOf)} · inactive = no activity for ${model.inactivityDays} days</div></header>
<main>
${model.partial ? `<div class="partial"><strong>Partial snapshot:</strong> ${esc(model.partialReasons.join("; "))}</div>` : ""}
<div class="cards">
${card("seats used", t.seatsUsed, "summed over products")}
${card("seats purchased", t.seatsPurchased, t.unlimitedProducts ? `+ ${t.unlimitedProducts} unlimited product(s)` : "")}
${card("seats remaining", t.seatsRemaining)}
${card("inactive seats", t.inactiveSeats, `${t.inactivePeople} people`)}
</div>
<div class="grid">
<section><h2>Seats per product</h2><div class="chart"><canvas id="chart-seats" role="img" aria-label="Seats purchased, used and remaining per product"></canvas></div></section>
<section><h2>Inactive seat holders per product</h2><div class="chart"><canvas id="chart-inactive" role="img" aria-label="Active and inactive seat holders per product"></canvas></div></section>
</div>
<section><h2>Activity over time: seat holders by week of last activity</h2>${model.activity ? `<div class="chart"><canvas id="chart-activity" role="img" aria-label="Seat holders by week of their last activity"></canvas></div><p class="caveat">Earlier than the first week: ${model.activity.before} · never seen: ${model.activity.neverSeen} · of ${model.activity.holders} seat holders.</p>` : `<p class="caveat">The snapshot's users file was not available.</p>`}</section>
${model.history ? `<section><h2>Seats used over time (${model.history.points.length} snapshots)</h2><div class="chart"><canvas id="chart-history" role="img" aria-label="Seats used per product at each snapshot"></canvas></div></section>` : ""}
<section><h2>Inactive seat holders (${model.inactiveHolders.length})</h2>
${model.inactiveHolders.length === 0 ? "<p>None: every seat holder was active within the window.</p>" : `<p class="caveat">Remove a person from the listed group(s) to free the seat.</p><table><thead><tr><th>Product</th><th>Name</th><th>Email</th><th>Last activity</th><th>Groups granting the seat</th></tr></thead><tbody>\n${inactiveRows}\n</tbody></table>`}
</section>
${model.caveats.map((c) => `<p class="caveat">Caveat: ${esc(c)}</p>`).join("\n")}
</main>
<script type="application/json" id="report-data">${jsonForScript(chartData(model))}</script>
<script>${scriptSafe(chartJsSource)}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

/** What the page script needs to draw the charts. */
export function chartData(model: ReportModel) {
  const limited = model.products;
  return {
    products: limited.map((p) => p.name),
    purchased: limited.map((p) => (p.unlimited ? null : p.purchased)),
    used: limited.map((p) => p.used),
    remaining: limited.map((p) => (p.unlimited ? null : p.remaining)),
    active: limited.map((p) => p.used - p.inactive),
    inactive: limited.map((p) => p.inactive),
    activity: model.activity ? { weeks: model.activity.buckets.map((b) => b.weekStart), holders: model.activity.buckets.map((b) => b.holders) } : null,
    history: model.history
      ? {
          labels: model.history.points.map((p) => `${p.asOf.slice(0, 16).replace("T", " ")}${p.partial ? " (partial)" : ""}`),
          series: model.history.products.map((product) => ({ name: product.name, used: model.history!.points.map((p) => p.used[product.key] ?? null) })),
        }
      : null,
  };
}

const CHART_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var common = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } };
  var charts = [];
  charts.push(new Chart(document.getElementById("chart-seats"), {
    type: "bar",
    data: { labels: data.products, datasets: [
      { label: "purchased", data: data.purchased, backgroundColor: "#8fb8f6" },
      { label: "used", data: data.used, backgroundColor: "#0c66e4" },
      { label: "remaining", data: data.remaining, backgroundColor: "#4bce97" } ] },
    options: Object.assign({}, common, { scales: { y: { beginAtZero: true, title: { display: true, text: "seats" } } } })
  }));
  charts.push(new Chart(document.getElementById("chart-inactive"), {
    type: "bar",
    data: { labels: data.products, datasets: [
      { label: "active holders", data: data.active, backgroundColor: "#0c66e4" },
      { label: "inactive holders", data: data.inactive, backgroundColor: "#f87168" } ] },
    options: Object.assign({}, common, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: "seat holders" } } } })
  }));
  if (data.activity) {
    charts.push(new Chart(document.getElementById("chart-activity"), {
      type: "bar",
      data: { labels: data.activity.weeks, datasets: [ { label: "seat holders last active that week", data: data.activity.holders, backgroundColor: "#6e5dc6" } ] },
      options: Object.assign({}, common, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { title: { display: true, text: "week starting" } } } })
    }));
  }
  if (data.history) {
    var palette = ["#0c66e4", "#f87168", "#4bce97", "#6e5dc6", "#f5cd47", "#2898bd"];
    charts.push(new Chart(document.getElementById("chart-history"), {
      type: "line",
      data: { labels: data.history.labels, datasets: data.history.series.map(function (s, i) {
        return { label: s.name, data: s.used, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], spanGaps: true };
      }) },
      options: Object.assign({}, common, { scales: { y: { beginAtZero: true, title: { display: true, text: "seats used" } } } })
    }));
  }
  window.__reportCharts = charts.length;
})();
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** JSON that cannot end its <script> element or open a comment: `<` becomes \\u003c. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function scriptSafe(source: string): string {
  return source.replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");
}
