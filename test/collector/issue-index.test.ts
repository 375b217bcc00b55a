import { IssueIndex } from "../../collector/issue-index";

describe("IssueIndex", () => {
  it("keeps each issue once, with the first key read", () => {
    const index = new IssueIndex();
    expect(index.add("10001", "ACME-1")).toBe(true);
    expect(index.add("10001", "OTHER-9")).toBe(false);
    expect(index.size).toBe(1);
    expect(index.has("10001")).toBe(true);
    expect(index.label("10001")).toBe("ACME-1");
  });

  it.each([
    ["numeric ID, ordinary key", "10002", "ACME_2-4194303"],
    ["a key whose number does not fit the packing", "10003", "ACME-4194304"],
    ["a key with a leading zero", "10004", "ACME-0123"],
    ["a key that is not <project>-<number>", "10005", "weird key"],
    ["a key that is the ID", "10006", "10006"],
    ["a project with hyphens", "10007", "A-B-12"],
    ["a non-numeric ID", "abc-1", "ACME-3"],
    ["an ID beyond 2^31", "4294967296", "ACME-5"],
    ["an ID with a leading zero", "0123", "ACME-6"],
  ])("returns the key it was given (%s)", (_case, id, key) => {
    const index = new IssueIndex();
    index.add(id, key);
    expect(index.label(id)).toBe(key);
    expect(index.has(id)).toBe(true);
    expect(index.add(id, "X-1")).toBe(false);
  });

  it("labels an issue without a key, and an unknown issue, by its ID", () => {
    const index = new IssueIndex();
    index.add("20001", undefined);
    expect(index.label("20001")).toBe("20001");
    expect(index.label("99999")).toBe("99999");
    expect(index.has("99999")).toBe(false);
  });

  it("tells apart IDs that differ only in form (numeric and verbatim are separate)", () => {
    const index = new IssueIndex();
    index.add("123", "P-1");
    index.add("0123", "P-2");
    expect(index.size).toBe(2);
    expect([index.label("123"), index.label("0123")]).toEqual(["P-1", "P-2"]);
  });

  it("keeps keys exact across many projects, past the packed project range", () => {
    const index = new IssueIndex();
    for (let p = 0; p < 600; p++) index.add(String(1000 + p), `P${p}-${p + 1}`);
    for (let p = 0; p < 600; p++) expect(index.label(String(1000 + p))).toBe(`P${p}-${p + 1}`);
    expect(index.size).toBe(600);
  });
});
