/**
 * The seat report as terminal text: the headline, warnings and partial reasons first; then products, the people
 * not shown active (inactive — removable — before unknown), activity, history; caveats last. It never says that
 * everyone was active unless every holder was classified on a complete run. Pure.
 */
import { safeLine } from "../format/sanitize";
import { renderTable } from "../format/table";
import { relativeDays, type PersonRow, type ReportModel } from "./model";

/** Free text from the snapshot (group names, error notes) on one line: control characters cannot move the cursor. */
const plain = safeLine;

export function renderTerminalReport(model: ReportModel, options: { activity?: boolean; maxPeople?: number } = {}): string {
  const lines: string[] = [];
  lines.push(`Seat report — connector ${model.connector}${model.site ? ` (site ${plain(model.site)})` : ""}, as of ${model.asOf}`);
  lines.push(plain(model.headline));
  for (const warning of model.warnings) lines.push(`WARNING: ${plain(warning)}`);
  if (model.partial) lines.push(`PARTIAL: ${plain(model.partialReasons.join("; "))}`);
  lines.push("");
  const priced = model.cost !== null;
  const money = (n: number) => `${model.cost?.currency ?? ""} ${n.toFixed(2)}`.trim();
  lines.push(
    renderTable(
      [
        { header: "product" },
        { header: "plan" },
        { header: "purchased", align: "right" },
        { header: "used", align: "right" },
        { header: "identified", align: "right" },
        { header: "remaining", align: "right" },
        { header: "active", align: "right" },
        { header: "inactive", align: "right" },
        { header: "unknown", align: "right" },
        ...(priced ? [{ header: "idle / month", align: "right" as const }] : []),
      ],
      model.products.map((p) => [
        p.name,
        p.billable ? p.plan : `${p.plan ?? "FREE"} (not billed)`,
        p.unlimited ? "unlimited" : p.purchased,
        p.usedSource === "atlassian-count" ? `${p.used}*` : p.used,
        p.holdersComplete ? p.identified : `${p.identified}+`,
        p.unlimited ? "unlimited" : p.remaining,
        p.active,
        p.inactive,
        p.unknown,
        ...(priced ? [p.cost ? money(p.cost.idleMonthly) : "no price"] : []),
      ]),
    ),
  );
  if (model.products.some((p) => p.usedSource === "atlassian-count")) {
    lines.push("* used: Atlassian's own count — some granting groups' members could not be read, so fewer holders were identified (+) than hold seats.");
  }
  const t = model.totals;
  lines.push(
    `Total: ${t.seatsUsed} billable seats used of ${t.seatsPurchased} purchased (${t.seatsRemaining} remaining)${t.freeSeatsUsed ? `, plus ${t.freeSeatsUsed} on free plans` : ""}; ` +
      `${t.billableHolders} people identified on billable seats: ${t.activePeople} active, ${t.inactivePeople} inactive (${t.inactiveSeats} seat(s)), ${t.unknownPeople} unknown (${t.unknownSeats} seat(s)).`,
  );
  if (model.cost) {
    const c = model.cost;
    lines.push(`Idle cost: ${money(c.idleMonthly)} a month, ${money(c.idleYearly)} a year (inactive holders); unverified: ${money(c.unverifiedMonthly)} a month, ${money(c.unverifiedYearly)} a year (unknown holders, not proven idle).`);
    if (c.unpricedProducts.length) lines.push(`  No price for ${c.unpricedProducts.join(", ")}: their seats are not in these figures.`);
  }
  const mismatched = model.products.filter((p) => p.userCountMismatch);
  if (mismatched.length > 0) lines.push(`Note: Atlassian's own user count differs for ${mismatched.map((p) => `${p.name} (${p.atlassianUserCount} vs ${p.used})`).join(", ")}.`);
  lines.push("", ...peopleSection(model, options.maxPeople ?? 50));
  if (options.activity !== false && model.activity) {
    const a = model.activity;
    lines.push("");
    lines.push(`Last activity of the ${a.holders} seat holders, by week:`);
    const peak = Math.max(1, ...a.buckets.map((b) => b.holders));
    for (const b of a.buckets) lines.push(`  ${b.weekStart}  ${"█".repeat(Math.round((b.holders / peak) * 30)).padEnd(30)} ${b.holders}`);
    lines.push(`  earlier: ${a.before}, never seen: ${a.neverSeen}`);
  }
  if (model.history) {
    const h = model.history;
    const recent = h.points.slice(-10);
    lines.push("", `Seats used over the last ${recent.length} of ${h.points.length} snapshots ("partial": the figure is withheld, the read was incomplete):`);
    lines.push(
      renderTable(
        [{ header: "collected" }, ...h.products.map((p) => ({ header: p.name, align: "right" as const }))],
        recent.map((point) => [
          `${point.asOf.slice(0, 16).replace("T", " ")}${point.partial ? " (partial)" : ""}`,
          ...h.products.map((p) => (point.partialProducts.includes(p.key) ? "partial" : (point.used[p.key] ?? null))),
        ]),
      ).trimEnd(),
    );
  }
  if (model.evidence.length > 0) {
    lines.push("", "Evidence sources:");
    for (const e of model.evidence) lines.push(plain(`  ${e.status === "read" ? "✓" : e.status === "failed" ? "✗" : "–"} ${e.source} (${e.sees}): ${e.status}${e.note ? ` — ${e.note}` : ""}${e.fix && e.status !== "read" ? `; fix: ${e.fix}` : ""}`));
  }
  for (const caveat of model.caveats) lines.push("", `Caveat: ${plain(caveat)}`);
  return `${lines.join("\n")}\n`;
}

function peopleSection(model: ReportModel, max: number): string[] {
  const since = model.windowStart.slice(0, 10);
  const incomplete = model.partial ? " — may be incomplete (partial snapshot)" : "";
  const inactive = model.people.filter((p) => p.evidence === "inactive");
  const unknown = model.people.filter((p) => p.evidence === "unknown");
  const lines: string[] = [];
  if (model.people.length === 0) {
    // Only a complete run where every identified holder was classified active may say so.
    const allClassified = !model.partial && model.products.every((p) => p.holdersComplete && p.unknown === 0 && p.inactive === 0);
    lines.push(allClassified ? `Every identified seat holder was active since ${since}.` : `No holder is listed as inactive or unknown, but the figures are incomplete: this is not an all-clear.`);
    return lines;
  }
  lines.push(`Inactive — removable (a page-view source shows no activity since ${since}): ${inactive.length}${incomplete}`);
  if (inactive.length > 0) lines.push(peopleTable(inactive.slice(0, max)).trimEnd());
  if (inactive.length > max) lines.push(`… and ${inactive.length - max} more (use --csv, --json or --html for all).`);
  if (inactive.length > 0) lines.push("Remove a person from every listed group to free their seats (--removal-plan writes a reviewable plan).");
  lines.push("", `Unknown — not proven idle (no recorded action since ${since}, and no source sees their page views): ${unknown.length}${incomplete}`);
  if (unknown.length > 0) lines.push(peopleTable(unknown.slice(0, max)).trimEnd());
  if (unknown.length > max) lines.push(`… and ${unknown.length - max} more (use --csv, --json or --html for all).`);
  return lines;
}

function peopleTable(people: readonly PersonRow[]): string {
  const cost = people.some((p) => p.monthlyCost !== null);
  return renderTable(
    [{ header: "name", max: 32 }, { header: "email", max: 36 }, { header: "last activity" }, { header: "seats (granting groups)", max: 100 }, ...(cost ? [{ header: "per month", align: "right" as const }] : [])],
    people.map((p) => [
      p.displayName,
      p.emailAddress,
      p.lastActivityDate ? `${p.lastActivityDate} (${relativeDays(p.daysIdle)}, ${p.lastActivitySource ?? "?"})` : "never seen",
      p.seats.map((s) => `${s.productName}: ${s.groups.join(", ")}`).join("; "),
      ...(cost ? [p.monthlyCost === null ? null : p.monthlyCost.toFixed(2)] : []),
    ]),
  );
}
