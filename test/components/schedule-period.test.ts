import { MAX_SCHEDULE_PERIOD_SECONDS, schedulePeriodProblem, schedulePeriodSeconds } from "../../components/schedule-period";

/** The longest gap between runs, which sizes the "no successful run for 2 × period" alarm. */

const HOUR = 3600;
const DAY = 86_400;

test.each([
  ["cron(0 23 * * ? *)", DAY],
  ["cron(30 6 ? * * *)", DAY],
  ["cron(0 0,12 * * ? *)", 12 * HOUR],
  ["cron(0 1,5,23 * * ? *)", 18 * HOUR],
  ["cron(0 8-18 * * ? *)", 14 * HOUR],
  ["cron(0 */6 * * ? *)", 6 * HOUR],
  ["cron(15 * * * ? *)", HOUR],
  ["cron(0/20 * * * ? *)", 20 * 60],
  ["cron(0 23 ? * MON-FRI *)", 3 * DAY],
  ["cron(0 23 ? * 2,4,6 *)", 3 * DAY],
  ["rate(1 minute)", 60],
  ["rate(5 minutes)", 300],
  ["rate(6 hours)", 6 * HOUR],
  ["rate(1 day)", DAY],
  ["rate(3 days)", 3 * DAY],
])("%s → %i s", (expression, seconds) => {
  expect(schedulePeriodSeconds(expression)).toBe(seconds);
  expect(schedulePeriodProblem(expression)).toBeUndefined();
});

test.each([
  ["cron(0 23 ? * MON *)", /more than 3.5 days/],
  ["rate(4 days)", /more than 3.5 days/],
  ["cron(0 23 1 * ? *)", /day of month, month or year/],
  ["cron(0 23 * 6 ? *)", /day of month, month or year/],
  ["at(2027-01-01T00:00:00)", /runs once/],
  ["cron(0 23 * *)", /needs 6 fields/],
  ["cron(0 25 * * ? *)", /25 is out of range/],
  ["cron(0 23 ? * 1#2 *)", /unsupported cron value/],
  ["rate(0 hours)", /at least once/],
  ["every day", /not a cron\(...\) or rate\(...\)/],
])("%s is refused", (expression, why) => {
  expect(schedulePeriodProblem(expression)).toMatch(why);
  expect(() => schedulePeriodSeconds(expression)).toThrow(why);
});

test("the limit keeps 2 × period inside CloudWatch's 7-day alarm window", () => {
  expect(2 * MAX_SCHEDULE_PERIOD_SECONDS).toBe(7 * DAY);
});
