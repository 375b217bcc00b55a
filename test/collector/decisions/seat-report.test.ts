import type { UserActivity } from "../../../collector/decisions/activity";
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
const base: SeatReportInput = { roles, holders: seatHolders(roles, memberships, users), activity, asOf: AS_OF, orgLastActiveUsed: true };

describe("seatReport", () => {
  const report = seatReport(base);
  const software = report.products.find((p) => p.productKey === "jira-software")!;
  const servicedesk = report.products.find((p) => p.productKey === "jira-servicedesk")!;

  test("seat counts: ours next to Atlassian's, with the mismatch flagged", () => {
    expect(software).toMatchObject({
      seatsPurchased: 10,
      seatsUsed: 5,
      atlassianUserCount: 5,
      userCountMismatch: false,
      seatsRemaining: 5,
      atlassianRemainingSeats: 5,
      excludedMembers: { inactive: 1, app: 1, customer: 0, "other-account-type": 0 },
    });
    expect(servicedesk).toMatchObject({
      hasUnlimitedSeats: true,
      seatsPurchased: null,
      seatsRemaining: null,
      seatsUsed: 2,
      atlassianUserCount: 1,
      userCountMismatch: true,
    });
  });

  test("inactive holders: never seen first, then oldest; exactly at the boundary is still active", () => {
    expect(software.inactiveHolders.map((h) => h.accountId)).toEqual(["u-never", "u-old", "u-just-before"]);
    expect(report.windowStart).toBe(ago(90));
  });

  test("each inactive holder says why it is billable and what we know", () => {
    const [never, old] = software.inactiveHolders;
    expect(never).toEqual({
      accountId: "u-never",
      displayName: "Nina",
      emailAddress: null,
      lastActivityAt: null,
      lastActivitySource: null,
      note: `no activity seen since ${ago(90)}; unknown before ${ago(90)}`,
      groups: ["jira-admins", "jira-software-users"],
    });
    expect(old).toMatchObject({
      emailAddress: "olga@acme.com",
      lastActivityAt: ago(200),
      lastActivitySource: "org-last-active",
      groups: ["jira-software-users"],
    });
    expect(old.note).toContain("200 days before");
  });

  test("deactivated and app accounts are never listed as inactive seat holders", () => {
    const listed = report.products.flatMap((p) => p.inactiveHolders.map((h) => h.accountId));
    expect(listed).not.toContain("u-inactive");
    expect(listed).not.toContain("u-app");
  });

  test("totals: seats summed per product, people counted once", () => {
    expect(report.totals).toEqual({
      seatsPurchased: 10,
      unlimitedProducts: 1,
      seatsUsed: 7,
      seatsRemaining: 5,
      distinctHolders: 5,
      inactiveSeats: 4,
      distinctInactiveHolders: 3,
    });
    expect(report.partial).toBe(false);
    expect(report.caveats).toEqual([]);
  });

  test("products sorted by key; plan from the instance licence", () => {
    const r = seatReport({ ...base, license: { applications: [{ id: "jira-software", plan: "PAID" }] } });
    expect(r.products.map((p) => [p.productKey, p.plan])).toEqual([
      ["jira-servicedesk", null],
      ["jira-software", "PAID"],
    ]);
  });

  test("inactivityDays and the evidence start are configurable", () => {
    const r = seatReport({ ...base, inactivityDays: 30, activityEvidenceSince: new Date(ago(45)) });
    const sw = r.products.find((p) => p.productKey === "jira-software")!;
    expect(sw.inactiveHolders.map((h) => h.accountId)).toEqual(["u-never", "u-old", "u-just-before", "u-boundary"]);
    expect(sw.inactiveHolders[0].note).toBe(`no activity seen since ${ago(45)}; unknown before ${ago(45)}`);
  });

  test("no activity at all: every holder is inactive", () => {
    const r = seatReport({ ...base, activity: new Map() });
    expect(r.totals.inactiveSeats).toBe(r.totals.seatsUsed);
  });

  test("partial inputs are passed through and explained", () => {
    const holders = seatHolders(roles, new Map([["jira-software-users", ["u-recent", "u-ghost"]]]), users);
    const r = seatReport({
      ...base,
      holders,
      orgLastActiveUsed: false,
      partial: { reasons: ["audit: rate limited (jira-quota-global-based)"], activityIncomplete: true },
    });
    expect(r.partial).toBe(true);
    expect(r.partialReasons).toEqual([
      "audit: rate limited (jira-quota-global-based)",
      "jira-servicedesk: members of jira-servicedesk-users not fetched; seats used is a lower bound",
      "jira-software: members of jira-admins not fetched; seats used is a lower bound",
      "jira-software: 1 group member(s) missing from the user listing, not counted",
      "activity data is incomplete: some holders listed as inactive may have been active",
    ]);
    expect(r.caveats[0]).toMatch(/audit records and issues only/);
  });

  test("a role without computed holders is reported partial, with no mismatch claimed", () => {
    const r = seatReport({ ...base, holders: [] });
    expect(r.partialReasons).toContain("jira-software: seat holders were not computed");
    expect(r.products.every((p) => !p.userCountMismatch && p.seatsUsed === 0)).toBe(true);
  });

  test("over-allocation shows as negative remaining", () => {
    const tight = [role("jira-software", ["jira-software-users"], { numberOfSeats: 3 })];
    const r = seatReport({ ...base, roles: tight, holders: seatHolders(tight, memberships, users) });
    expect(r.products[0].seatsRemaining).toBe(-2);
  });
});
