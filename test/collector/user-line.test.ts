import { accessFragment, userLine } from "../../collector/user-line";

/** The record user-stream.ts wrote before lines were serialized by hand: the bytes must not change. */
const record = (user: Record<string, unknown>, groups: string[], products: { key: string; via: string[] }[], seen?: { lastActivityAt: unknown; lastActivitySource: unknown }) =>
  JSON.stringify({
    accountId: user.accountId,
    accountType: user.accountType,
    active: user.active,
    displayName: user.displayName,
    emailAddress: user.emailAddress ?? null,
    grantingGroups: groups,
    products,
    lastActivityAt: seen?.lastActivityAt ?? null,
    lastActivitySource: seen?.lastActivitySource ?? "none",
  });

const access = (groups: string[], products: { key: string; via: string[] }[]) => ({ groups, products, fragment: accessFragment(groups, products) });

describe("userLine writes exactly what JSON.stringify of the user's record writes", () => {
  const groups = ["jira-servicemanagement-users", "jira-software-users"];
  const products = [
    { key: "jira-servicedesk", via: ["jira-servicemanagement-users"] },
    { key: "jira-software", via: ["jira-software-users"] },
  ];
  const users: [string, Record<string, unknown>][] = [
    ["a plain user", { accountId: "712020:5b10a284-4c20-1657-00ed-e1a2b3c4d5e6", accountType: "atlassian", active: true, displayName: "Ada Lovelace", emailAddress: "ada@example.com" }],
    ["a hidden email (null) and an inactive account", { accountId: "a1", accountType: "app", active: false, displayName: "Bot", emailAddress: null }],
    ["an absent email", { accountId: "a2", accountType: "customer", active: true, displayName: "" }],
    ["strings needing escapes", { accountId: 'q"uote\\', accountType: "atlassian", active: true, displayName: "Zoë \u2028 \u0000 \ud83d\ude00 \ud800 \u001b[31m", emailAddress: "é@example.com" }],
    ["fields of unexpected types (a hand-edited checkpoint): left out or written as JSON does", { accountId: "a3", accountType: undefined, active: "yes", displayName: 42, emailAddress: 7 }],
  ];
  test.each(users)("%s", (_name, user) => {
    for (const [g, p] of [[groups, products], [[], []]] as const) {
      for (const seen of [undefined, { lastActivityAt: "2026-11-30T08:00:00.000Z", lastActivitySource: "audit" as const, detail: "audit 1: x" }]) {
        const line = userLine(user as never, access([...g], [...p]), seen);
        expect(line).toBe(record(user, [...g], [...p], seen));
        expect(() => JSON.parse(line)).not.toThrow();
      }
    }
  });
});
