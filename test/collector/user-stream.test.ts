/** streamUsers on replayed users (no request): each user's line carries its own groups' products. */
import { streamUsers, type UserStreamResult } from "../../collector/user-stream";

test("group combinations that a joined string would confuse get their own products", async () => {
  const roles = [
    { key: "jira-software", name: "Jira", groups: ["a\u0000b"], defaultGroups: [], hasUnlimitedSeats: false },
    { key: "jira-servicedesk", name: "JSM", groups: ["a", "b"], defaultGroups: [], hasUnlimitedSeats: false },
  ];
  const memberships = new Map([
    ["a\u0000b", ["u1"]],
    ["a", ["u2"]],
    ["b", ["u2"]],
  ]);
  const lines: string[] = [];
  const out = { writeLine: (line: string) => void lines.push(line) };
  const users = ["u1", "u2", "u3"].map((accountId) => ({ accountId, accountType: "atlassian", active: true, displayName: accountId, emailAddress: null }));
  async function* replay() {
    yield* users;
  }
  const result: UserStreamResult = { holders: new Map(), fetched: 0, offset: 0 };
  await streamUsers({ jira: undefined as never, roles: roles as never, memberships, activity: new Map(), out: out as never, charge: () => undefined, result, resume: { users: replay(), offset: 3, sameListing: true, ended: true } });
  const records = lines.map((l) => JSON.parse(l));
  expect(records.map((r) => [r.accountId, r.grantingGroups, r.products])).toEqual([
    ["u1", ["a\u0000b"], [{ key: "jira-software", via: ["a\u0000b"] }]],
    ["u2", ["a", "b"], [{ key: "jira-servicedesk", via: ["a", "b"] }]],
    ["u3", [], []],
  ]);
  expect([...result.holders.keys()]).toEqual(["u1", "u2"]);
  expect(result.fetched).toBe(3);
});
