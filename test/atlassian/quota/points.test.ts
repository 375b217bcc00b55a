import {
  emptyTally,
  isPointsCharged,
  readPoints,
  type ResponseForPoints,
  responsePoints,
  tallyResponse,
} from "../../../atlassian/quota/points";

describe("points per response kind (OAuth)", () => {
  test.each<[ResponseForPoints["kind"], number, number]>([
    ["group-member", 8, 17], // §7's worked example
    ["users-search", 1000, 2001],
    ["users-search", 0, 1], // the empty page that ends the listing still costs a request
    ["group-bulk", 3, 7],
    ["user-groups", 2, 5],
    ["single-user", 0, 3],
    ["my-permissions", 1, 3],
    ["application-roles", 4, 5],
    ["instance-license", 2, 3],
    ["approximate-license-count", 0, 2],
    ["audit-records", 1000, 1001],
    ["search-jql", 100, 101],
    ["write", 50, 1],
  ])("%s with %i objects = %i points", (kind, objects, expected) => {
    expect(responsePoints({ kind, objects, auth: "oauth" })).toBe(expected);
  });

  test("readPoints is 1 + core + 2 × identity", () => {
    expect(readPoints(3, 4)).toBe(12);
  });
});

describe("exemptions", () => {
  test.each([
    ["oauth", true],
    ["api-token", false],
    ["scoped-api-token", false],
  ] as const)("%s charged: %s", (auth, charged) => {
    expect(isPointsCharged(auth)).toBe(charged);
    expect(responsePoints({ kind: "users-search", objects: 10, auth }) > 0).toBe(charged);
  });

  test("a 429 refusal is not charged", () => {
    expect(responsePoints({ kind: "users-search", objects: 0, auth: "oauth", status: 429 })).toBe(0);
  });
});

describe("tally", () => {
  test("adds requests and points per kind without mutating", () => {
    const start = emptyTally();
    let t = tallyResponse(start, { kind: "users-search", objects: 1000, auth: "oauth" });
    t = tallyResponse(t, { kind: "users-search", objects: 0, auth: "oauth" });
    t = tallyResponse(t, { kind: "application-roles", objects: 3, auth: "api-token" });
    t = tallyResponse(t, { kind: "audit-records", objects: 0, auth: "oauth", status: 429 });
    expect(start).toEqual(emptyTally());
    expect(t).toEqual({
      requests: 4,
      chargedRequests: 2,
      points: 2002,
      byKind: {
        "users-search": { requests: 2, points: 2002 },
        "application-roles": { requests: 1, points: 0 },
        "audit-records": { requests: 1, points: 0 },
      },
    });
  });
});
