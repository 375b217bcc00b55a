/**
 * The HTML report's page script (plain inline JS; the page's CSP allows inline scripts and nothing from the
 * network): the four charts, then the people table's search box, column sorting and filters. The data comes from
 * the JSON <script> element, never from HTML, so names need no escaping here.
 */
import type { ReportModel } from "./model";
import { PALETTE, SERIES } from "./html-style";

/** What the page script needs to draw the charts. */
export function chartData(model: ReportModel) {
  const products = model.products;
  const windowStart = Date.parse(model.windowStart);
  const activity = model.activity;
  return {
    palette: PALETTE,
    series: SERIES,
    products: products.map((p) => p.name),
    purchased: products.map((p) => (p.unlimited ? null : p.purchased)),
    used: products.map((p) => p.used),
    remaining: products.map((p) => (p.unlimited ? null : p.remaining)),
    active: products.map((p) => p.active),
    inactive: products.map((p) => p.inactive),
    unknown: products.map((p) => p.unknown),
    /** Seats counted by Atlassian whose holders could not be read. */
    unidentified: products.map((p) => Math.max(0, p.used - p.identified)),
    people: { active: model.totals.activePeople, inactive: model.totals.inactivePeople, unknown: model.totals.unknownPeople },
    activity: activity
      ? {
          labels: [...activity.buckets.map((b) => `week of ${b.weekStart}`), "earlier", "never seen"],
          holders: [...activity.buckets.map((b) => b.holders), activity.before, activity.neverSeen],
          inWindow: [...activity.buckets.map((b) => Date.parse(`${b.weekStart}T00:00:00Z`) >= windowStart), false, false],
        }
      : null,
    history: model.history
      ? {
          series: model.history.products.map((product) => ({
            name: product.name,
            points: model.history!.points.filter((p) => product.key in p.used).map((p) => ({ x: Date.parse(p.asOf), y: p.used[product.key] ?? null })),
          })),
          partial: model.history.points.filter((p) => p.partialProducts.length > 0).map((p) => Date.parse(p.asOf)),
        }
      : null,
  };
}

export const CHART_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var C = data.palette;
  var MONTHS = ["Jan","Feb","Mar","Apr","May","Jun","Jul","Aug","Sep","Oct","Nov","Dec"];
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function day(ms) { var d = new Date(ms); return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear(); }
  function moment(ms) { var d = new Date(ms); return day(ms) + " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()); }
  var common = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } };
  var charts = [];
  charts.push(new Chart(document.getElementById("chart-seats"), {
    type: "bar",
    data: { labels: data.products, datasets: [
      { label: "purchased", data: data.purchased, backgroundColor: C.purchased, stack: "purchased" },
      { label: "used: active", data: data.active, backgroundColor: C.active, stack: "used" },
      { label: "used: inactive", data: data.inactive, backgroundColor: C.inactive, stack: "used" },
      { label: "used: unknown", data: data.unknown, backgroundColor: C.unknown, stack: "used" },
      { label: "used: holders not identified", data: data.unidentified, backgroundColor: C.unidentified, stack: "used" },
      { label: "remaining", data: data.remaining, backgroundColor: C.remaining, stack: "remaining" } ] },
    options: Object.assign({}, common, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: "seats" } } } })
  }));
  charts.push(new Chart(document.getElementById("chart-evidence"), {
    type: "doughnut",
    data: { labels: ["active", "inactive", "unknown"], datasets: [ { data: [data.people.active, data.people.inactive, data.people.unknown], backgroundColor: [C.active, C.inactive, C.unknown] } ] },
    options: common
  }));
  if (data.activity) {
    charts.push(new Chart(document.getElementById("chart-activity"), {
      type: "bar",
      data: { labels: data.activity.labels, datasets: [ { label: "seat holders by last activity", data: data.activity.holders,
        backgroundColor: data.activity.inWindow.map(function (w) { return w ? C.active : C.stale; }) } ] },
      options: Object.assign({}, common, { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } })
    }));
  }
  if (data.history) {
    // Snapshots a few days apart or less: the ticks need the time of day too (UTC, like every date on the page).
    var xs = [].concat.apply([], data.history.series.map(function (s) { return s.points.map(function (p) { return p.x; }); }));
    var tick = Math.max.apply(null, xs) - Math.min.apply(null, xs) < 3 * 86400000 ? moment : day;
    charts.push(new Chart(document.getElementById("chart-history"), {
      type: "line",
      data: { datasets: data.history.series.map(function (s, i) {
        var colour = data.series[i % data.series.length];
        return { label: s.name, data: s.points, borderColor: colour, backgroundColor: colour, spanGaps: false, pointRadius: 3 };
      }) },
      options: Object.assign({}, common, { scales: {
        x: { type: "linear", title: { display: true, text: "collected" }, ticks: { maxTicksLimit: 8, callback: function (v) { return tick(v); } } },
        y: { beginAtZero: true, title: { display: true, text: "seats used" } } },
        plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { title: function (items) { return items.length ? moment(items[0].parsed.x) : ""; } } } } })
    }));
  }
  window.__reportCharts = charts.length;
})();
`;

export const TABLE_SCRIPT = `
(function () {
  var table = document.getElementById("people");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("people-search");
  var evidence = document.getElementById("filter-evidence");
  var product = document.getElementById("filter-product");
  var shown = document.getElementById("people-shown");
  function apply() {
    var q = search.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (row) {
      var ok = (!q || row.textContent.toLowerCase().indexOf(q) >= 0)
        && (!evidence.value || row.getAttribute("data-evidence") === evidence.value)
        && (!product.value || (" " + row.getAttribute("data-products") + " ").indexOf(" " + product.value + " ") >= 0);
      row.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + " of " + rows.length + " shown";
  }
  [search, evidence, product].forEach(function (el) { el.addEventListener("input", apply); el.addEventListener("change", apply); });
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, index) {
    if (!th.hasAttribute("data-sort")) return;
    th.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var numeric = th.getAttribute("data-sort") === "num";
      rows.sort(function (a, b) {
        var x = a.cells[index].getAttribute("data-value"), y = b.cells[index].getAttribute("data-value");
        var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return c * dir;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
`;
