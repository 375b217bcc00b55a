/**
 * `report --removal-plan`: the plan as Markdown. Markdown because it is read and reviewed by people, not parsed:
 * it reads as plain text in a terminal or an email, renders in a ticket or a pull request, and its `- [ ]` boxes
 * let the reviewer tick off each membership as it is removed. Names come from Jira and are attacker-controlled:
 * they are put in code spans (backticks stripped) so they cannot add links, images or headings. Pure.
 */
import type { ReportModel } from "./model";

/** Inline code: no Markdown inside; backticks and line breaks cannot end the span or start a block. */
export function mdCode(text: string): string {
  // eslint-disable-next-line no-control-regex -- one line per cell
  const clean = text.replace(/[`\u0000-\u001f\u007f]/g, " ").trim();
  return `\`${clean || " "}\``;
}

export function renderRemovalPlan(model: Pick<ReportModel, "connector" | "site" | "asOf" | "inactivityDays" | "windowStart" | "headline" | "partial" | "partialReasons" | "removalPlan" | "totals" | "people">): string {
  const plan = model.removalPlan;
  const unknown = model.people.filter((p) => p.evidence === "unknown").length;
  const lines: string[] = [
    `# Seat removal plan — ${mdCode(model.connector)}${model.site ? ` (site ${mdCode(model.site)})` : ""}`,
    "",
    `As of ${model.asOf}. **This package never writes to Jira:** nothing here has been done. Review each entry, then remove the memberships yourself (Atlassian Administration → Groups).`,
    "",
    `- Basis: ${plan.basis}.`,
    `- Only people proven **inactive** are listed (a page-view source shows no activity in the last ${model.inactivityDays} days, since ${model.windowStart.slice(0, 10)}).`,
    `- ${unknown} holder(s) of **unknown** activity are excluded: no configured source can see whether they read Jira. Do not remove them on this report alone.`,
    `- Summary: ${model.headline}`,
  ];
  if (model.partial) lines.push("", `> **Partial snapshot — this plan may be incomplete:** ${model.partialReasons.join("; ")}`);
  if (plan.warnings.length > 0) lines.push("", "## Warnings", "", ...plan.warnings.map((w) => `- ⚠ ${w}`));
  lines.push("", `## People (${plan.entries.length})`, "");
  if (plan.entries.length === 0) lines.push("Nobody is proven inactive: there is nothing to remove on this evidence.");
  for (const entry of plan.entries) {
    lines.push(
      `### ${mdCode(entry.displayName)}${entry.emailAddress ? ` ${mdCode(entry.emailAddress)}` : ""}`,
      "",
      `- Account ID: ${mdCode(entry.accountId)}`,
      `- Last activity: ${entry.lastActivityAt ?? "never seen"}`,
      `- Seats freed: ${entry.seatsFreed.map(mdCode).join(", ")}`,
      "- Remove from:",
      ...entry.removeFrom.map((r) => `  - [ ] ${mdCode(r.group)} (grants ${r.products.map(mdCode).join(", ")})`),
      "",
    );
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
