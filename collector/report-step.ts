/**
 * The end of a collection, after the last read: the activity file, the seat report from the holders the user stream
 * kept, and the files derived from it. Everything here is CPU and storage, no request: at 100k users it is the
 * run's tail (Lambda at 512 MB has about a third of a vCPU), so each file is stored while the next is computed.
 */
import type { ApplicationRole } from "../atlassian/jira/schemas";
import type { UserActivity } from "./decisions/activity";
import { seatHolders } from "./decisions/seat-holders";
import { seatReport, type SeatReport, type SeatReportInput } from "./decisions/seat-report";
import { writeFleetTables } from "./fleet-tables";
import type { SnapshotWriter } from "./snapshot/writer";
import type { SeatHolderUser } from "./user-stream";

/** The activity map and file as soon as the activity reads end, while the memberships are still being read. */
export interface EarlyActivity {
  /** accountId → last activity; undefined when it must wait (org dates) or the reads failed. */
  byUser: Promise<Map<string, UserActivity> | undefined>;
  /** "stored" once `activity.ndjson.gz` is; "later" when it was not written now. Rejects if storing failed. */
  file: Promise<"stored" | "later">;
}

/**
 * At 100k users the map and the file were ~0.6 s after the last membership page; the activity reads end long
 * before it. Not when org last-active dates are read: they are added after the memberships. Nothing is opened once
 * `runFailed()` (the failed manifest must find no stream open).
 */
export function activityAsRead(
  writer: SnapshotWriter,
  read: Promise<{ accumulator: { result(): Map<string, UserActivity> } } | undefined>,
  options: { orgDates: boolean; runFailed: () => boolean },
): EarlyActivity {
  const byUser = read.then((a) => (a && !options.orgDates ? a.accumulator.result() : undefined));
  const file = byUser.then(async (map): Promise<"stored" | "later"> => {
    if (map === undefined || options.runFailed()) return "later";
    await storeActivityFile(writer, map);
    return "stored";
  });
  // Both reject only with `read` (reported by the caller's own await of it) or a store failure (by `file`'s user).
  byUser.catch(() => undefined);
  file.catch(() => undefined);
  return { byUser, file };
}

/** `activity.ndjson.gz`: one line per account seen, in accountId order. Resolves once stored. */
export async function storeActivityFile(writer: SnapshotWriter, byUser: ReadonlyMap<string, UserActivity>): Promise<void> {
  const out = writer.activity<Record<string, unknown>>();
  try {
    await out.writeEach(
      (function* () {
        for (const [accountId, seen] of byUser) yield { accountId, lastActivityAt: seen.lastActivityAt, lastActivitySource: seen.lastActivitySource, detail: seen.detail };
      })(),
    );
  } catch (error) {
    await out.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  await out.close();
}

export interface SeatReportStep {
  writer: SnapshotWriter;
  /** connector, site, cloudId: the head of each JSON file. */
  base: Record<string, unknown>;
  subscriptions: { roles: readonly ApplicationRole[] } & Record<string, unknown>;
  memberships: ReadonlyMap<string, readonly string[]>;
  /** Seat holders' user fields, by account ID (user-stream.ts). */
  holders: ReadonlyMap<string, SeatHolderUser>;
  /** The rest of the report's input. */
  report: Omit<SeatReportInput, "roles" | "holders">;
  /** Files still being stored (users, activity): the step settles only when they have. */
  storing: readonly Promise<unknown>[];
}

/** Computes the seat report and stores subscriptions.json, seat-report.json and the fleet tables. */
export async function storeSeatReport(step: SeatReportStep): Promise<SeatReport> {
  const { writer, base, subscriptions } = step;
  const holders = seatHolders(subscriptions.roles, step.memberships, step.holders);
  const report = seatReport({ ...step.report, roles: subscriptions.roles, holders });
  await allSettledOrThrow([
    ...step.storing,
    writer.writeJson("subscriptions.json", { ...base, ...subscriptions }),
    writer.writeJson("seat-report.json", { ...base, ...report }),
    writeFleetTables(writer, report, subscriptions.roles),
  ]);
  return report;
}

/** Waits for every write, then throws the first failure: the failure path aborts streams only once none is running. */
export async function allSettledOrThrow(writes: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(writes)).find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
