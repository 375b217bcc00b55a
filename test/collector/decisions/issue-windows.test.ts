import { issueActivityQueries, OVERLAP_MINUTES } from "../../../collector/decisions/issue-windows";

/** The [older, newer) minute bounds of each query, parsed back from the JQL. */
function windows(days: number, count?: number) {
  return issueActivityQueries(days, count).map((jql) => {
    const from = Number(/updated >= -(\d+)m/.exec(jql)![1]);
    const to = Number(/updated < -(\d+)m/.exec(jql)?.[1] ?? 0);
    expect(jql).toMatch(/ORDER BY updated DESC$/);
    return { from, to };
  });
}

test("90 days: four windows, most recent first and shortest, overlapping at each boundary", () => {
  expect(windows(90)).toEqual([
    { from: 16200 + OVERLAP_MINUTES, to: 0 },
    { from: 32400 + OVERLAP_MINUTES, to: 16200 },
    { from: 64800 + OVERLAP_MINUTES, to: 32400 },
    { from: 129600, to: 64800 },
  ]);
});

test.each([1, 7, 30, 90, 365])("%i days: every minute of the window is in some query, and nothing older", (days) => {
  const ws = windows(days);
  const total = days * 24 * 60;
  for (let ago = 0; ago <= total; ago += 7) expect(ws.some((w) => ago <= w.from && ago > w.to - (w.to === 0 ? 1 : 0))).toBe(true);
  expect(Math.max(...ws.map((w) => w.from))).toBe(total);
});

test("one window is the plain query", () => {
  expect(issueActivityQueries(90, 1)).toEqual(["updated >= -129600m ORDER BY updated DESC"]);
});
