import type { FaultRule } from "../../sandbox/emulator";

/**
 * Hostile Atlassian answers, as emulator fault rules (sandbox/emulator/faults.ts): the emulator serves a real site
 * and these replace one endpoint's answers with what a broken or malicious server could send. Shared by the bounds
 * tests (test/collector/bounds-hostile.test.ts, small limits) and `npm run bench:hostile` (default limits, RSS).
 * Everything is generated per request: no case holds its listing, or a big body, in memory.
 */

export type HostileCase =
  | "group-member-total-1e9"
  | "audit-total-1e9"
  | "jql-endless-cursor"
  | "jql-repeating-cursor"
  | "body-400mb-chunked"
  | "body-400mb-declared"
  | "users-endless-full-pages"
  | "deadline-mid-users";

export const HOSTILE_CASES: readonly HostileCase[] = [
  "group-member-total-1e9",
  "audit-total-1e9",
  "jql-endless-cursor",
  "jql-repeating-cursor",
  "body-400mb-chunked",
  "body-400mb-declared",
  "users-endless-full-pages",
  "deadline-mid-users",
];

export const BODY_BYTES = 400 * 1024 * 1024;

const USERS = /\/rest\/api\/3\/users\/search$/;
const GROUP_MEMBER = /\/rest\/api\/3\/group\/member$/;
const AUDIT = /\/rest\/api\/3\/auditing\/record$/;
const SEARCH_JQL = /\/rest\/api\/3\/search\/jql$/;

/** A full page of made-up users at `startAt` (users/search is a bare array: only an empty page ends it). */
export function usersPage(url: URL): unknown[] {
  const startAt = Number(url.searchParams.get("startAt") ?? 0);
  const size = Number(url.searchParams.get("maxResults") ?? 1000);
  return Array.from({ length: size }, (_, i) => ({
    accountId: `hostile-${startAt + i}`,
    accountType: "atlassian",
    active: true,
    displayName: `Hostile ${startAt + i}`,
  }));
}

/** A full page of made-up issues, each new, and a fresh cursor: a search that never ends. */
export function endlessIssuesPage(counter: { next: number }): (url: URL) => unknown {
  return (url) => {
    const size = Number(url.searchParams.get("maxResults") ?? 100);
    const issues = Array.from({ length: size }, () => {
      const id = String(10_000_000 + counter.next++);
      // An embedded, complete comment list: the collector then asks nothing more per issue.
      return { id, key: `HOS-${id}`, fields: { created: "2026-11-30T10:00:00.000+0000", updated: "2026-11-30T10:00:00.000+0000", comment: { comments: [], total: 0, startAt: 0, maxResults: 0 } } };
    });
    return { issues, isLast: false, nextPageToken: `cursor-${counter.next}` };
  };
}

export interface HostileSetup {
  rules: FaultRule[];
  /** Only the deadline case: reads stop this long after the run starts (bench; tests use a controlled clock). */
  deadlineAfterMs?: number;
  /** Bytes the server streamed of a big body (filled in as the connection closes). */
  streamed?: { bytes: number };
}

export function hostileSetup(name: HostileCase): HostileSetup {
  switch (name) {
    case "group-member-total-1e9":
      return { rules: [{ match: { path: GROUP_MEMBER }, times: Infinity, action: { kind: "rewrite-json", rewrite: (body) => ({ ...body, total: 1e9, isLast: false }) } }] };
    case "audit-total-1e9":
      return { rules: [{ match: { path: AUDIT }, times: Infinity, action: { kind: "rewrite-json", rewrite: (body) => ({ ...body, total: 1e9 }) } }] };
    case "jql-endless-cursor":
      return { rules: [{ match: { path: SEARCH_JQL }, times: Infinity, action: { kind: "json", body: endlessIssuesPage({ next: 0 }) } }] };
    case "jql-repeating-cursor": {
      const counter = { next: 0 };
      const page = endlessIssuesPage(counter);
      return { rules: [{ match: { path: SEARCH_JQL }, times: Infinity, action: { kind: "json", body: (url) => ({ ...(page(url) as object), nextPageToken: "same-token" }) } }] };
    }
    case "body-400mb-chunked":
    case "body-400mb-declared": {
      const streamed = { bytes: 0 };
      const declareLength = name === "body-400mb-declared";
      return { streamed, rules: [{ match: { path: USERS }, times: Infinity, action: { kind: "stream-body", bytes: BODY_BYTES, declareLength, sent: (b) => (streamed.bytes += b) } }] };
    }
    case "users-endless-full-pages":
      return { rules: [{ match: { path: USERS }, times: Infinity, action: { kind: "json", body: usersPage } }] };
    case "deadline-mid-users":
      // Well before the 1M-user bound, which the endless pages reach in ~4 s on a laptop.
      return { deadlineAfterMs: 2_000, rules: [{ match: { path: USERS }, times: Infinity, action: { kind: "json", body: usersPage } }] };
  }
}
