/** The seat report's sentences: the headline, the warnings that lead it, and the caveats. Pure. */
import type { ActivitySource } from "./activity";
import { type EvidenceSource, ORG_KEY_FIX } from "./evidence";
import type { CostSummary } from "./seat-cost";
import type { ProductSeatReport, SeatReport } from "./seat-report";

/** Above this share of unclassifiable holders the report leads with a warning naming the missing source. */
export const UNKNOWN_WARNING_SHARE = 0.5;

export function headline(t: SeatReport["totals"], products: readonly ProductSeatReport[], cost: CostSummary | null, partial: boolean, activityIncomplete: boolean): string {
  const money = cost && cost.idleMonthly > 0 ? ` (${cost.currency} ${cost.idleMonthly.toFixed(2)} a month)` : "";
  const idle = `${t.inactivePeople} inactive ${t.inactivePeople === 1 ? "person holds" : "people hold"} ${t.inactiveSeats} seat(s)${money}; ${t.unknownPeople} cannot be classified`;
  const incompleteHolders = products.some((p) => p.billable && !p.holdersComplete);
  if (incompleteHolders) return `incomplete: ${t.seatsUsed} seats used per Atlassian, ${t.holdersIdentified} holders identified; ${idle} among those identified`;
  if (partial || activityIncomplete) return `incomplete: ${t.seatsUsed} seats used of ${t.seatsPurchased} purchased; ${idle}, and activity may be missing`;
  return `${t.seatsUsed} seats used of ${t.seatsPurchased} purchased; ${idle}`;
}

export const SOURCE_NAMES: Record<ActivitySource, string> = {
  "org-last-active": "org last-active dates (page views)",
  audit: "audit records",
  issue: "issues created",
  changelog: "changelog (transitions and field edits)",
  comment: "comments",
  worklog: "worklogs",
};

export function warnings(t: SeatReport["totals"], evidence: readonly EvidenceSource[]): string[] {
  const out: string[] = [];
  const org = evidence.find((s) => s.source === "org-last-active");
  const unknownHolders = t.unknownPeople;
  if (t.billableHolders > 0 && unknownHolders / t.billableHolders > UNKNOWN_WARNING_SHARE) {
    const fix = org?.status === "read" ? "the org's directory did not answer for most of them (accounts it does not manage)" : `to classify them, ${ORG_KEY_FIX}`;
    out.push(`Most seat holders (${unknownHolders} of ${t.billableHolders}) cannot be classified: none of the configured sources sees people who only read Jira; ${fix}. Do not remove them on this report alone.`);
  }
  for (const s of evidence) {
    if (s.source === "org-last-active" || s.status === "read") continue;
    out.push(`${SOURCE_NAMES[s.source]} ${s.status === "failed" ? "failed" : "not read"}: ${s.note ?? ""}${s.fix ? `; ${s.fix}` : ""}`);
  }
  return out;
}

export function caveats(evidence: readonly EvidenceSource[]): string[] {
  const read = evidence.filter((s) => s.status === "read").map((s) => SOURCE_NAMES[s.source]);
  const out = [`activity evidence read: ${read.join(", ") || "none"}`];
  if (!evidence.some((s) => s.source === "org-last-active" && s.status === "read")) {
    out.push("without org last-active dates, a holder with no recorded action is 'unknown', not 'inactive': people who only view issues and boards leave no record in Jira");
  }
  return out;
}
