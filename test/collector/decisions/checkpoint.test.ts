import { decideResume, DEFAULT_CHECKPOINT_MAX_AGE_MS } from "../../../collector/decisions/checkpoint";
import { isPointsQuotaReason, RateLimitedError } from "../../../atlassian/errors";

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 30, 12);
const facts = { cloudId: "c1", auth: "oauth" as const, firstRunAt: new Date(T - 2 * HOUR).toISOString(), collectedAt: new Date(T - HOUR).toISOString() };
const context = { cloudId: "c1", auth: "oauth" as const, now: new Date(T) };

test("a recent checkpoint of the same site and credential is used", () => {
  expect(decideResume(facts, context)).toEqual({ use: true });
});

test("another cloud ID or another way of authenticating starts over, saying why", () => {
  expect(decideResume(facts, { ...context, cloudId: "c2" })).toEqual({ use: false, quiet: false, reason: "checkpoint ignored: it was read from cloud ID c1, this connector reads c2; starting over" });
  expect(decideResume(facts, { ...context, auth: "oauth+license" })).toMatchObject({ use: false, quiet: false, reason: expect.stringMatching(/read with oauth, this run uses oauth\+license/) });
});

test("age counts from the chain's first run; exactly the limit is still usable", () => {
  const at = (ms: number) => ({ ...context, now: new Date(Date.parse(facts.firstRunAt) + ms) });
  expect(decideResume(facts, at(DEFAULT_CHECKPOINT_MAX_AGE_MS))).toEqual({ use: true });
  expect(decideResume(facts, at(DEFAULT_CHECKPOINT_MAX_AGE_MS + 1))).toMatchObject({ use: false, quiet: false, reason: expect.stringMatching(/first run started 24\.0 h ago \(more than 24 h\)/) });
  expect(decideResume(facts, { ...at(3 * HOUR), maxAgeMs: 2 * HOUR })).toMatchObject({ use: false, reason: expect.stringMatching(/3\.0 h ago \(more than 2 h\)/) });
  expect(decideResume(facts, at(-1))).toMatchObject({ use: false, reason: expect.stringMatching(/future/) });
});

test("a checkpoint not newer than the latest complete snapshot was used up: ignored quietly", () => {
  expect(decideResume(facts, { ...context, latestCompleteAt: new Date(facts.collectedAt) })).toMatchObject({ use: false, quiet: true });
  expect(decideResume(facts, { ...context, latestCompleteAt: new Date(Date.parse(facts.collectedAt) - 1) })).toEqual({ use: true });
});

test("unreadable dates start over", () => {
  expect(decideResume({ ...facts, firstRunAt: "soon" }, context)).toMatchObject({ use: false, quiet: false });
});

test("only a quota reason marks a RateLimitedError as the points quota", () => {
  for (const reason of ["jira-quota-global-based", "jira-quota-tenant-based", "jira-quota-based", "jira-cost-based"]) expect(isPointsQuotaReason(reason)).toBe(true);
  for (const reason of ["jira-burst-based", "jira-per-issue-on-write", undefined]) expect(isPointsQuotaReason(reason)).toBe(false);
  expect(new RateLimitedError("GET /x", 1000, "jira-quota-global-based").pointsQuota).toBe(true);
  expect(new RateLimitedError("GET /x", 1000, "jira-burst-based").pointsQuota).toBe(false);
  expect(new RateLimitedError("GET /x", undefined, undefined).pointsQuota).toBe(false);
});
