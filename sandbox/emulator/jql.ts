/**
 * A small JQL subset for `search/jql`: AND/OR/NOT/parentheses over updated, created, project, key, assignee,
 * reporter, creator and summary, plus ORDER BY. Enough for the collector's activity queries; anything else is
 * a 400 like Jira's parser errors.
 */
import { DAY, HOUR, MINUTE } from "./clock";
import { fail } from "./http-util";
import type { SeedIssue } from "./seed-activity";

type Value = { kind: "literal"; text: string } | { kind: "fn"; name: string; args: string[] } | { kind: "list"; items: Value[] } | { kind: "empty" };
export type JqlNode =
  | { kind: "and"; left: JqlNode; right: JqlNode }
  | { kind: "or"; left: JqlNode; right: JqlNode }
  | { kind: "not"; inner: JqlNode }
  | { kind: "cmp"; field: string; op: string; value: Value };
export interface OrderField {
  field: string;
  desc: boolean;
}
export interface ParsedJql {
  where?: JqlNode;
  orderBy: OrderField[];
}

const FIELDS: Record<string, string> = {
  updated: "updated", updateddate: "updated", created: "created", createddate: "created", project: "project",
  key: "key", issuekey: "key", id: "key", assignee: "assignee", reporter: "reporter", creator: "creator", summary: "summary",
};
const SORTABLE = new Set(["updated", "created", "key", "project", "summary"]);

function syntax(message: string): never {
  return fail(400, `Error in the JQL Query: ${message}`);
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(>=|<=|!=|!~|[=<>~(),])|([^\s()=,!<>~"']+))/gy;
  let end = 0;
  let m: RegExpExecArray | null;
  while (end < text.length && (m = re.exec(text))) {
    tokens.push(m[0].trim());
    end = re.lastIndex;
  }
  const rest = text.slice(end).trim();
  if (rest !== "") syntax(`The character '${rest[0]}' is a reserved JQL character.`);
  return tokens.filter(Boolean);
}

const unquote = (t: string) => (/^["']/.test(t) ? t.slice(1, -1).replace(/\\(.)/g, "$1") : t);
const kw = (t: string | undefined, word: string) => t !== undefined && t.toLowerCase() === word;

export function parseJql(text: string): ParsedJql {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  const value = (): Value => {
    const t = next();
    if (t === undefined) syntax("Expecting a value but reached the end of the query.");
    if (t === "(") {
      const items: Value[] = [];
      while (peek() !== ")") {
        items.push(value());
        if (peek() === ",") next();
        else if (peek() !== ")") syntax(`Expecting ',' or ')' but got '${peek() ?? "end of query"}'.`);
      }
      next();
      return { kind: "list", items };
    }
    if (kw(t, "empty") || kw(t, "null")) return { kind: "empty" };
    if (peek() === "(" && /^[a-z]\w*$/i.test(t)) {
      next();
      const args: string[] = [];
      while (peek() !== ")" && peek() !== undefined) {
        const a = next();
        if (a !== ",") args.push(unquote(a));
      }
      next();
      return { kind: "fn", name: t.toLowerCase(), args };
    }
    return { kind: "literal", text: unquote(t) };
  };

  const clause = (): JqlNode => {
    if (peek() === "(") {
      next();
      const inner = or();
      if (next() !== ")") syntax("Expecting ')'.");
      return inner;
    }
    if (kw(peek(), "not")) {
      next();
      return { kind: "not", inner: clause() };
    }
    const raw = next();
    const field = FIELDS[unquote(raw ?? "").toLowerCase()];
    if (!field) fail(400, `Field '${unquote(raw ?? "")}' does not exist or you do not have permission to view it.`);
    let op = next()?.toLowerCase();
    if ((op === "not" && kw(peek(), "in")) || (op === "is" && kw(peek(), "not"))) op = `${op} ${next().toLowerCase()}`;
    if (!op || !["=", "!=", ">", ">=", "<", "<=", "~", "!~", "in", "not in", "is", "is not"].includes(op)) syntax(`Expecting an operator after '${raw}'.`);
    return { kind: "cmp", field, op, value: value() };
  };
  const and = (): JqlNode => {
    let left = clause();
    while (kw(peek(), "and")) {
      next();
      left = { kind: "and", left, right: clause() };
    }
    return left;
  };
  const or = (): JqlNode => {
    let left = and();
    while (kw(peek(), "or")) {
      next();
      left = { kind: "or", left, right: and() };
    }
    return left;
  };

  const where = peek() === undefined || kw(peek(), "order") ? undefined : or();
  const orderBy: OrderField[] = [];
  if (kw(peek(), "order")) {
    next();
    if (!kw(next(), "by")) syntax("Expecting 'by' after 'order'.");
    do {
      const name = unquote(next() ?? "").toLowerCase();
      const field = FIELDS[name];
      if (!field || !SORTABLE.has(field)) fail(400, `Not able to sort using field '${name}'.`);
      const dir = peek()?.toLowerCase();
      if (dir === "asc" || dir === "desc") next();
      orderBy.push({ field, desc: dir === "desc" });
    } while (peek() === "," && next());
    if (orderBy.length > 7) fail(400, "The ORDER BY clause can contain at most 7 fields.");
  }
  if (peek() !== undefined) syntax(`Expecting end of query but got '${peek()}'.`);
  return { where, orderBy };
}

const UNITS: Record<string, number> = { w: 7 * DAY, d: DAY, h: HOUR, m: MINUTE };

/** Jira date values: `yyyy-MM-dd[ HH:mm]` (also with `/`), periods like `-30d` or `-1w 2d`, now(), startOfDay(). UTC [A]. */
function dateOf(v: Value, field: string, now: number): number {
  const bad = (text: string) =>
    fail(400, `Date value '${text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`);
  const period = (text: string): number | undefined => {
    const m = /^([-+]?)((?:\d+[wdhm]\s*)+)$/i.exec(text.trim());
    if (!m) return undefined;
    let ms = 0;
    for (const part of m[2].matchAll(/(\d+)([wdhm])/gi)) ms += Number(part[1]) * UNITS[part[2].toLowerCase()];
    return m[1] === "-" ? -ms : ms;
  };
  if (v.kind === "fn") {
    const offset = v.args[0] ? period(v.args[0]) ?? bad(v.args[0]) : 0;
    if (v.name === "now") return now;
    if (v.name === "startofday") return Math.floor(now / DAY) * DAY + offset;
    if (v.name === "endofday") return Math.floor(now / DAY) * DAY + DAY - 1 + offset;
    fail(400, `Unable to find JQL function '${v.name}()'.`);
  }
  if (v.kind !== "literal") return bad(v.kind);
  const rel = period(v.text);
  if (rel !== undefined) return now + rel;
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(v.text.trim());
  if (!m) return bad(v.text);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
}

/** dateOf per parsed value and clock reading: a search evaluates one query's dates against every seeded issue. */
const DATES = new WeakMap<Value, { now: number; ms: number }>();
function cachedDateOf(v: Value, field: string, now: number): number {
  const hit = DATES.get(v);
  if (hit?.now === now) return hit.ms;
  const ms = dateOf(v, field, now);
  DATES.set(v, { now, ms });
  return ms;
}

export interface EvalContext {
  now: number;
  currentUser?: string;
}

function compare(a: number, op: string, b: number): boolean {
  return op === "=" ? a === b : op === "!=" ? a !== b : op === ">" ? a > b : op === ">=" ? a >= b : op === "<" ? a < b : a <= b;
}

function keyNumber(key: string): [string, number] {
  const i = key.lastIndexOf("-");
  return [key.slice(0, i).toUpperCase(), Number(key.slice(i + 1))];
}

export function evaluate(node: JqlNode, issue: SeedIssue, ctx: EvalContext): boolean {
  if (node.kind === "and" || node.kind === "or") {
    const left = evaluate(node.left, issue, ctx);
    return node.kind === "and" ? left && evaluate(node.right, issue, ctx) : left || evaluate(node.right, issue, ctx);
  }
  if (node.kind === "not") return !evaluate(node.inner, issue, ctx);
  const { field, op, value } = node;
  if (op === "is" || op === "is not") {
    if (value.kind !== "empty") syntax(`Expecting EMPTY or NULL after '${op}'.`);
    const empty = field === "assignee" ? issue.assignee === null : false;
    return op === "is" ? empty : !empty;
  }
  const values = value.kind === "list" ? value.items : [value];
  if (op === "in" || op === "not in") {
    const hit = values.some((v) => matchesEq(field, v, issue, ctx));
    return op === "in" ? hit : !hit;
  }
  if (field === "updated" || field === "created") return compare(issue[field], op, cachedDateOf(value, field, ctx.now));
  if (field === "summary") {
    if (op !== "~" && op !== "!~") fail(400, "The operator '" + op + "' is not supported by the 'summary' field.");
    const text = value.kind === "literal" ? value.text.toLowerCase() : "";
    return issue.summary.toLowerCase().includes(text) === (op === "~");
  }
  if (op === "=" || op === "!=") return matchesEq(field, value, issue, ctx) === (op === "=");
  if (field === "key" && value.kind === "literal") {
    const [p, n] = keyNumber(issue.key);
    const [vp, vn] = keyNumber(value.text);
    return p === vp && compare(n, op, vn);
  }
  return fail(400, `The operator '${op}' is not supported by the '${field}' field.`);
}

function matchesEq(field: string, v: Value, issue: SeedIssue, ctx: EvalContext): boolean {
  if (field === "assignee" || field === "reporter" || field === "creator") {
    const user = issue[field];
    if (v.kind === "empty") return user === null;
    const id = v.kind === "fn" && v.name === "currentuser" ? ctx.currentUser : v.kind === "literal" ? v.text : undefined;
    return user !== null && user.accountId === id;
  }
  if (v.kind !== "literal") return false;
  const text = v.text.toLowerCase();
  if (field === "project") return [issue.project.key, issue.project.name, issue.project.id].some((x) => x.toLowerCase() === text);
  if (field === "key") return issue.key.toLowerCase() === text || issue.id === text;
  if (field === "updated" || field === "created") return issue[field] === cachedDateOf(v, field, ctx.now);
  return false;
}

export function comparator(orderBy: OrderField[]): (a: SeedIssue, b: SeedIssue) => number {
  // [A] without ORDER BY the newest issue (highest id) comes first; id always breaks ties.
  const fields = [...orderBy, { field: "id", desc: orderBy.length === 0 }];
  return (a, b) => {
    for (const { field, desc } of fields) {
      let d = 0;
      if (field === "updated" || field === "created") d = a[field] - b[field];
      else if (field === "key") {
        const [ap, an] = keyNumber(a.key);
        const [bp, bn] = keyNumber(b.key);
        d = ap === bp ? an - bn : ap < bp ? -1 : 1;
      } else if (field === "project") d = a.project.key.localeCompare(b.project.key);
      else if (field === "summary") d = a.summary.localeCompare(b.summary);
      else d = Number(a.id) - Number(b.id);
      if (d !== 0) return desc ? -d : d;
    }
    return 0;
  };
}
