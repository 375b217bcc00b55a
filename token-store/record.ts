/**
 * Pure rules about records: validation, ordering, and the serialized form both stores use.
 *
 * Kept free of module-level objects other than string constants: this module is captured by Pulumi's closure
 * serializer along with the stores.
 */
import { InvalidRecordError, MalformedStoreValueError } from "./errors";
import type { RefreshTokenRecord } from "./types";

/** The serialized form's version. Bump it (and keep reading the old one) if the shape ever changes. */
export const RECORD_SCHEMA = 1;

// ISO 8601 with a date, a time and an explicit zone: `Date.parse` alone accepts locale formats whose meaning
// depends on the machine's time zone, which would make the ordering differ between the provider and the collector.
const ISO_TIMESTAMP = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$";

/** Epoch ms of an ISO 8601 timestamp with a date, a time and a zone; `undefined` for anything else. */
export function isoTimestampMs(value: unknown): number | undefined {
  return timestampMs(value);
}

function timestampMs(value: unknown): number | undefined {
  if (typeof value !== "string" || !new RegExp(ISO_TIMESTAMP).test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Problems with a candidate record, described without quoting the refresh token. Empty when valid. */
function recordProblems(value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return ["it is not an object"];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const token = record.refreshToken;
  if (typeof token !== "string" || token.length === 0) problems.push("refreshToken is missing or not a string");
  else if (/\s/.test(token)) problems.push("refreshToken contains whitespace");
  // Timestamps are not secret, but a malformed one may be a pasted token: describe, never quote.
  if (timestampMs(record.rotatedAt) === undefined) problems.push("rotatedAt is not an ISO 8601 timestamp with a zone");
  if (timestampMs(record.familyStartedAt) === undefined) {
    problems.push("familyStartedAt is not an ISO 8601 timestamp with a zone");
  }
  if (record.seededFrom !== undefined && typeof record.seededFrom !== "string") {
    problems.push("seededFrom is not a string");
  }
  if (record.lease !== undefined) {
    const lease = record.lease as Record<string, unknown> | null;
    if (typeof lease !== "object" || lease === null || typeof lease.holder !== "string" || timestampMs(lease.until) === undefined) {
      problems.push("lease is not { holder, until (ISO 8601 with a zone) }");
    } else if (lease.leewayEndsBy !== undefined && timestampMs(lease.leewayEndsBy) === undefined) {
      problems.push("lease.leewayEndsBy is not an ISO 8601 timestamp with a zone");
    }
  }
  if (record.presentedAt !== undefined && !isTimestampList(record.presentedAt)) {
    problems.push("presentedAt is not a list of ISO 8601 timestamps with a zone");
  }
  if (record.seeding !== undefined) {
    const seeding = record.seeding as Record<string, unknown> | null;
    if (typeof seeding !== "object" || seeding === null || typeof seeding.seededFrom !== "string" || !isTimestampList(seeding.presentedAt)) {
      problems.push("seeding is not { seededFrom, presentedAt: [ISO 8601 timestamps] }");
    }
  }
  if (record.rejectedAt !== undefined && timestampMs(record.rejectedAt) === undefined) {
    problems.push("rejectedAt is not an ISO 8601 timestamp with a zone");
  }
  return problems;
}

function isTimestampList(value: unknown): boolean {
  return Array.isArray(value) && value.length <= 64 && value.every((t) => timestampMs(t) !== undefined);
}

/** Throws `InvalidRecordError` unless `record` is a well-formed record a caller may write. */
export function assertValidRecord(record: RefreshTokenRecord, location: string): void {
  const problems = recordProblems(record);
  if (problems.length > 0) throw new InvalidRecordError(location, problems);
}

/**
 * Pure: may `incoming` replace `stored`? A later family always wins (a new consent supersedes the old grant);
 * within a family (the same `seededFrom`, else the same `familyStartedAt`) a later `rotatedAt` wins; an equal or older record never does, so replaying a write is a no-op.
 * Timestamps are compared as instants, not strings, so `+02:00` and `Z` forms order correctly.
 */
export function isNewerRecord(incoming: RefreshTokenRecord, stored: RefreshTokenRecord | undefined): boolean {
  const incomingFamily = timestampMs(incoming.familyStartedAt);
  const incomingRotated = timestampMs(incoming.rotatedAt);
  if (incomingFamily === undefined || incomingRotated === undefined) {
    throw new InvalidRecordError("isNewerRecord(incoming)", recordProblems(incoming));
  }
  if (stored === undefined) return true;
  const storedFamily = timestampMs(stored.familyStartedAt);
  const storedRotated = timestampMs(stored.rotatedAt);
  if (storedFamily === undefined || storedRotated === undefined) {
    throw new InvalidRecordError("isNewerRecord(stored)", recordProblems(stored));
  }
  // The same seeded token began both: one family, whatever start each copy recorded (a consent time given later
  // moves a family's start earlier, and a stale copy with the later start must not win for it).
  if (sameFamily(incoming, stored)) return incomingRotated > storedRotated;
  if (incomingFamily !== storedFamily) return incomingFamily > storedFamily;
  return incomingRotated > storedRotated;
}

/** Both records descend from the same configured (seeded) token, so they belong to one grant family. */
export function sameFamily(a: RefreshTokenRecord, b: RefreshTokenRecord): boolean {
  return a.seededFrom !== undefined && a.seededFrom === b.seededFrom;
}

/** The earlier of two family starts (as instants); a family's start only ever moves earlier, towards the consent. */
export function earlierFamilyStart(a: string, b: string): string {
  const ma = timestampMs(a);
  const mb = timestampMs(b);
  if (ma === undefined) return b;
  if (mb === undefined) return a;
  return mb < ma ? b : a;
}

/** Copies only the record's known fields (a caller's object may carry others, e.g. a `version`). */
export function pickRecord(record: RefreshTokenRecord): RefreshTokenRecord {
  const picked: RefreshTokenRecord = {
    refreshToken: record.refreshToken,
    rotatedAt: record.rotatedAt,
    familyStartedAt: record.familyStartedAt,
  };
  if (record.seededFrom !== undefined) picked.seededFrom = record.seededFrom;
  if (record.lease !== undefined) {
    picked.lease = { holder: record.lease.holder, until: record.lease.until };
    if (record.lease.claim !== undefined) picked.lease.claim = record.lease.claim;
    if (record.lease.leewayEndsBy !== undefined) picked.lease.leewayEndsBy = record.lease.leewayEndsBy;
  }
  if (record.presentedAt !== undefined && record.presentedAt.length > 0) picked.presentedAt = [...record.presentedAt];
  if (record.seeding !== undefined) {
    picked.seeding = { seededFrom: record.seeding.seededFrom, presentedAt: [...record.seeding.presentedAt] };
  }
  if (record.rejectedAt !== undefined) picked.rejectedAt = record.rejectedAt;
  return picked;
}

/**
 * How far (ms) the latest timestamp in `record` lies ahead of `now`; 0 when none does. A record dated minutes
 * ahead was written by a machine whose clock runs fast, and its ordering and deadlines cannot be trusted.
 */
export function msAheadOf(record: RefreshTokenRecord, now: number): number {
  const times = [record.rotatedAt, record.familyStartedAt, ...(record.presentedAt ?? []), ...(record.seeding?.presentedAt ?? [])];
  let ahead = 0;
  for (const t of times) {
    const ms = timestampMs(t);
    if (ms !== undefined) ahead = Math.max(ahead, ms - now);
  }
  return ahead;
}

/**
 * The stored form: `{"schema":1,"refreshToken","rotatedAt","familyStartedAt"}` (plus `seededFrom` when set).
 * Only the known fields are kept.
 */
export function serializeRecord(record: RefreshTokenRecord): string {
  return JSON.stringify({ schema: RECORD_SCHEMA, ...pickRecord(record) });
}

/**
 * Parses a stored value. Throws `MalformedStoreValueError` (which never quotes the value: it may hold a token,
 * or be a bare token someone pasted in place of the JSON document) when it is not a schema-1 record.
 */
export function parseRecord(raw: string, location: string, version?: string): RefreshTokenRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new MalformedStoreValueError(location, ["it is not JSON (a bare token instead of the document?)"], version);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new MalformedStoreValueError(location, ["it is not a JSON object"], version);
  }
  const schema = (parsed as Record<string, unknown>).schema;
  if (schema !== RECORD_SCHEMA) {
    throw new MalformedStoreValueError(location, [
      schema === undefined ? "the schema field is missing" : `its schema is not ${RECORD_SCHEMA}`,
    ], version);
  }
  const problems = recordProblems(parsed);
  if (problems.length > 0) throw new MalformedStoreValueError(location, problems, version);
  return pickRecord(parsed as RefreshTokenRecord);
}
