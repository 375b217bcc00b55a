import type { UserActivity } from "../../../collector/decisions/activity";
import { planEvidence } from "../../../collector/decisions/evidence";
import { seatHolders } from "../../../collector/decisions/seat-holders";
import { seatReport, type SeatReportInput } from "../../../collector/decisions/seat-report";
import { role, user, usersById } from "./fixtures";

const AS_OF = new Date("2026-06-01T00:00:00.000Z");
const DAY = 86_400_000;
const ago = (days: number, ms = 0) => new Date(AS_OF.getTime() - days * DAY - ms).toISOString();
const act = (at: string, source: UserActivity["lastActivitySource"] = "audit"): UserActivity => ({
  lastActivityAt: at,
  lastActivitySource: source,
  detail: `${source} evidence`,
});

const users = usersById(
  user("u-recent"),
  user("u-boundary"),
  user("u-just-before"),
  user("u-old", { displayName: "Olga", emailAddress: "olga@acme.com" }),
  user("u-never", { displayName: "Nina", emailAddress: null }),
  user("u-inactive", { active: false }),
  user("u-app", { accountType: "app" }),
);
const roles = [
  role("jira-software", ["jira-software-users", "jira-admins"], { numberOfSeats: 10, remainingSeats: 5, userCount: 5 }),
  role("jira-servicedesk", ["jira-servicedesk-users"], { hasUnlimitedSeats: true, userCount: 1 }),
];
const memberships = new Map([
  ["jira-software-users", ["u-recent", "u-boundary", "u-just-before", "u-old", "u-never", "u-inactive", "u-app"]],
  ["jira-admins", ["u-never"]],
  ["jira-servicedesk-users", ["u-never", "u-recent"]],
]);
const activity = new Map<string, UserActivity>([
  ["u-recent", act(ago(1), "issue")],
  ["u-boundary", act(ago(90))],
  ["u-just-before", act(ago(90, 1))],
  ["u-old", act(ago(200), "org-last-active")],
  ["u-inactive", act(ago(1))],
]);
// The org directory answered for everyone but u-just-before (e.g. an account it does not manage).
const cover = new Set(["u-recent", "u-boundary", "u-old", "u-never", "u-inactive"]);
const withOrg = planEvidence({ kind: "api-token" }, true);
const base: SeatReportInput = { roles, holders: seatHolders(roles, memberships, users), activity, asOf: AS_OF, evidence: withOrg, pageViewsCover: cover };

describe("seatReport", () => {
  const report = seatReport(base);
  const software = report.products.find((p) => p.productKey === "jira-software")!;
  const servicedesk = report.products.find((p) => p.productKey === "jira-servicedesk")!;

  test("seat counts: ours next to Atlassian's, with the mismatch flagged", () => {
    expect(software).toMatchObject({
      seatsPurchased: 10,
      seatsUsed: 5,
      seatsUsedSource: "group-members",
      holdersIdentified: 5,
      holdersComplete: true,
      atlassianUserCount: 5,
      userCountMismatch: false,
      seatsRemaining: 5,
      atlassianRemainingSeats: 5,
      excludedMembers: { inactive: 1, app: 1, customer: 0, "other-account-type": 0 },
      holdersByEvidence: { active: 2, inactive: 2, unknown: 1 },
    });
    expect(servicedesk).toMatchObject({ hasUnlimitedSeats: true, seatsPurchased: null, seatsRemaining: null, seatsUsed: 2, atlassianUserCount: 1, userCountMismatch: true });
  });

  test("evidence strength: inactive only where page views cover the person; exactly at the boundary is active", () => {
    expect(software.inactiveHolders.map((h) => [h.accountId, h.evidence])).toEqual([
      ["u-never", "inactive"],
      ["u-old", "inactive"],
      ["u-just-before", "unknown"],
    ]);
    expect(report.windowStart).toBe(ago(90));
  });

  test("each listed holder says why it is billable and what we know", () => {
    const [never, old] = software.inactiveHolders;
    expect(never).toEqual({
      accountId: "u-never",
      displayName: "Nina",
      emailAddress: null,
      evidence: "inactive",
      lastActivityAt: null,
      lastActivitySource: null,
      note: "no activity since the window start; the org's last-active dates show none",
      groups: ["jira-admins", "jira-software-users"],
    });
    expect(old).toMatchObject({ emailAddress: "olga@acme.com", lastActivityAt: ago(200), lastActivitySource: "org-last-active", groups: ["jira-software-users"] });
    expect(old.note).toContain("200 days before");
  });

  test("deactivated and app accounts are never listed", () => {
    const listed = [...report.products.flatMap((p) => p.inactiveHolders.map((h) => h.accountId)), ...report.people.map((p) => p.accountId)];
    expect(listed).not.toContain("u-inactive");
    expect(listed).not.toContain("u-app");
  });

  test("one row per person with every seat they hold; inactive before unknown", () => {
    expect(report.people.map((p) => [p.accountId, p.evidence, p.seats.map((s) => s.productKey)])).toEqual([
      ["u-never", "inactive", ["jira-servicedesk", "jira-software"]],
      ["u-old", "inactive", ["jira-software"]],
      ["u-just-before", "unknown", ["jira-software"]],
    ]);
  });

  test("totals: seats summed per product, people counted once", () => {
    expect(report.totals).toEqual({
      seatsPurchased: 10,
      unlimitedProducts: 1,
      freeProducts: 0,
      seatsUsed: 7,
      seatsRemaining: 5,
      freeSeatsUsed: 0,
      holdersIdentified: 7,
      distinctHolders: 5,
      billableHolders: 5,
      activePeople: 2,
      inactivePeople: 2,
      unknownPeople: 1,
      inactiveSeats: 3,
      unknownSeats: 1,
    });
    expect(report.partial).toBe(false);
    expect(report.headline).toBe("7 seats used of 10 purchased; 2 inactive people hold 3 seat(s); 1 cannot be classified");
    expect(report.warnings).toEqual([]);
  });

  test("the removal plan holds inactive people only, group by group, and warns about admin groups", () => {
    expect(report.removalPlan.entries.map((e) => [e.accountId, e.removeFrom, e.seatsFreed])).toEqual([
      ["u-never", [{ group: "jira-admins", products: ["jira-software"] }, { group: "jira-servicedesk-users", products: ["jira-servicedesk"] }, { group: "jira-software-users", products: ["jira-software"] }], ["jira-servicedesk", "jira-software"]],
      ["u-old", [{ group: "jira-software-users", products: ["jira-software"] }], ["jira-software"]],
    ]);
    expect(report.removalPlan.warnings[0]).toMatch(/^jira-admins may also grant administration/);
  });

  test("FREE plans are neither purchased seats nor cost; prices give idle and unverified cost", () => {
    const r = seatReport({
      ...base,
      license: { applications: [{ id: "jira-software", plan: "PAID" }, { id: "jira-servicedesk", plan: "FREE" }] },
      pricing: { currency: "EUR", monthlyPerSeat: { "jira-software": 8.6, "jira-servicedesk": 20 } },
    });
    const sw = r.products.find((p) => p.productKey === "jira-software")!;
    expect(sw.cost).toEqual({ monthlyPerSeat: 8.6, idleMonthly: 17.2, idleYearly: 206.4, unverifiedMonthly: 8.6, unverifiedYearly: 103.2 });
    expect(r.products.find((p) => p.productKey === "jira-servicedesk")).toMatchObject({ billable: false, cost: null });
    expect(r.cost).toEqual({ currency: "EUR", idleMonthly: 17.2, idleYearly: 206.4, unverifiedMonthly: 8.6, unverifiedYearly: 103.2, unpricedProducts: [], freeProducts: ["jira-servicedesk"] });
    expect(r.totals).toMatchObject({ seatsUsed: 5, freeProducts: 1, freeSeatsUsed: 2, inactiveSeats: 2 });
    // The FREE seat is not in the person's row; the person still is, for the paid one.
    expect(r.people.find((p) => p.accountId === "u-never")).toMatchObject({ seats: [{ productKey: "jira-software" }], monthlyCost: 8.6 });
    expect(r.headline).toContain("(EUR 17.20 a month)");
  });

  test("without page-view evidence nobody is 'inactive', and a majority of unknowns leads with the fix", () => {
    const r = seatReport({ ...base, evidence: planEvidence({ kind: "api-token" }, false), pageViewsCover: undefined });
    expect(r.totals).toMatchObject({ inactivePeople: 0, unknownPeople: 3, activePeople: 2 });
    expect(r.removalPlan.entries).toEqual([]);
    expect(r.warnings[0]).toMatch(/^Most seat holders \(3 of 5\) cannot be classified: .*org: \{ orgId, apiKey \}.*Do not remove them on this report alone\.$/);
    expect(r.caveats.join(" ")).toMatch(/'unknown', not 'inactive'/);
  });

  test("OAuth with the 13 scopes: changelog, comments and worklogs are named as not read, with the scopes that add them", () => {
    const r = seatReport({ ...base, evidence: planEvidence({ kind: "oauth", grantedScopes: ["read:audit-log:jira", "read:issue-details:jira"] }, false) });
    const notRead = r.warnings.filter((w) => w.includes("not read"));
    expect(notRead.map((w) => w.split(" ")[0])).toEqual(["audit", "issues", "changelog", "comments", "worklogs"]);
    expect(notRead.find((w) => w.startsWith("changelog"))).toContain("read:issue.changelog:jira");
  });

  test("inactivityDays and the evidence start are configurable", () => {
    const r = seatReport({ ...base, inactivityDays: 30, activityEvidenceSince: new Date(ago(45)), pageViewsCover: new Set() });
    const sw = r.products.find((p) => p.productKey === "jira-software")!;
    expect(sw.inactiveHolders.map((h) => h.accountId)).toEqual(["u-never", "u-old", "u-just-before", "u-boundary"]);
    expect(sw.inactiveHolders[0].note).toBe(`no recorded action since ${ago(45)}; no configured source sees page views`);
  });

  test("incomplete member reads: seats used is Atlassian's count, the headline says how many holders are known", () => {
    const holders = seatHolders(roles, new Map([["jira-software-users", ["u-recent", "u-ghost"]]]), users);
    const r = seatReport({ ...base, holders, partial: { reasons: ["audit: rate limited (jira-quota-global-based)"], activityIncomplete: true } });
    expect(r.partial).toBe(true);
    expect(r.partialReasons).toEqual([
      "audit: rate limited (jira-quota-global-based)",
      "jira-servicedesk: members of jira-servicedesk-users not fetched",
      "jira-software: members of jira-admins not fetched",
      "jira-software: 1 group member(s) missing from the user listing, not counted",
      "activity data is incomplete: some holders not shown active may have been active",
    ]);
    expect(r.products.find((p) => p.productKey === "jira-software")).toMatchObject({ seatsUsed: 5, seatsUsedSource: "atlassian-count", holdersIdentified: 1, holdersComplete: false, userCountMismatch: false, seatsRemaining: 5 });
    expect(r.headline).toMatch(/^incomplete: 6 seats used per Atlassian, 1 holders identified; /);
  });

  test("a role without computed holders falls back to Atlassian's count and is partial", () => {
    const r = seatReport({ ...base, holders: [] });
    expect(r.partialReasons).toContain("jira-software: seat holders were not computed");
    expect(r.products.map((p) => [p.productKey, p.seatsUsed, p.seatsUsedSource, p.userCountMismatch])).toEqual([
      ["jira-servicedesk", 1, "atlassian-count", false],
      ["jira-software", 5, "atlassian-count", false],
    ]);
    expect(r.headline).toMatch(/^incomplete: 6 seats used per Atlassian, 0 holders identified/);
  });

  test("over-allocation shows as negative remaining", () => {
    const tight = [role("jira-software", ["jira-software-users"], { numberOfSeats: 3 })];
    const r = seatReport({ ...base, roles: tight, holders: seatHolders(tight, memberships, users) });
    expect(r.products[0].seatsRemaining).toBe(-2);
  });
});
