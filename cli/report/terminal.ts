/** The seat report as terminal text: products, inactive holders, activity, caveats. Pure. */
import { renderTable } from "../format/table";
import type { ReportModel } from "./model";

export function renderTerminalReport(model: ReportModel, options: { activity?: boolean; maxInactive?: number } = {}): string {
  const lines: string[] = [];
  lines.push(`Seat report — connector ${model.connector}${model.site ? ` (site ${model.site})` : ""}, as of ${model.asOf}`);
  if (model.partial) lines.push(`PARTIAL: ${model.partialReasons.join("; ")}`);
  lines.push("");
  lines.push(
    renderTable(
      [{ header: "product" }, { header: "plan" }, { header: "purchased", align: "right" }, { header: "used", align: "right" }, { header: "remaining", align: "right" }, { header: "inactive", align: "right" }],
      model.products.map((p) => [p.name, p.plan, p.unlimited ? "unlimited" : p.purchased, p.used, p.unlimited ? "unlimited" : p.remaining, p.inactive]),
    ),
  );
  const t = model.totals;
  lines.push(`Total: ${t.seatsUsed} seats used of ${t.seatsPurchased} purchased (${t.seatsRemaining} remaining), ${t.distinctHolders} people; ${t.inactivePeople} inactive for ${model.inactivityDays}+ days hold ${t.inactiveSeats} seat(s).`);
  const mismatched = model.products.filter((p) => p.userCountMismatch);
  if (mismatched.length > 0) lines.push(`Note: Atlassian's own user count differs for ${mismatched.map((p) => `${p.name} (${p.atlassianUserCount} vs ${p.used})`).join(", ")}.`);
  lines.push("");
  if (model.inactiveHolders.length === 0) {
    lines.push(`No seat holder has been inactive for ${model.inactivityDays} days or more.`);
  } else {
    const max = options.maxInactive ?? 50;
    lines.push(`Inactive seat holders (no activity since ${model.windowStart.slice(0, 10)}) — remove them from the group(s) to free the seat:`);
    lines.push(
      renderTable(
        [{ header: "product" }, { header: "name", max: 32 }, { header: "email", max: 36 }, { header: "last activity" }, { header: "groups", max: 48 }],
        model.inactiveHolders.slice(0, max).map((h) => [h.productName, h.displayName, h.emailAddress, h.lastActivityAt ? `${h.lastActivityAt.slice(0, 10)} (${h.daysIdle} d)` : "never seen", h.groups.join(", ")]),
      ),
    );
    if (model.inactiveHolders.length > max) lines.push(`… and ${model.inactiveHolders.length - max} more (use --json or --html for all).`);
  }
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
    lines.push("", `Seats used over the last ${recent.length} of ${h.points.length} snapshots:`);
    lines.push(
      renderTable(
        [{ header: "collected" }, ...h.products.map((p) => ({ header: p.name, align: "right" as const }))],
        recent.map((point) => [`${point.asOf.slice(0, 16).replace("T", " ")}${point.partial ? " (partial)" : ""}`, ...h.products.map((p) => point.used[p.key] ?? null)]),
      ).trimEnd(),
    );
  }
  for (const caveat of model.caveats) lines.push("", `Caveat: ${caveat}`);
  return `${lines.join("\n")}\n`;
}
