import { scheduleSyntaxProblem } from "../../components/schedule-expression";

/** EventBridge Scheduler's expression syntax, as AWS documents it: what it accepts passes, what it refuses is named. */

test.each([
  "cron(0 23 * * ? *)",
  "cron(0 23 ? * MON-FRI *)",
  "cron(0/15 * * * ? *)",
  "cron(5,35 8-18/2 ? JAN-DEC 2#1 2026-2199)",
  "cron(0 12 L * ? *)",
  "cron(0 12 LW * ? *)",
  "cron(0 12 15W * ? *)",
  "cron(0 12 ? * 6L *)",
  "cron(0 12 ? * L *)",
  "cron(0 12 ? * sun *)",
  "rate(1 minute)",
  "rate(5 minutes)",
  "rate(1 hour)",
  "rate(12 hours)",
  "rate(1 day)",
  "rate(3 days)",
  "at(2027-03-31T23:00:00)",
])("accepted: %s", (expression) => {
  expect(scheduleSyntaxProblem(expression)).toBeUndefined();
});

test.each<[string, RegExp]>([
  ["cron(0 23 * * * *)", /exactly one of day-of-month and day-of-week must be \?/],
  ["cron(0 23 * * MON-FRI *)", /exactly one of day-of-month and day-of-week must be \?.*cron\(0 23 \? \* MON-FRI \*\)/],
  ["cron(0 23 ? * ? *)", /exactly one of day-of-month and day-of-week must be \?/],
  ["cron(0 23 * *)", /needs 6 fields/],
  ["cron(60 23 * * ? *)", /minutes "60" must use values 0-59/],
  ["cron(0 24 * * ? *)", /hours "24" must use values 0-23/],
  ["cron(0 23 0 * ? *)", /day-of-month "0" must use values 1-31/],
  ["cron(0 23 * 13 ? *)", /month "13" must use values 1-12 or JAN-DEC/],
  ["cron(0 23 ? * 8 *)", /day-of-week "8" must use values 1-7 or SUN-SAT/],
  ["cron(0 23 * * ? 1969)", /year "1969" must use values 1970-2199/],
  ["cron(0/0 23 * * ? *)", /minutes "0\/0" has a step that is not a whole number of at least 1/],
  ["cron(? 23 * * ? *)", /minutes "\?" cannot be \?/],
  ["cron(L 23 * * ? *)", /minutes "L" must use values 0-59/],
  ["cron(0 23 32W * ? *)", /day-of-month "32W" needs a day from 1 to 31 before W/],
  ["cron(0 23 ? * 2#6 *)", /day-of-week "2#6" must be day#n/],
  ["cron(0 23 * * ? *) ", /needs 6 fields|is not/],
  ["rate(1 minutes)", /write rate\(1 minute\) \(AWS requires the singular unit for 1/],
  ["rate(5 minute)", /write rate\(5 minutes\)/],
  ["rate(0 hours)", /value must be a whole number of at least 1/],
  ["rate(2 weeks)", /unit must be minute\(s\), hour\(s\) or day\(s\)/],
  ["rate(2  hours)", /write rate\(value unit\) with one space/],
  ["at(2027-02-30T23:00:00)", /is not a calendar date and time/],
  ["at(2027-03-31 23:00)", /write at\(yyyy-mm-ddThh:mm:ss\)/],
  ["daily", /is not an EventBridge Scheduler expression/],
])("refused: %s", (expression, expected) => {
  expect(scheduleSyntaxProblem(expression)).toMatch(expected);
});
