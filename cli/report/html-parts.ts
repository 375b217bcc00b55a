/**
 * The HTML report's blocks: the partial banner, warnings, tiles, the product table and the people table (with its
 * search, sort and filter controls). Every piece of text from the snapshot goes through `escapeHtml`: names,
 * emails and groups come from Jira and are attacker-controlled. Pure.
 */
import { humanDate, relativeDays, type ReportModel } from "./model";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const esc = escapeHtml;

export function partialBanner(model: ReportModel): string {
  const incomplete = model.partial || model.headline.startsWith("incomplete:");
  if (!incomplete) return "";
  const reasons = model.partialReasons.length ? `<ul>${model.partialReasons.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>` : "";
  return `<div class="partial" id="partial-banner" role="alert"><strong>Partial snapshot — the figures are incomplete and this is not an all-clear.</strong> ${esc(model.headline)}${reasons}</div>`;
}

export function warningsBox(model: ReportModel): string {
  if (model.warnings.length === 0) return "";
  return `<div class="warnings" id="warnings"><strong>Warnings</strong><ul>${model.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul></div>`;
}

function card(label: string, value: string | number, note = "", kind = "", id = ""): string {
  return `<div class="card ${kind}"${id ? ` id="${id}"` : ""}><div class="value">${esc(String(value))}</div><div class="label">${esc(label)}</div>${note ? `<div class="note">${esc(note)}</div>` : ""}</div>`;
}

export function tiles(model: ReportModel): string {
  const t = model.totals;
  const c = model.cost;
  const money = (n: number) => `${c!.currency} ${n.toFixed(2)}`;
  return [
    `<div class="cards">`,
    card("seats used", t.seatsUsed, `billable products${t.freeSeatsUsed ? `; + ${t.freeSeatsUsed} on free plans` : ""}`),
    card("seats purchased", t.seatsPurchased, t.unlimitedProducts ? `+ ${t.unlimitedProducts} unlimited product(s)` : ""),
    card("seats remaining", t.seatsRemaining),
    card("inactive — removable", t.inactivePeople, `${t.inactiveSeats} seat(s)`, "inactive"),
    card("unknown — not proven idle", t.unknownPeople, `${t.unknownSeats} seat(s)`, "unknown"),
    ...(c
      ? [
          card("idle per month", money(c.idleMonthly), "inactive holders' seats", "inactive", "cost-idle-monthly"),
          card("idle per year", money(c.idleYearly), "12 × monthly", "inactive", "cost-idle-yearly"),
          card("unverified per month", money(c.unverifiedMonthly), `${money(c.unverifiedYearly)} a year; unknown holders, not proven idle`, "unknown", "cost-unverified"),
        ]
      : []),
    `</div>`,
    c?.unpricedProducts.length ? `<p class="caveat">No price for ${esc(c.unpricedProducts.join(", "))}: their seats are not in the cost.</p>` : "",
  ].join("\n");
}

export function productTable(model: ReportModel): string {
  const num = (v: number | string | null) => `<td class="num">${esc(v === null ? "—" : String(v))}</td>`;
  const rows = model.products.map(
    (p) =>
      `<tr><td>${esc(p.name)}</td><td>${esc(p.plan ?? "—")}${p.billable ? "" : " (not billed)"}</td>${num(p.unlimited ? "unlimited" : p.purchased)}` +
      `${num(p.usedSource === "atlassian-count" ? `${p.used} (Atlassian's count)` : p.used)}${num(p.holdersComplete ? p.identified : `${p.identified} (incomplete)`)}` +
      `${num(p.active)}${num(p.inactive)}${num(p.unknown)}${model.cost ? num(p.cost ? `${model.cost.currency} ${p.cost.idleMonthly.toFixed(2)}` : "no price") : ""}</tr>`,
  );
  return `<table id="products"><thead><tr><th>Product</th><th>Plan</th><th class="num">Purchased</th><th class="num">Used</th><th class="num">Identified</th><th class="num">Active</th><th class="num">Inactive</th><th class="num">Unknown</th>${model.cost ? `<th class="num">Idle / month</th>` : ""}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

export function peopleTable(model: ReportModel): string {
  if (model.people.length === 0) {
    const allClear = !model.partial && model.products.every((p) => p.holdersComplete && p.unknown === 0 && p.inactive === 0);
    return `<p>${allClear ? "Every identified seat holder was active within the window." : "No holder is listed, but the figures are incomplete: this is not an all-clear."}</p>`;
  }
  const rows = model.people.map((p) => {
    const last = p.lastActivityAt === null ? -1 : Date.parse(p.lastActivityAt);
    const seats = p.seats.map((s) => `<div><strong>${esc(s.productName)}</strong>: ${esc(s.groups.join(", "))}</div>`).join("");
    return (
      `<tr data-evidence="${p.evidence}" data-products="${esc(p.seats.map((s) => s.productKey).join(" "))}">` +
      `<td data-value="${esc(p.displayName.toLowerCase())}">${esc(p.displayName)}</td>` +
      `<td data-value="${esc((p.emailAddress ?? "").toLowerCase())}">${esc(p.emailAddress ?? "—")}</td>` +
      `<td data-value="${p.evidence === "inactive" ? 0 : 1}"><span class="badge ${p.evidence}">${p.evidence === "inactive" ? "inactive — removable" : "unknown — not proven idle"}</span></td>` +
      `<td data-value="${last}">${p.lastActivityDate ? `${esc(p.lastActivityDate)} <span class="muted">(${esc(relativeDays(p.daysIdle))}; ${esc(p.lastActivitySource ?? "?")})</span>` : `never seen <span class="muted">(evidence since ${esc(humanDate(Date.parse(model.windowStart)))})</span>`}</td>` +
      `<td data-value="${p.seats.length}">${seats}</td>` +
      `<td class="num" data-value="${p.monthlyCost ?? -1}">${p.monthlyCost === null ? "—" : esc(p.monthlyCost.toFixed(2))}</td></tr>`
    );
  });
  const productOptions = model.products.filter((p) => p.billable).map((p) => `<option value="${esc(p.key)}">${esc(p.name)}</option>`).join("");
  return `<div class="controls">
<input type="search" id="people-search" placeholder="Search name, email, group…" aria-label="Search people">
<label>Evidence <select id="filter-evidence"><option value="">all</option><option value="inactive">inactive — removable</option><option value="unknown">unknown — not proven idle</option></select></label>
<label>Product <select id="filter-product"><option value="">all</option>${productOptions}</select></label>
<span class="muted" id="people-shown"></span></div>
${model.partial ? `<p class="caveat"><strong>May be incomplete:</strong> the snapshot is partial, so people may be missing from this list.</p>` : ""}
<table id="people"><thead><tr><th data-sort="text">Name</th><th data-sort="text">Email</th><th data-sort="num">Evidence</th><th data-sort="num">Last activity</th><th data-sort="num">Seats (granting groups)</th><th class="num" data-sort="num">Per month${model.cost ? ` (${esc(model.cost.currency)})` : ""}</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
}

export function evidenceList(model: ReportModel): string {
  if (model.evidence.length === 0) return "";
  const items = model.evidence.map(
    (e) => `<li><strong>${esc(e.source)}</strong> (${esc(e.sees)}): ${esc(e.status)}${e.note ? ` — ${esc(e.note)}` : ""}${e.fix && e.status !== "read" ? `<div class="muted">Fix: ${esc(e.fix)}</div>` : ""}</li>`,
  );
  return `<section><h2>Evidence sources</h2><ul id="evidence">${items.join("")}</ul></section>`;
}
