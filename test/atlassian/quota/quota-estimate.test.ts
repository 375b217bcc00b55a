import { requestPlan } from "../../../atlassian/quota/request-plan";
import { DEFAULT_HOURLY_POINTS, estimateOauthCollection } from "../../../atlassian/quota/quota-estimate";

describe("estimateOauthCollection", () => {
  test("a small site: a few points, no warning", () => {
    const e = estimateOauthCollection([{ key: "jira-software", userCount: 15 }, { key: "jira-servicedesk", userCount: 4 }]);
    expect(e.warn).toBe(false);
    expect(e.points).toBe(requestPlan({ users: 15, grantingGroups: [{ name: "jira-software", members: 15 }, { name: "jira-servicedesk", members: 4 }], auditRecordsSinceWatermark: 0, matchingIssues: 0, applicationRoles: 2, licensedApplications: 2 }).totalOauthPoints);
    expect(e.message).not.toMatch(/license account/);
  });

  test("a 20k-user site takes more than half the hourly quota: the warning names the fix", () => {
    const e = estimateOauthCollection([{ key: "jira-software", userCount: 13_500 }, { key: "jira-servicedesk", userCount: 4_200 }, { key: "jira-product-discovery", userCount: 2_500 }]);
    expect(e.points).toBeGreaterThan(DEFAULT_HOURLY_POINTS / 2);
    expect(e.warn).toBe(true);
    expect(e.message).toMatch(/at least [\d,]+ points, \d+ % of the app's 65,000-point hourly quota .*add `license`.*scoped API token \(`scopedApiToken`\) — API-token traffic is exempt/);
    // The CLI names its flags instead of the provider's properties.
    const cli = estimateOauthCollection([{ key: "jira-software", userCount: 20_000 }], { licenseFix: "a license account (--license-email/--api-token)", scopedFix: "--scoped-api-token" });
    expect(cli.message).toMatch(/add a license account \(--license-email\/--api-token\) or switch to a scoped API token \(--scoped-api-token\)/);
  });

  test("a lower bound: unknown counts count as zero, and a tighter quota or share warns earlier", () => {
    expect(estimateOauthCollection([{ key: "jira-software", userCount: null }]).points).toBeGreaterThan(0);
    expect(estimateOauthCollection([{ key: "jira-software", userCount: 2000 }], { hourlyQuota: 10_000, warnShare: 0.5 }).warn).toBe(true);
  });
});
