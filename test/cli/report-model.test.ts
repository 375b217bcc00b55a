/**
 * The report's presentation decisions, from seat reports built by the collector's own `seatReport`: the model
 * (people, cost with prices given to `report`, history with partial points withheld, older snapshots upgraded),
 * the terminal text (headline first, never an all-clear on partial or unknown evidence), the CSV (columns, RFC
 * 4180 quoting, formula injection), the removal plan and the HTML blocks.
 */
import type { UserActivity } from "../../collector/decisions/activity";
import { planEvidence } from "../../collector/decisions/evidence";
import { seatHolders } from "../../collector/decisions/seat-holders";
import { seatReport, type SeatReportInput } from "../../collector/decisions/seat-report";
import { CSV_COLUMNS, csvField, renderCsv } from "../../cli/report/csv";
import { chartData, escapeHtml, renderHtmlReport } from "../../cli/report/html";
import { humanDate, relativeDays, reportModel, seatHistory, type HistoricReport, type StoredSeatReportDocument } from "../../cli/report/model";
import { mdCode, renderRemovalPlan } from "../../cli/report/removal-plan";
import { renderTerminalReport } from "../../cli/report/terminal";
import { role, user, usersById } from "../collector/decisions/fixtures";

const AS_OF = new Date("2026-12-01T00:00:00.000Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(AS_OF.getTime() - days * DAY).toISOString();
const act = (at: string, source: UserActivity["lastActivitySource"] = "audit"): UserActivity => ({ lastActivityAt: at, lastActivitySource: source, detail: `${source} evidence` });

const users = usersById(
  user("u-active", { displayName: "Ada" }),
  user("u-idle", { displayName: "=HYPERLINK(\"http://evil\",\"x\")", emailAddress: "idle@acme.com" }),
  user("u-old", { displayName: "Olga, \"the admin\"", emailAddress: "olga@acme.com" }),
  user("u-reader", { displayName: "<script>alert(1)</script>", emailAddress: null }),
  user("u-free", { displayName: "Fred" }),
);
const roles = [
  role("jira-software", ["jira-software-users", "site-admins"], { numberOfSeats: 10, remainingSeats: 6, userCount: 4 }),
  role("jira-servicedesk", ["jira-servicedesk-users"], { numberOfSeats: 5, userCount: 2 }),
  role("jira-core", ["jira-core-users"], { hasUnlimitedSeats: true, userCount: 1 }),
];
const memberships = new Map([
  ["jira-software-users", ["u-active", "u-idle", "u-old", "u-reader"]],
  ["site-admins", ["u-old"]],
  ["jira-servicedesk-users", ["u-old", "u-active"]],
  ["jira-core-users", ["u-free"]],
]);
const activity = new Map<string, UserActivity>([
  ["u-active", act(ago(3), "issue")],
  ["u-old", act(ago(124), "org-last-active")],
]);
const license = { applications: [{ id: "jira-software", plan: "PAID" }, { id: "jira-servicedesk", plan: "PAID" }, { id: "jira-core", plan: "FREE" }] } as unknown as SeatReportInput["license"];
const input: SeatReportInput = {
  roles,
  holders: seatHolders(roles, memberships, users),
  activity,
  asOf: AS_OF,
  license,
  evidence: planEvidence({ kind: "api-token" }, true),
  // The org directory answered for u-idle and u-old (inactive); u-reader is not in it (unknown).
  pageViewsCover: new Set(["u-active", "u-idle", "u-old", "u-free"]),
};
const doc = (extra: Partial<SeatReportInput> = {}): StoredSeatReportDocument => ({ connector: "acme", site: "acme", ...seatReport({ ...input, ...extra }) });
const PRICING = { currency: "EUR", monthlyPerSeat: { "jira-software": 8.6, "jira-servicedesk": 20, "jira-core": 5 } };

describe("report model", () => {
  const model = reportModel({ seatReport: doc(), users: null });

  test("products: used with its source, identified, evidence counts; FREE is not billable", () => {
    expect(model.products.map((p) => [p.key, p.billable, p.used, p.usedSource, p.identified, p.active, p.inactive, p.unknown])).toEqual([
      ["jira-core", false, 1, "group-members", 1, 0, 1, 0],
      ["jira-servicedesk", true, 2, "group-members", 2, 1, 1, 0],
      ["jira-software", true, 4, "group-members", 4, 1, 2, 1],
    ]);
    expect(model.headline).not.toMatch(/^incomplete:/);
    expect(model.cost).toBeNull();
  });

  test("people: one row each, inactive first, with every billable seat, its groups and a human date", () => {
    expect(model.people.map((p) => [p.accountId, p.evidence, p.seats.map((s) => s.productKey)])).toEqual([
      ["u-idle", "inactive", ["jira-software"]],
      ["u-old", "inactive", ["jira-servicedesk", "jira-software"]],
      ["u-reader", "unknown", ["jira-software"]],
    ]);
    const olga = model.people[1]!;
    expect(olga).toMatchObject({ lastActivityDate: "30 Jul 2026", daysIdle: 124, lastActivitySource: "org-last-active" });
    expect(olga.seats.find((s) => s.productKey === "jira-software")?.groups).toEqual(["jira-software-users", "site-admins"]);
    expect(model.removalPlan.entries.map((e) => e.accountId)).toEqual(["u-idle", "u-old"]);
    expect(model.seatRows).toHaveLength(4);
  });

  test("prices given to report recompute product, total and per-person cost (FREE never counted)", () => {
    const priced = reportModel({ seatReport: doc(), users: null, pricing: PRICING });
    expect(priced.products.find((p) => p.key === "jira-software")?.cost).toEqual({ monthlyPerSeat: 8.6, idleMonthly: 17.2, idleYearly: 206.4, unverifiedMonthly: 8.6, unverifiedYearly: 103.2 });
    expect(priced.products.find((p) => p.key === "jira-core")?.cost).toBeNull();
    expect(priced.cost).toMatchObject({ currency: "EUR", idleMonthly: 37.2, idleYearly: 446.4, unverifiedMonthly: 8.6, freeProducts: ["jira-core"] });
    expect(priced.people.map((p) => p.monthlyCost)).toEqual([8.6, 28.6, 8.6]);
    expect(priced.headline).toMatch(/EUR 37\.20 a month/);
    expect(priced.seatRows.find((r) => r.accountId === "u-old" && r.productKey === "jira-servicedesk")?.monthlyPrice).toBe(20);
  });

  test("dates: human and relative to the report, not the reader's clock", () => {
    expect(humanDate(Date.parse("2026-12-01T23:59:00Z"))).toBe("1 Dec 2026");
    expect([relativeDays(null), relativeDays(0), relativeDays(1), relativeDays(124)]).toEqual(["never seen", "today", "1 day ago", "124 days ago"]);
  });

  test("an older snapshot (no evidence fields) is upgraded: its holders are unknown, never removable", () => {
    const old = {
      connector: "acme",
      asOf: "2026-11-30T12:00:00.000Z",
      inactivityDays: 90,
      windowStart: "2026-09-01T12:00:00.000Z",
      products: [
        { productKey: "jira-software", productName: "Jira Software", plan: "PAID", hasUnlimitedSeats: false, seatsPurchased: 20, seatsUsed: 15, atlassianUserCount: 14, userCountMismatch: true, seatsRemaining: 5, atlassianRemainingSeats: 6,
          inactiveHolders: [{ accountId: "a", displayName: "bob", emailAddress: null, lastActivityAt: null, lastActivitySource: null, note: "", groups: ["g"] }], excludedMembers: { inactive: 0, app: 0, customer: 0, "other-account-type": 0 } },
      ],
      totals: { seatsPurchased: 20, unlimitedProducts: 0, seatsUsed: 15, seatsRemaining: 5, distinctHolders: 15, inactiveSeats: 1, distinctInactiveHolders: 1 },
      partial: false,
      partialReasons: [],
      caveats: [],
    } as unknown as StoredSeatReportDocument;
    const upgraded = reportModel({ seatReport: old, users: null });
    expect(upgraded.products[0]).toMatchObject({ active: 14, inactive: 0, unknown: 1, billable: true });
    expect(upgraded.people.map((p) => [p.displayName, p.evidence])).toEqual([["bob", "unknown"]]);
    expect(upgraded.removalPlan.entries).toEqual([]);
    expect(upgraded.totals).toMatchObject({ inactiveSeats: 0, unknownSeats: 1, inactivePeople: 0, unknownPeople: 1 });
    expect(upgraded.warnings.join()).toMatch(/older collector/);
    expect(() => renderTerminalReport(upgraded)).not.toThrow();
    expect(() => renderHtmlReport(upgraded, "")).not.toThrow();
  });
});

describe("seat history", () => {
  const at = (asOf: string, partial: boolean, products: [string, number, boolean?][]): HistoricReport => ({
    asOf,
    partial,
    products: products.map(([productKey, seatsUsed, holdersComplete]) => ({ productKey, productName: productKey, seatsUsed, ...(holdersComplete === undefined ? {} : { holdersComplete }) })),
  });
  test("a partial snapshot's and an incomplete product's figures are withheld (null + flagged), never zero; old shapes count", () => {
    const history = seatHistory([
      at("2026-11-03T00:00:00.000Z", false, [["jira-software", 12, true], ["jira-core", 2, false]]),
      at("2026-11-01T00:00:00.000Z", false, [["jira-software", 10]]), // an older snapshot: no holdersComplete
      at("2026-11-02T00:00:00.000Z", true, [["jira-software", 3]]),
    ])!;
    expect(history.points).toEqual([
      { asOf: "2026-11-01T00:00:00.000Z", partial: false, used: { "jira-software": 10 }, partialProducts: [] },
      { asOf: "2026-11-02T00:00:00.000Z", partial: true, used: { "jira-software": null }, partialProducts: ["jira-software"] },
      { asOf: "2026-11-03T00:00:00.000Z", partial: false, used: { "jira-software": 12, "jira-core": null }, partialProducts: ["jira-core"] },
    ]);
    const model = reportModel({ seatReport: doc(), users: null, history: [at("2026-11-01T00:00:00.000Z", false, [["jira-software", 10]]), at("2026-11-02T00:00:00.000Z", true, [["jira-software", 3]])] });
    const text = renderTerminalReport(model);
    expect(text).toMatch(/2026-11-02 00:00 \(partial\)\s+partial/);
    expect(text).not.toMatch(/2026-11-02 00:00 \(partial\)\s+0/);
    // The chart: a linear time axis (epoch ms), the partial point a gap.
    expect(chartData(model).history?.series[0]?.points).toEqual([{ x: Date.parse("2026-11-01T00:00:00.000Z"), y: 10 }, { x: Date.parse("2026-11-02T00:00:00.000Z"), y: null }]);
    expect(seatHistory([at("2026-11-01T00:00:00.000Z", false, [])])).toBeNull();
  });
});

describe("terminal", () => {
  test("headline first, people by evidence with seats and groups, caveats last", () => {
    const text = renderTerminalReport(reportModel({ seatReport: doc(), users: null, pricing: PRICING }));
    const lines = text.split("\n");
    expect(lines[1]).toMatch(/^2 seats? used|^\d+ seats used of \d+ purchased; 2 inactive people hold 3 seat\(s\)/);
    expect(text).toMatch(/Jira Core|jira-core\s+FREE \(not billed\)/);
    expect(text).toMatch(/Inactive — removable .*: 2\n/);
    expect(text).toMatch(/Unknown — not proven idle .*: 1\n/);
    expect(text.indexOf("Inactive — removable")).toBeLessThan(text.indexOf("Unknown — not proven idle"));
    expect(text).toMatch(/30 Jul 2026 \(124 days ago, org-last-active\)/);
    expect(text).toMatch(/jira-software: jira-software-users, site-admins/);
    expect(text).toMatch(/Idle cost: EUR 37\.20 a month, EUR 446\.40 a year/);
    expect(text).toMatch(/idle \/ month/);
    expect(text.trimEnd().split("\n").pop()).toMatch(/^Caveat: /);
    expect(text).not.toMatch(/every seat holder was active|No seat holder has been inactive/i);
  });

  test("a partial run leads with 'incomplete:', marks Atlassian's count, says 'may be incomplete', never all-clear", () => {
    const partialHolders = seatHolders(roles, new Map([...memberships].filter(([g]) => g !== "jira-servicedesk-users")), users);
    const model = reportModel({ seatReport: doc({ holders: partialHolders, partial: { reasons: ["group membership: rate limited"] } }), users: null });
    const text = renderTerminalReport(model);
    expect(text.split("\n")[1]).toMatch(/^incomplete: \d+ seats used per Atlassian, \d+ holders identified/);
    expect(text).toMatch(/PARTIAL: .*rate limited/);
    expect(text).toMatch(/jira-servicedesk\s+PAID\s+5\s+2\*\s+0\+/);
    expect(text).toMatch(/\* used: Atlassian's own count/);
    expect(text).toMatch(/may be incomplete/);
    expect(text).not.toMatch(/every (identified )?seat holder was active|No seat holder has been inactive/i);
  });

  test("no people listed: an all-clear only on a complete, fully classified run", () => {
    const everyoneActive = new Map([...users.keys()].map((id) => [id, act(ago(1))]));
    const clean = renderTerminalReport(reportModel({ seatReport: doc({ activity: everyoneActive }), users: null }));
    expect(clean).toMatch(/Every identified seat holder was active since/);
    const partial = renderTerminalReport(reportModel({ seatReport: doc({ activity: everyoneActive, partial: { reasons: ["users: cut short"] } }), users: null }));
    expect(partial).not.toMatch(/Every identified seat holder was active/);
    expect(partial).toMatch(/not an all-clear/);
  });
});

describe("CSV", () => {
  test("RFC 4180 quoting and formula neutralizing", () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    for (const lead of ["=", "+", "-", "@", "\t", "\r"]) expect(csvField(`${lead}SUM(A1)`).replace(/^"/, "")).toMatch(/^'/);
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
  });
  test("one row per not-active billable seat, the columns in order, CRLF line ends", () => {
    const csv = renderCsv(reportModel({ seatReport: doc(), users: null, pricing: PRICING }));
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines[0]).toBe("person,account ID,email,product,groups,last activity,source,evidence,monthly price,currency");
    expect(lines.slice(1, -1)).toEqual([
      `"'=HYPERLINK(""http://evil"",""x"")",u-idle,idle@acme.com,jira-software,jira-software-users,,,inactive,8.60,EUR`,
      `"Olga, ""the admin""",u-old,olga@acme.com,jira-servicedesk,jira-servicedesk-users,2026-07-30,org-last-active,inactive,20.00,EUR`,
      `"Olga, ""the admin""",u-old,olga@acme.com,jira-software,jira-software-users; site-admins,2026-07-30,org-last-active,inactive,8.60,EUR`,
      `<script>alert(1)</script>,u-reader,,jira-software,jira-software-users,,,unknown,8.60,EUR`,
    ]);
    expect(lines.at(-1)).toBe("");
    // Without prices the price columns are empty.
    expect(renderCsv(reportModel({ seatReport: doc(), users: null })).split("\r\n")[1]).toMatch(/,inactive,,$/);
  });
});

describe("removal plan", () => {
  test("inactive people only, their memberships and seats freed, admin warning, never-writes header", () => {
    const plan = renderRemovalPlan(reportModel({ seatReport: doc(), users: null }));
    expect(plan).toMatch(/This package never writes to Jira/);
    expect(plan).toMatch(/1 holder\(s\) of \*\*unknown\*\* activity are excluded/);
    expect(plan).toMatch(/## Warnings\n\n- ⚠ site-admins may also grant administration/);
    expect(plan).toMatch(/## People \(2\)/);
    expect(plan).toContain("  - [ ] `site-admins` (grants `jira-software`)");
    expect(plan).toContain("- Seats freed: `jira-servicedesk`, `jira-software`");
    expect(plan).not.toContain("u-reader");
    expect(mdCode("a`b\nc")).toBe("`a b c`");
  });
  test("a partial snapshot's plan says it may be incomplete", () => {
    expect(renderRemovalPlan(reportModel({ seatReport: doc({ partial: { reasons: ["users: cut short"] } }), users: null }))).toMatch(/Partial snapshot — this plan may be incomplete:\*\* users: cut short/);
  });
});

describe("HTML", () => {
  test("escapes names; partial banner, warnings, cost tiles, people table with controls; one palette", () => {
    const partial = reportModel({ seatReport: doc({ partial: { reasons: ["group membership: <b>rate</b> limited"] } }), users: [], pricing: PRICING });
    const html = renderHtmlReport(partial, "window.Chart = function () {}; // </script> inside");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain(escapeHtml("<script>alert(1)</script>"));
    expect(html).not.toContain("<b>rate</b>");
    expect(html).toContain("<\\/script> inside");
    expect(html).toMatch(/id="partial-banner"[^>]*><strong>Partial snapshot/);
    expect(html.indexOf('id="partial-banner"')).toBeLessThan(html.indexOf('id="headline"'));
    expect(html).toMatch(/id="cost-idle-monthly"><div class="value">EUR 37\.20/);
    expect(html).toMatch(/id="cost-idle-yearly"><div class="value">EUR 446\.40/);
    expect(html).toMatch(/id="people-search"/);
    expect(html).toMatch(/<tr data-evidence="unknown" data-products="jira-software">/);
    expect(html).toMatch(/30 Jul 2026 <span class="muted">\(124 days ago/);
    expect(html).not.toMatch(/every seat holder was active/i);
    const data = chartData(partial);
    expect(data.activity?.labels.at(-1)).toBe("never seen");
    expect(data.palette).toMatchObject({ active: expect.any(String), inactive: expect.any(String), unknown: expect.any(String), purchased: expect.any(String), remaining: expect.any(String) });
    expect(new Set(Object.values(data.palette)).size).toBe(Object.keys(data.palette).length);
    const complete = renderHtmlReport(reportModel({ seatReport: doc(), users: null }), "");
    expect(complete).not.toContain('id="partial-banner"');
    expect(complete).not.toContain('id="cost-idle-monthly"');
  });
});

test("terminal: free text from the snapshot cannot carry terminal escapes or line breaks", () => {
  const model = reportModel({ seatReport: doc({ partial: { reasons: ["group membership: evil\u001b[2J\ngroup"] } }), users: null });
  const text = renderTerminalReport(model);
  expect(text).not.toContain("\u001b");
  // The whole sequence goes, not just its ESC; the line break becomes a space.
  expect(text).toMatch(/PARTIAL: group membership: evil group/);
});
