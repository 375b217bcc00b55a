/**
 * Operation index and granular scope check, from operations.json (extracted from Atlassian's OpenAPI document by
 * operations-data.ts): each operation's `x-atlassian-oauth2-scopes` holds a `Current` (classic) and a `Beta`
 * (granular) scope set.
 */
import OPERATIONS from "./operations.json";
import type { OperationRow } from "./operations-data";

/**
 * The connector's 13 granular scopes (atlassian-api.md §5.1) plus `offline_access`. Deliberately not imported from
 * `atlassian/scopes.ts`: the emulator stands for Atlassian and shares no code with the client it tests.
 */
export const DEFAULT_SCOPES: string[] = [
  "read:application-role:jira",
  "read:audit-log:jira",
  "read:avatar:jira",
  "read:group:jira",
  "read:license:jira",
  "read:issue:jira",
  "read:issue-meta:jira",
  "read:field:jira",
  "read:field-configuration:jira",
  "read:issue-details:jira",
  "read:user:jira",
  "read:user.columns:jira",
  "read:jql:jira",
  "offline_access",
];

export interface OperationInfo {
  method: string;
  /** OpenAPI path template, e.g. `/rest/api/3/applicationrole/{key}` — also the rate-limit bucket key. */
  template: string;
  classic?: string[];
  granular?: string[];
  params: Record<string, string>;
}

interface Compiled {
  method: string;
  template: string;
  segments: string[];
  literals: number;
  classic?: string[];
  granular?: string[];
}

let cached: Compiled[] | undefined;

function compile(): Compiled[] {
  if (cached) return cached;
  const ops: Compiled[] = (OPERATIONS as OperationRow[]).map(([method, template, classic, granular]) => {
    const segments = template.split("/").filter(Boolean);
    return { method, template, segments, literals: segments.filter((s) => !s.startsWith("{")).length, classic: classic ?? undefined, granular: granular ?? undefined };
  });
  // Most literal segments first, so `/user/groups` wins over `/user/{x}`.
  ops.sort((a, b) => b.literals - a.literals);
  cached = ops;
  return ops;
}

export class OperationIndex {
  private readonly byShape = new Map<string, Compiled[]>();

  constructor() {
    for (const op of compile()) {
      const key = `${op.method} ${op.segments.length}`;
      const list = this.byShape.get(key) ?? [];
      list.push(op);
      this.byShape.set(key, list);
    }
  }

  match(method: string, pathname: string): OperationInfo | undefined {
    const segments = pathname.split("/").filter(Boolean);
    for (const op of this.byShape.get(`${method.toUpperCase()} ${segments.length}`) ?? []) {
      const params: Record<string, string> = {};
      const ok = op.segments.every((s, i) => {
        if (s.startsWith("{")) {
          params[s.slice(1, -1)] = safeDecode(segments[i]);
          return true;
        }
        return s === segments[i];
      });
      if (ok) return { method: op.method, template: op.template, classic: op.classic, granular: op.granular, params };
    }
    return undefined;
  }
}

/**
 * Scopes the token lacks for the operation; empty when it may proceed. A token passes with the whole granular
 * (`Beta`) set; holding the whole classic (`Current`) set also passes, as on the real gateway [A].
 */
export function missingScopes(op: OperationInfo, granted: ReadonlySet<string>): string[] {
  const missing = (set?: string[]) => (set ?? []).filter((s) => !granted.has(s));
  if (!op.granular && !op.classic) return [];
  const granular = missing(op.granular);
  if (granular.length === 0 && op.granular) return [];
  if (op.classic && missing(op.classic).length === 0) return [];
  return op.granular ? granular : missing(op.classic);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
