import type { RequestPlan } from "../atlassian/quota/request-plan";

/** Every endpoint the collector reads has a 100/s bucket, in the fixed-rate scenarios and with Atlassian's defaults alike. */
export const PER_SECOND = 100;
/** A bucket starts full: the first `PER_SECOND` requests of an endpoint are free of rate-limit waiting. */
export const BURST = PER_SECOND;

/**
 * The lower bound on wall time. Every endpoint has its own bucket (100 req/s, starting full with 100 tokens), so the
 * buckets do not add up: the run is bounded by its slowest endpoint, not by Σ requests ÷ rate. An endpoint with n
 * requests needs at least (n − burst) ÷ rate seconds, and at least as many round trips as its longest chain of
 * pages that depend on each other:
 *
 *   bound_e = max(chain_e × RTT, max(0, n_e − BURST) ÷ PER_SECOND)
 *   bound   = RTT (token exchange, before anything else) + max over endpoints of bound_e
 *
 * chain_e = n_e for users/search (bare arrays: only an empty page ends the listing, so each offset depends on the
 * previous page; fetching ahead would cost requests beyond the minimal plan); 2 for auditing/record (page one's
 * `total` gives every other offset) and search/jql (a client can split the bounded query into as many `updated`
 * windows as it likes; the collector uses 4); 3 for group/member (/applicationrole names the groups, then page one,
 * then the rest). n_e comes from `requestPlan`, i.e. the minimal request count, not what was made. The bound counts
 * round trips only: the time Jira (here the emulator) spends producing a page is not in it, nor is the collector's
 * choice to read users after the memberships (it annotates each user as it streams them).
 */
export function lowerBound(plan: RequestPlan, rtt: number): { ms: number; detail: string } {
  const endpoints: [string, number, number][] = [
    ["users/search", plan.usersSearch.requests, plan.usersSearch.requests],
    ["group/member", plan.groupMembers.requests, Math.min(3, plan.groupMembers.requests + 1)],
    ["auditing/record", plan.auditRecords.requests, Math.min(2, plan.auditRecords.requests)],
    ["search/jql", plan.searchJql.requests, Math.min(2, plan.searchJql.requests)],
  ];
  const parts = endpoints.map(([name, n, chain]) => {
    const rate = (Math.max(0, n - BURST) / PER_SECOND) * 1000;
    const seq = chain * rtt;
    return { name, n, chain, rate, seq, ms: Math.max(rate, seq) };
  });
  const worst = parts.reduce((a, b) => (b.ms > a.ms ? b : a));
  const ms = rtt + worst.ms;
  const detail =
    parts.map((p) => `${p.name} n=${p.n}: max(${p.chain}×RTT=${p.seq.toFixed(0)}, (n−${BURST})/${PER_SECOND}=${p.rate.toFixed(0)}) ms`).join("; ") +
    ` → RTT + ${worst.name} = ${ms.toFixed(0)} ms (naive Σn/rate would say ${((plan.totalRequests / PER_SECOND) * 1000).toFixed(0)} ms)`;
  return { ms, detail };
}

export function planSummary(plan: RequestPlan): string {
  const { totalRequests, totalOauthPoints, ...steps } = plan;
  return `${Object.entries(steps).map(([k, s]) => `${k} ${s.requests}`).join(", ")} = ${totalRequests} requests (${totalOauthPoints.toLocaleString("en")} OAuth points if read over OAuth)`;
}

