/**
 * Checkpoints: a collection stopped by the hourly points quota keeps what it read whole, so the next run (an hour
 * later) reads only the rest instead of starting over — a site whose full read costs more than an hour's quota
 * could otherwise never complete.
 *
 * Stored in the partial snapshot's folder, written like every snapshot file (atomic, streamed, listed in the
 * manifest), and named by `connectors/<name>/checkpoint.json` (the sink cannot list folders):
 * - manifest.json `checkpoint`: the section below (who read it, when, how far, per-part status);
 * - subscriptions.json: the roles and licence, as in any snapshot;
 * - checkpoint-groups.ndjson.gz: one line per group whose member listing completed, `{ group, members, reported }`;
 * - checkpoint-users.ndjson.gz: the users read so far (the report's fields only), up to `users.offset`;
 * - activity.ndjson.gz: the activity found, reused only when every planned source completed (`activity` non-null).
 */
import type { Logger } from "../atlassian/logger";
import type { EvidenceSource } from "./decisions/evidence";
import type { UserActivity } from "./decisions/activity";
import { ActivityAccumulator } from "./decisions/activity";
import { type CheckpointAuth, decideResume, type ResumeContext } from "./decisions/checkpoint";
import type { ActivityRead, readSubscriptions } from "./reads";
import type { SeatHolderUser } from "./user-stream";
import { CHECKPOINT_FILES, SNAPSHOT_FILES } from "./snapshot/layout";
import { readCheckpointPointer, readLatest } from "./snapshot/latest";
import { readNdjsonGzip } from "./snapshot/ndjson";
import type { SnapshotSink } from "./snapshot/sink";
import type { SnapshotWriter } from "./snapshot/writer";

export type Subscriptions = Awaited<ReturnType<typeof readSubscriptions>>;

/** Activity read whole in an earlier run: what the report and the manifest need besides the per-user file. */
export interface ActivityCheckpoint {
  /** When the reading run started: the report is as of then (later runs did not look for newer activity). */
  readAt: string;
  evidence: EvidenceSource[];
  evidenceSince: string;
  /** The audit watermark the reading run computed (its records are not kept). */
  watermark: string | null;
  worklogsSince: number | null;
  auditFetched: number;
  auditTotal: number | null;
  issues: number;
  changelogHistories: number | null;
  commentsFetched: number | null;
  worklogs: number | null;
}

/** The manifest's `checkpoint` section. */
export interface CheckpointSection {
  schema: 1;
  cloudId: string;
  auth: CheckpointAuth;
  firstRunAt: string;
  /** Runs so far, this one included. */
  runs: number;
  resumedFrom: string | null;
  /** Points spent by all runs so far. */
  pointsSpent: number;
  stoppedBy: string;
  groups: { file: typeof CHECKPOINT_FILES.groups; complete: string[] };
  users: { file: typeof CHECKPOINT_FILES.users; offset: number; records: number } | null;
  activity: ActivityCheckpoint | null;
}

export interface GroupListing {
  members: string[];
  reported: number | null;
}

export interface Resume {
  prefix: string;
  section: CheckpointSection;
  subscriptions: Subscriptions;
  groups: Map<string, GroupListing>;
  users: { offset: number; read: () => AsyncGenerator<SeatHolderUser> } | undefined;
  /** Rebuilt from the checkpoint's activity file, when its activity was complete. */
  activity: (() => Promise<ActivityRead>) | undefined;
}

export type ResumeLookup = { resume: Resume; ignored?: undefined } | { resume?: undefined; ignored?: string };

/** The newest checkpoint of this connector, when `decideResume` accepts it; else why not (`undefined`: none, or quiet). */
export async function findResume(sink: SnapshotSink, connectorName: string, context: Omit<ResumeContext, "latestCompleteAt">): Promise<ResumeLookup> {
  const pointer = await readCheckpointPointer(sink, connectorName);
  if (!pointer) return {};
  const raw = await sink.readObject(pointer.manifestKey);
  const manifest = raw ? (JSON.parse(raw.toString("utf8")) as { checkpoint?: CheckpointSection; collectedAt?: string }) : undefined;
  const section = manifest?.checkpoint;
  if (!section || section.schema !== 1) return { ignored: `checkpoint ignored: ${pointer.manifestKey} holds no readable checkpoint; starting over` };
  const latest = await readLatest(sink, connectorName);
  const decision = decideResume(
    { cloudId: section.cloudId, auth: section.auth, firstRunAt: section.firstRunAt, collectedAt: pointer.collectedAt.toISOString() },
    { ...context, ...(latest ? { latestCompleteAt: latest.collectedAt } : {}) },
  );
  if (!decision.use) return decision.quiet ? {} : { ignored: decision.reason };
  const prefix = pointer.snapshotPrefix;
  const file = async (name: string) => {
    const body = await sink.readObject(`${prefix}${name}`);
    if (!body) throw new Error(`checkpoint ${prefix}: ${name} is missing`);
    return body;
  };
  const subscriptions = JSON.parse((await file(SNAPSHOT_FILES.subscriptions)).toString("utf8")) as Subscriptions;
  const groups = new Map<string, GroupListing>();
  for await (const row of readNdjsonGzip<GroupListing & { group: string }>(await file(section.groups.file))) {
    groups.set(row.group, { members: row.members, reported: row.reported });
  }
  const users = section.users;
  const activity = section.activity;
  return {
    resume: {
      prefix,
      section,
      subscriptions: { roles: subscriptions.roles, license: subscriptions.license, approximateCounts: subscriptions.approximateCounts },
      groups,
      users: users ? { offset: users.offset, read: async function* () { yield* readNdjsonGzip<SeatHolderUser>(await file(users.file)); } } : undefined,
      activity: activity ? async () => activityRead(activity, context.cloudId, await file(SNAPSHOT_FILES.activity)) : undefined,
    },
  };
}

/** `findResume` for a run: an unreadable checkpoint is ignored (never fails the run); both outcomes are logged. */
export async function lookUpResume(sink: SnapshotSink, connectorName: string, context: Omit<ResumeContext, "latestCompleteAt">, logger: Logger): Promise<ResumeLookup> {
  const lookup: ResumeLookup = await findResume(sink, connectorName, context).catch((error: unknown) => ({
    ignored: `checkpoint ignored: it could not be read (${error instanceof Error ? error.message : String(error)}); starting over`,
  }));
  if (lookup.ignored) logger.warn("collector.checkpoint.ignored", { connector: connectorName, reason: lookup.ignored });
  if (lookup.resume) logger.info("collector.checkpoint.resumed", { connector: connectorName, from: lookup.resume.prefix, runs: lookup.resume.section.runs + 1 });
  return lookup;
}

/** The shape `readActivity` returns, from a checkpoint: the accumulator is refilled from the stored per-user file. */
async function activityRead(stored: ActivityCheckpoint, cloudId: string, file: Buffer): Promise<ActivityRead> {
  const accumulator = new ActivityAccumulator({ cloudId });
  for await (const { accountId, ...seen } of readNdjsonGzip<UserActivity & { accountId: string }>(file)) accumulator.addCarriedForward(accountId, seen);
  return {
    accumulator,
    plan: stored.evidence,
    reasons: [],
    auditCreated: [],
    auditRead: true,
    auditTotal: stored.auditTotal,
    issues: stored.issues,
    changelogHistories: stored.changelogHistories,
    commentsFetched: stored.commentsFetched,
    worklogs: stored.worklogs,
    worklogsSince: stored.worklogsSince,
    evidenceSince: stored.evidenceSince,
    quotaStopped: false,
  };
}

/** What a stopped run has read, for `checkpointSection`. */
export interface CheckpointInput {
  cloudId: string;
  auth: CheckpointAuth;
  started: Date;
  runs: number;
  resume: Resume | undefined;
  pointsSpent: number;
  /** Only complete listings are in `members` (a failed group is left out by `readMemberships`). */
  memberships: { members: ReadonlyMap<string, string[]>; counts: Record<string, { reported: number | null }> } | undefined;
  /** null: no users file was kept (API-token reads, outside the points quota); a resumed run reads them again. */
  users: { offset: number; fetched: number } | null;
  /** Set only when every planned activity source completed. */
  activity: (Omit<ActivityCheckpoint, "evidence"> & { plan?: EvidenceSource[]; evidence?: EvidenceSource[] }) | undefined;
}

/**
 * Writes the checkpoint files (the users file was streamed already) and returns the manifest section. The group
 * listings of the checkpoint this run resumed from are kept when this run's memberships are missing altogether.
 */
export async function checkpointSection(writer: SnapshotWriter, input: CheckpointInput): Promise<CheckpointSection> {
  const listings = new Map<string, GroupListing>();
  if (input.memberships) {
    for (const [group, members] of input.memberships.members) listings.set(group, { members, reported: input.memberships.counts[group]?.reported ?? null });
  } else for (const [group, listing] of input.resume?.groups ?? []) listings.set(group, listing);
  const out = writer.checkpoint<GroupListing & { group: string }>(CHECKPOINT_FILES.groups);
  const names = [...listings.keys()].sort();
  for (const group of names) await out.write({ group, ...listings.get(group)! });
  await out.close();
  const a = input.activity;
  return {
    schema: 1,
    cloudId: input.cloudId,
    auth: input.auth,
    firstRunAt: input.resume?.section.firstRunAt ?? input.started.toISOString(),
    runs: input.runs,
    resumedFrom: input.resume?.prefix ?? null,
    pointsSpent: input.pointsSpent,
    stoppedBy: "points-quota",
    groups: { file: CHECKPOINT_FILES.groups, complete: names },
    users: input.users ? { file: CHECKPOINT_FILES.users, offset: input.users.offset, records: input.users.fetched } : null,
    activity: a
      ? {
          readAt: a.readAt,
          evidence: a.evidence ?? a.plan ?? [],
          evidenceSince: a.evidenceSince,
          watermark: a.watermark,
          worklogsSince: a.worklogsSince,
          auditFetched: a.auditFetched,
          auditTotal: a.auditTotal,
          issues: a.issues,
          changelogHistories: a.changelogHistories,
          commentsFetched: a.commentsFetched,
          worklogs: a.worklogs,
        }
      : null,
  };
}
