import { exclusionReason, seatHolders } from "../../../collector/decisions/seat-holders";
import { role, user, usersById } from "./fixtures";

const users = usersById(
  user("a-alice", { displayName: "Alice", emailAddress: "alice@acme.com" }),
  user("b-bob", { displayName: "Bob", emailAddress: null }),
  user("c-carol-inactive", { active: false }),
  user("d-app", { accountType: "app" }),
  user("e-customer", { accountType: "customer" }),
  user("f-unknown", { accountType: "unknown" }),
);

describe("exclusionReason", () => {
  test.each([
    ["active atlassian account takes a seat", { accountType: "atlassian", active: true }, undefined],
    ["deactivated account releases its seat", { accountType: "atlassian", active: false }, "inactive"],
    ["app accounts never take a seat, active or not", { accountType: "app", active: true }, "app"],
    ["JSM customers are free", { accountType: "customer", active: true }, "customer"],
    ["unknown type is listed, not counted", { accountType: "unknown", active: true }, "other-account-type"],
    ["a future type is listed, not counted", { accountType: "robot", active: true }, "other-account-type"],
  ])("%s", (_name, u, expected) => {
    expect(exclusionReason(u)).toBe(expected);
  });
});

describe("seatHolders", () => {
  const software = role("jira-software", ["jira-software-users", "jira-testers"], { numberOfSeats: 10 });
  const memberships = new Map<string, string[]>([
    ["jira-software-users", ["b-bob", "a-alice", "c-carol-inactive", "d-app", "e-customer", "f-unknown"]],
    ["jira-testers", ["a-alice"]],
  ]);

  test("a user in two granting groups is one holder with both groups, sorted", () => {
    const [product] = seatHolders([software], memberships, users);
    expect(product.holders).toEqual([
      { accountId: "a-alice", displayName: "Alice", emailAddress: "alice@acme.com", groups: ["jira-software-users", "jira-testers"] },
      { accountId: "b-bob", displayName: "Bob", emailAddress: null, groups: ["jira-software-users"] },
    ]);
  });

  test("inactive, app, customer and unknown-type members are excluded with a reason", () => {
    const [product] = seatHolders([software], memberships, users);
    expect(product.excluded.map((e) => [e.accountId, e.reason])).toEqual([
      ["c-carol-inactive", "inactive"],
      ["d-app", "app"],
      ["e-customer", "customer"],
      ["f-unknown", "other-account-type"],
    ]);
    expect(product.excluded[0].groups).toEqual(["jira-software-users"]);
  });

  test("members missing from the user listing are unresolved, not counted", () => {
    const [product] = seatHolders([software], new Map([["jira-software-users", ["a-alice", "z-ghost"]]]), users);
    expect(product.holders.map((h) => h.accountId)).toEqual(["a-alice"]);
    expect(product.unresolved).toEqual(["z-ghost"]);
  });

  test("a granting group with no membership data is reported missing; an empty one is not", () => {
    const [product] = seatHolders([software], new Map([["jira-testers", []]]), users);
    expect(product.missingGroups).toEqual(["jira-software-users"]);
    expect(product.holders).toEqual([]);
  });

  test("unlimited roles still list holders; products sorted by key; groups shared between roles", () => {
    const core = role("jira-core", ["jira-software-users"], { hasUnlimitedSeats: true });
    const result = seatHolders([software, core], memberships, users);
    expect(result.map((p) => p.productKey)).toEqual(["jira-core", "jira-software"]);
    expect(result[0].holders.map((h) => h.accountId)).toEqual(["a-alice", "b-bob"]);
  });

  test("a role listing the same group twice, or a member listed twice, is not double-counted", () => {
    const dup = role("jira-software", ["jira-testers", "jira-testers"]);
    const [product] = seatHolders([dup], new Map([["jira-testers", ["a-alice", "a-alice"]]]), users);
    expect(product.holders).toHaveLength(1);
    expect(product.holders[0].groups).toEqual(["jira-testers"]);
  });

  test("a role without groups has no holders", () => {
    expect(seatHolders([role("jira-product-discovery", [])], memberships, users)[0]).toMatchObject({
      holders: [],
      missingGroups: [],
    });
  });

  test("memberships may be Sets", () => {
    const [product] = seatHolders([role("x", ["g"])], new Map([["g", new Set(["b-bob"])]]), users);
    expect(product.holders.map((h) => h.accountId)).toEqual(["b-bob"]);
  });
});
