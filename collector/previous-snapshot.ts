import type { UserActivity } from "./decisions/activity";
import { readLatest } from "./snapshot/latest";
import { readNdjsonGzip } from "./snapshot/ndjson";
import type { SnapshotSink } from "./snapshot/sink";

/**
 * What a run takes over from the newest complete snapshot (a partial one never counts): the audit watermark (read
 * audit records from there on), the per-user activity found so far (audit evidence older than the watermark exists
 * only there), and since when that evidence reaches back.
 */
export interface PreviousSnapshot {
  watermark: string | null;
  /** The earliest instant the chain of snapshots has audit evidence for (the first run's lookback start). */
  activityEvidenceSince: string | null;
  /** Epoch ms the next worklog read starts from (`worklog/updated`'s last `until`), when a run read worklogs. */
  worklogsSince: number | null;
  /** The previous run's `activity.ndjson.gz`, streamed (one entry per account with any activity). */
  activity(): AsyncGenerator<UserActivity & { accountId: string }>;
}

export async function readPreviousSnapshot(sink: SnapshotSink, connectorName: string): Promise<PreviousSnapshot | undefined> {
  const latest = await readLatest(sink, connectorName);
  if (!latest) return undefined;
  const raw = await sink.readObject(latest.manifestKey);
  if (!raw) return undefined;
  const manifest = JSON.parse(raw.toString("utf8")) as { watermark?: unknown; activityEvidenceSince?: unknown; worklogsSince?: unknown };
  const activityKey = `${latest.snapshotPrefix}activity.ndjson.gz`;
  return {
    watermark: typeof manifest.watermark === "string" ? manifest.watermark : null,
    activityEvidenceSince: typeof manifest.activityEvidenceSince === "string" ? manifest.activityEvidenceSince : null,
    worklogsSince: typeof manifest.worklogsSince === "number" && Number.isFinite(manifest.worklogsSince) ? manifest.worklogsSince : null,
    activity: async function* () {
      const file = await sink.readObject(activityKey);
      if (file) yield* readNdjsonGzip<UserActivity & { accountId: string }>(file);
    },
  };
}
