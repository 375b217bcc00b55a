import { parseDateOnly, parseJiraTimestamp, toIso } from "../../../collector/decisions/time";

const iso = (v: string | number | null | undefined) => {
  const t = parseJiraTimestamp(v);
  return t === undefined ? undefined : toIso(t);
};

describe("parseJiraTimestamp", () => {
  test.each([
    ["Jira's own format, +0000", "2014-03-19T18:45:42.967+0000", "2014-03-19T18:45:42.967Z"],
    ["Z", "2014-03-19T18:45:42.967Z", "2014-03-19T18:45:42.967Z"],
    ["lower-case z", "2014-03-19T18:45:42.967z", "2014-03-19T18:45:42.967Z"],
    ["+05:30 with colon", "2014-03-20T00:15:42.967+05:30", "2014-03-19T18:45:42.967Z"],
    ["+0530 without colon", "2014-03-20T00:15:42.967+0530", "2014-03-19T18:45:42.967Z"],
    ["negative offset", "2014-03-19T13:45:42.967-0500", "2014-03-19T18:45:42.967Z"],
    ["hour-only offset", "2014-03-19T20:45:42.967+02", "2014-03-19T18:45:42.967Z"],
    ["no fraction", "2014-03-19T18:45:42+0000", "2014-03-19T18:45:42.000Z"],
    ["no seconds", "2014-03-19T18:45+0000", "2014-03-19T18:45:00.000Z"],
    ["microseconds truncated", "2014-03-19T18:45:42.967891Z", "2014-03-19T18:45:42.967Z"],
    ["one-digit fraction", "2014-03-19T18:45:42.9Z", "2014-03-19T18:45:42.900Z"],
    ["offset crossing a year", "2025-01-01T01:00:00.000+0200", "2024-12-31T23:00:00.000Z"],
    ["surrounding spaces", "  2014-03-19T18:45:42.967+0000 ", "2014-03-19T18:45:42.967Z"],
  ])("%s", (_name, input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  test("epoch milliseconds (Atlassian's issue examples)", () => {
    expect(iso(1_395_254_742_967)).toBe("2014-03-19T18:45:42.967Z");
    expect(iso(Number.NaN)).toBeUndefined();
  });

  test.each([
    ["no offset (local time would be a guess)", "2014-03-19T18:45:42.967"],
    ["date only", "2014-03-19"],
    ["31 February", "2024-02-31T00:00:00Z"],
    ["hour 24", "2024-01-01T24:00:00Z"],
    ["offset minutes 60", "2024-01-01T00:00:00+0060"],
    ["garbage", "yesterday"],
    ["empty", ""],
  ])("refuses %s", (_name, input) => {
    expect(parseJiraTimestamp(input)).toBeUndefined();
  });

  test("null and undefined", () => {
    expect(parseJiraTimestamp(null)).toBeUndefined();
    expect(parseJiraTimestamp(undefined)).toBeUndefined();
  });
});

describe("parseDateOnly", () => {
  test("start of the day in UTC; refuses anything else", () => {
    expect(toIso(parseDateOnly("2023-01-19")!)).toBe("2023-01-19T00:00:00.000Z");
    expect(parseDateOnly("2023-02-29")).toBeUndefined();
    expect(parseDateOnly("2023-01-19T10:00:00Z")).toBeUndefined();
    expect(parseDateOnly(null)).toBeUndefined();
  });
});
