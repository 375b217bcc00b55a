/**
 * The longest gap between two runs of an EventBridge Scheduler expression, as an upper bound, for the "no
 * successful run for 2 × the schedule period" alarm. Exact for `rate(...)` and for the usual cron shapes (fixed
 * minute, hour lists/ranges/steps, day-of-week lists/ranges); conservative (longer) otherwise. Pure.
 *
 * CloudWatch limits an alarm's whole evaluation window to 7 days, so 2 × period must fit: schedules that can leave
 * more than 3.5 days between runs (weekly, monthly, one-time `at(...)`) are refused.
 */

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
export const MAX_SCHEDULE_PERIOD_SECONDS = 3.5 * DAY;

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

class ScheduleExpressionError extends Error {}

export function schedulePeriodSeconds(expression: string): number {
  const period = rawPeriod(expression.trim());
  if (period > MAX_SCHEDULE_PERIOD_SECONDS) {
    throw new ScheduleExpressionError(
      `${JSON.stringify(expression)} can leave more than 3.5 days between runs; the missed-run alarm (2 × period) ` +
        "must fit CloudWatch's 7-day evaluation window",
    );
  }
  return period;
}

/** Why `expression` cannot be used, or undefined. */
export function schedulePeriodProblem(expression: string): string | undefined {
  try {
    schedulePeriodSeconds(expression);
    return undefined;
  } catch (error) {
    if (error instanceof ScheduleExpressionError) return error.message;
    throw error;
  }
}

function rawPeriod(expression: string): number {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const count = Number(rate[1]);
    if (count < 1) throw new ScheduleExpressionError(`${JSON.stringify(expression)} must run at least once`);
    const unit = rate[2]!.startsWith("minute") ? MINUTE : rate[2]!.startsWith("hour") ? HOUR : DAY;
    return count * unit;
  }
  if (/^at\(/.test(expression)) {
    throw new ScheduleExpressionError(`${JSON.stringify(expression)} runs once; the collector needs a recurring schedule`);
  }
  const cron = /^cron\(([^)]*)\)$/.exec(expression);
  if (!cron) throw new ScheduleExpressionError(`${JSON.stringify(expression)} is not a cron(...) or rate(...) expression`);
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleExpressionError(`${JSON.stringify(expression)} needs 6 fields: minutes hours day-of-month month day-of-week year`);
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  const any = (field: string) => field === "*" || field === "?";
  if (!any(month) || !any(year) || !any(dayOfMonth)) {
    throw new ScheduleExpressionError(
      `${JSON.stringify(expression)} restricts the day of month, month or year, so runs can be weeks apart`,
    );
  }
  const minuteGap = hours === "*" ? circularGap(values(minutes, 0, 59, expression), 60) * MINUTE : HOUR;
  const hourGap = hours === "*" ? minuteGap : circularGap(values(hours, 0, 23, expression), 24) * HOUR;
  if (any(dayOfWeek)) return hours === "*" ? minuteGap : hourGap;
  // Some weekdays only: the gap spans from a day's last run to the next listed day's first run (bounded by whole days).
  return circularGap(values(dayOfWeek.toUpperCase(), 1, 7, expression, DAY_NAMES), 7) * DAY;
}

/** The values a cron field selects: `*`, `n`, `a-b`, `a,b`, `*\/s`, `a/s`, `a-b/s` (day names for day-of-week). */
function values(field: string, min: number, max: number, expression: string, names?: string[]): number[] {
  const parse = (token: string) => {
    const named = names?.indexOf(token);
    if (named !== undefined && named >= 0) return named + 1;
    if (!/^\d+$/.test(token)) throw new ScheduleExpressionError(`${JSON.stringify(expression)}: unsupported cron value ${JSON.stringify(token)}`);
    const value = Number(token);
    if (value < min || value > max) throw new ScheduleExpressionError(`${JSON.stringify(expression)}: ${token} is out of range`);
    return value;
  };
  const selected = new Set<number>();
  for (const part of field.split(",")) {
    const [range, stepText] = part.split("/") as [string, string | undefined];
    const step = stepText === undefined ? 1 : parse(stepText);
    if (step < 1) throw new ScheduleExpressionError(`${JSON.stringify(expression)}: step must be at least 1`);
    const [from, to] = range === "*" ? [min, max] : range.includes("-") ? range.split("-").map(parse) : [parse(range), stepText ? max : parse(range)];
    for (let v = from!; v <= to!; v += step) selected.add(v);
  }
  if (selected.size === 0) throw new ScheduleExpressionError(`${JSON.stringify(expression)} selects nothing`);
  return [...selected].sort((a, b) => a - b);
}

/** Longest distance between consecutive selected values on a cycle of `size` (one value → the whole cycle). */
function circularGap(sorted: number[], size: number): number {
  let gap = sorted[0]! + size - sorted[sorted.length - 1]!;
  for (let i = 1; i < sorted.length; i++) gap = Math.max(gap, sorted[i]! - sorted[i - 1]!);
  return gap;
}
