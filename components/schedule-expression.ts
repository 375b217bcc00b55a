/**
 * The syntax EventBridge Scheduler accepts for `ScheduleExpression`, checked at preview so a typo fails there and not
 * in the middle of `pulumi up` (AWS answers a bad expression with a bare ValidationException). Rules as AWS documents
 * them for Scheduler: `at(yyyy-mm-ddThh:mm:ss)`, `rate(value unit)` (unit singular iff value is 1) and
 * `cron(minutes hours day-of-month month day-of-week year)`. Whether the schedule suits the collector (recurring, at
 * most 3.5 days apart) is schedule-period.ts's question, asked after this one. Pure.
 */

interface Field {
  label: string;
  min: number;
  max: number;
  names?: string[];
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const FIELDS: Field[] = [
  { label: "minutes", min: 0, max: 59 },
  { label: "hours", min: 0, max: 23 },
  { label: "day-of-month", min: 1, max: 31 },
  { label: "month", min: 1, max: 12, names: MONTHS },
  { label: "day-of-week", min: 1, max: 7, names: DAYS },
  { label: "year", min: 1970, max: 2199 },
];
const DAY_OF_MONTH = 2;
const DAY_OF_WEEK = 4;

/** Why EventBridge Scheduler would refuse `expression`, or undefined. */
export function scheduleSyntaxProblem(expression: string): string | undefined {
  const quoted = JSON.stringify(expression);
  if (expression.startsWith("at(")) return atProblem(expression, quoted);
  if (expression.startsWith("rate(")) return rateProblem(expression, quoted);
  if (expression.startsWith("cron(")) return cronProblem(expression, quoted);
  return `${quoted} is not an EventBridge Scheduler expression: use cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 23 * * ? *), or rate(value unit), e.g. rate(12 hours)`;
}

function atProblem(expression: string, quoted: string): string | undefined {
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  const fix = "write at(yyyy-mm-ddThh:mm:ss), e.g. at(2027-03-31T23:00:00)";
  if (!at) return `${quoted}: ${fix}`;
  const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!real || hour > 23 || minute > 59 || second > 59) return `${quoted} is not a calendar date and time: ${fix}`;
  return undefined;
}

function rateProblem(expression: string, quoted: string): string | undefined {
  const rate = /^rate\((\S+) (\S+)\)$/.exec(expression);
  if (!rate) return `${quoted}: write rate(value unit) with one space, e.g. rate(1 hour) or rate(12 hours)`;
  const [, valueText, unit] = rate as unknown as [string, string, string];
  if (!/^[1-9]\d*$/.test(valueText)) return `${quoted}: the rate's value must be a whole number of at least 1`;
  const singular = unit.replace(/s$/, "");
  if (!["minute", "hour", "day"].includes(singular)) return `${quoted}: the rate's unit must be minute(s), hour(s) or day(s)`;
  const want = valueText === "1" ? singular : `${singular}s`;
  if (unit !== want) return `${quoted}: write rate(${valueText} ${want}) (AWS requires the singular unit for 1, the plural otherwise)`;
  return undefined;
}

function cronProblem(expression: string, quoted: string): string | undefined {
  const cron = /^cron\(([^()]*)\)$/.exec(expression);
  const fields = cron ? cron[1]!.trim().split(/\s+/) : [];
  if (fields.length !== 6) {
    return `${quoted} needs 6 fields: cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 23 * * ? *)`;
  }
  const problems: string[] = [];
  fields.forEach((text, index) => {
    const problem = fieldProblem(text.toUpperCase(), index);
    if (problem) problems.push(`${FIELDS[index]!.label} ${JSON.stringify(text)} ${problem}`);
  });
  const domAny = fields[DAY_OF_MONTH] === "?";
  const dowAny = fields[DAY_OF_WEEK] === "?";
  if (domAny === dowAny) {
    problems.push(
      "exactly one of day-of-month and day-of-week must be ? (e.g. cron(0 23 * * ? *) for every day, cron(0 23 ? * MON-FRI *) for weekdays)",
    );
  }
  return problems.length > 0 ? `${quoted}: ${problems.join("; ")}` : undefined;
}

/** Why one cron field is invalid, or undefined. `L`, `W`, `#` and `?` only where AWS allows them. */
function fieldProblem(text: string, index: number): string | undefined {
  const field = FIELDS[index]!;
  if (text === "?") return index === DAY_OF_MONTH || index === DAY_OF_WEEK ? undefined : "cannot be ? (only day-of-month or day-of-week can)";
  if (index === DAY_OF_MONTH && (text === "L" || text === "LW")) return undefined;
  if (index === DAY_OF_MONTH && /^\d+W$/.test(text)) return inRange(text.slice(0, -1), field) ? undefined : `needs a day from 1 to 31 before W`;
  if (index === DAY_OF_WEEK && text === "L") return undefined;
  if (index === DAY_OF_WEEK && /^\w+L$/.test(text)) return value(text.slice(0, -1), field) !== undefined ? undefined : "needs a day 1-7 or SUN-SAT before L";
  if (index === DAY_OF_WEEK && text.includes("#")) {
    const [day, nth] = text.split("#") as [string, string];
    return value(day, field) !== undefined && /^[1-5]$/.test(nth ?? "") ? undefined : "must be day#n with a day 1-7 or SUN-SAT and n from 1 to 5, e.g. 2#1";
  }
  for (const part of text.split(",")) {
    const problem = partProblem(part, field);
    if (problem) return problem;
  }
  return undefined;
}

/** One list element: `*`, `v`, `a-b`, optionally followed by `/step`. */
function partProblem(part: string, field: Field): string | undefined {
  const range = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ""}`;
  const [base, step, extra] = part.split("/");
  if (extra !== undefined || base === undefined || base === "") return `is not a value, list, range or step (values ${range})`;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return "has a step that is not a whole number of at least 1";
  if (base === "*") return undefined;
  const bounds = base.split("-");
  if (bounds.length > 2 || bounds.some((bound) => value(bound, field) === undefined)) return `must use values ${range} (with , - * /)`;
  return undefined;
}

function value(token: string, field: Field): number | undefined {
  const named = field.names?.indexOf(token) ?? -1;
  if (named >= 0) return named + 1;
  return inRange(token, field) ? Number(token) : undefined;
}

function inRange(token: string, field: Field): boolean {
  return /^\d+$/.test(token) && Number(token) >= field.min && Number(token) <= field.max;
}
