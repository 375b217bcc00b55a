import type { JiraClient } from "../atlassian/jira/jira-client";
import { getApplicationRoles } from "../atlassian/jira/licensing";
import { DEFAULT_RETRY_POLICY } from "../atlassian/http/backoff";
import { silentLogger } from "../atlassian/logger";
import { DEFAULT_CONCURRENCY } from "./decisions/concurrency";
import { emptyTally, type PointsTally, type ResponseKind, tallyResponse } from "../atlassian/quota/points";
import { nextAuditWatermark } from "./decisions/watermark";
import { planEvidence } from "./decisions/evidence";
import { orgEvidence } from "./org-activity";
import { readPreviousSnapshot } from "./previous-snapshot";
import { isPointsQuotaStop, isRetryableFailure, readActivity, readMemberships, readSubscriptions } from "./reads";
import { type ActivityCheckpoint, type CheckpointSection, checkpointSection, lookUpResume, type Resume } from "./checkpoint";
import type { CheckpointAuth } from "./decisions/checkpoint";
import { CHECKPOINT_FILES } from "./snapshot/layout";
import { AdaptiveRequestGate } from "./request-gate";
import { gatedAtlassianClient, requestStats } from "./gated-client";
import { openCredential } from "./credential-step";
import { collectorLimits } from "./limits";
import { deadlineReason } from "./decisions/deadline";
import { type SeatHolderUser, streamUsers, type UserStreamResult } from "./user-stream";
import { UserPrefetch } from "./user-prefetch";
import { SnapshotWriter } from "./snapshot/writer";
import { activityAsRead, storeActivityFile, storeSeatReport } from "./report-step";
import type { CollectionResult, CollectorIo, CollectorSettings } from "./collect-settings";

export type { CollectionResult, CollectorIo, CollectorSettings };

/**
 * One collection for one connector, with its I/O injected so the same code runs in Lambda and on a laptop:
 * token first (claim, exchange, persist — before the access token is used), then subscriptions, the members of the
 * groups that grant products, user activity (audit since the watermark, bounded JQL), then every user streamed to
 * the snapshot, then the seat report. A run that could not fetch everything writes a manifest marked partial (which
 * never moves `latest`); a run that fails writes a failed manifest and rethrows.
 */
export async function collectConnector(settings: CollectorSettings, io: CollectorIo): Promise<CollectionResult> {
  const now = io.now ?? (() => new Date());
  const logger = io.logger ?? silentLogger;
  const started = now();
  // Adaptive concurrency: the gate admits concurrent pages and learns from every response the pipeline sees.
  const gate = new AdaptiveRequestGate({
    ...DEFAULT_CONCURRENCY,
    // Concurrent pages that hit an empty bucket together are one event (see ConcurrencyConfig.coalesceMs).
    coalesceMs: 250,
    maxPaced: 25, // paced by bucket headers: 100/s at up to ~250 ms round trips (a Lambda far from the site)
    slowStart: true,
    backoff: { ...DEFAULT_RETRY_POLICY, ...io.atlassian?.retry },
  });
  // Every attempt (retries, single reads outside `gate.run`) waits out a known 429 on its route.
  const atlassian = gatedAtlassianClient(gate, { logger, ...io.atlassian });
  const writer = new SnapshotWriter(io.sink, settings.connectorName, started);
  const limits = collectorLimits(settings.limits);
  const runStartedAt = atlassian.pipeline.now();
  const reasons: string[] = [];
  // Points this run spent against Atlassian's hourly quota (OAuth traffic only; API-token reads are exempt).
  let tally: PointsTally = emptyTally();
  const base = { connector: settings.connectorName, site: settings.site, cloudId: settings.cloudId };
  let prefetch: UserPrefetch | undefined;
  let failed = false;
  try {
    // 1. Credential first: an OAuth token is claimed, exchanged and persisted before anything else (the lease keeps
    // a concurrent run from exchanging the same token); a scoped token's scopes are probed.
    if (Boolean(settings.oauth) === Boolean(settings.scopedApiToken)) throw new Error("collector settings: set exactly one of oauth and scopedApiToken");
    if (settings.scopedApiToken && settings.license) throw new Error("collector settings: license is for OAuth connectors; a scoped token reads seats itself");
    // 0. Identity first: the configured cloud ID must still be this site's before any credential is presented —
    // a wrong or remapped cloud ID would otherwise yield a "complete" snapshot of another site (unauthenticated, cheap).
    await atlassian.cloudId(settings.site, { expected: settings.cloudId });
    const credential = await openCredential({
      atlassian,
      connectorName: settings.connectorName,
      site: settings.site,
      cloudId: settings.cloudId,
      ...(settings.oauth ? { oauth: settings.oauth } : {}),
      ...(settings.scopedApiToken ? { scopedApiToken: settings.scopedApiToken } : {}),
      ...(io.tokenStore ? { tokenStore: io.tokenStore } : {}),
      holder: io.runId,
      now,
      logger,
      ...(io.sleep ? { sleep: io.sleep } : {}),
      ...(io.seed ? { seed: io.seed } : {}),
    });
    if (credential.atRiskDeadline !== undefined) {
      // Answers without a new refresh token while an earlier presentation may have rotated it: another run must
      // present it before the deadline. The run is partial and `tokenAtRisk` makes the Lambda fail, so that
      // Lambda's retry (+1 min) comes in time; a successful run would wait for the next schedule slot.
      const deadline = new Date(credential.atRiskDeadline).toISOString();
      logger.warn("collector.token.at-risk", { connector: settings.connectorName, deadline });
      reasons.push(`refresh token: Atlassian's answers did not rotate a token that may already have been rotated; run again before ${deadline}`);
    }
    // The deadline applies from here on: after the credential step, so that a token exchange is never cut mid-way.
    if (io.deadline !== undefined) atlassian.pipeline.deadline = io.deadline;
    const bulk: JiraClient = settings.license ? atlassian.jira({ kind: "api-token", site: settings.site, ...settings.license }) : credential.jira;
    const charge = (kind: ResponseKind, objects: number) => {
      tally = tallyResponse(tally, { kind, objects, auth: bulk.authKind });
    };

    // 1b. A checkpoint left by runs the points quota stopped: its complete parts are reused, the rest read.
    const auth: CheckpointAuth = settings.scopedApiToken ? "scoped-api-token" : settings.license ? "oauth+license" : "oauth";
    const lookup = await lookUpResume(io.sink, settings.connectorName, { cloudId: settings.cloudId, auth, now: started }, logger);
    const resume: Resume | undefined = lookup.resume;
    const runs = (resume?.section.runs ?? 0) + 1;

    // 2. Subscriptions, memberships and activity are independent: fetch them concurrently.
    const previous = await readPreviousSnapshot(io.sink, settings.connectorName);
    const previousWatermark = previous?.watermark ?? null;
    let quotaStopped = false;
    const partial = (what: string) => (error: unknown) => {
      if (isRetryableFailure(error)) {
        quotaStopped ||= isPointsQuotaStop(error);
        reasons.push(`${what}: ${error.message}`);
        return undefined;
      }
      throw error;
    };
    const rolesRead = resume ? Promise.resolve(resume.subscriptions.roles) : getApplicationRoles(bulk);
    // Which evidence this credential reaches: a classic admin token every Jira source, OAuth what its scopes allow.
    const planned = planEvidence(
      bulk.authKind === "api-token" ? { kind: "api-token" } : { kind: "oauth", grantedScopes: credential.grantedScopes },
      settings.org !== undefined,
    );
    // The users' page chain overlaps these reads (user-prefetch.ts); not over OAuth, whose quota the memberships get first.
    if (!resume?.users && bulk.authKind !== "oauth") prefetch = new UserPrefetch(bulk, charge, limits.users);
    const activityRead = (resume?.activity ? resume.activity() : readActivity(bulk, settings, previous, started, charge, gate, planned, limits)).catch(
      partial("user activity"),
    );
    const earlyActivity = activityAsRead(writer, activityRead, { orgDates: settings.org !== undefined, runFailed: () => failed });
    const [subscriptions, memberships, activity] = await Promise.all([
      resume ? resume.subscriptions : readSubscriptions(bulk, rolesRead, charge),
      rolesRead.then((roles) => readMemberships(bulk, roles, charge, gate, resume?.groups, limits)).catch(partial("group membership")),
      activityRead,
    ]);
    const reusedActivity: ActivityCheckpoint | undefined = resume?.activity ? resume.section.activity! : undefined;
    if (memberships) reasons.push(...memberships.failures.map((f) => `group membership: ${f}`));
    if (activity) reasons.push(...activity.reasons);
    quotaStopped ||= memberships?.quotaStopped === true || activity?.quotaStopped === true;
    let evidence = activity?.plan ?? planned.map((s) => (s.source === "org-last-active" ? s : { ...s, status: "failed" as const, note: "activity reads failed" }));

    // 2b. Optional: org last-active dates for the members of granting groups. A failure makes the run partial.
    let pageViewsCover: Set<string> | undefined;
    if (settings.org) {
      const org = await orgEvidence({ atlassian, org: settings.org, cloudId: settings.cloudId, memberships: memberships?.members, accumulator: activity?.accumulator, gate, evidence });
      ({ evidence, pageViewsCover } = org);
      reasons.push(...org.reasons);
    }

    // 3. Users, streamed; only seat holders' details are kept for the report.
    // Computed once: result() builds a new map, and calling it per user made 10k users quadratic.
    const activityByUser = (await earlyActivity.byUser) ?? activity?.accumulator.result() ?? new Map();
    const usersOut = writer.users<Record<string, unknown>>();
    const users: UserStreamResult = { holders: new Map(), fetched: 0, offset: 0 };
    // Raw users for a checkpoint: kept only if the quota stops this run (aborted, i.e. never stored, otherwise). Only
    // OAuth reads spend points (API-token traffic is exempt), so bulk API-token reads write none: a second gzip of
    // every user, thrown away, was ~1 s of a 100k-user run.
    const checkpointUsers = bulk.authKind === "oauth" ? writer.checkpoint<SeatHolderUser>(CHECKPOINT_FILES.users) : undefined;
    const usersResume = resume?.users ? { users: resume.users.read(), offset: resume.users.offset } : await prefetch?.resume();
    await streamUsers({
      ...(usersResume ? { resume: usersResume } : {}),
      ...(checkpointUsers ? { checkpoint: checkpointUsers } : {}),
      jira: bulk,
      roles: subscriptions.roles,
      memberships: memberships?.members ?? new Map(),
      activity: activityByUser,
      out: usersOut,
      charge,
      result: users,
      bounds: limits.users,
    }).catch(partial("users"));
    // Reads are over: from here on only the snapshot is written (and no request starts). One reason says why the
    // reads that did not finish are missing, ahead of each listing's own.
    if (atlassian.pipeline.deadlineReached) reasons.unshift(deadlineReason(runStartedAt, io.deadline!));
    // Each file is stored (its last gzip block, an fsync and rename or an S3 upload's last part) while the next is
    // computed and written: the files are independent, and storing them one after another left the CPU idle.
    const usersStored = usersOut.close();
    usersStored.catch(() => undefined); // settled in storeSeatReport
    // Stored during the reads when it could be (report-step.ts); otherwise now.
    const activityStored = earlyActivity.file.then((file) => (file === "stored" ? undefined : storeActivityFile(writer, activityByUser)));

    // 4. Seat report. Activity reused from a checkpoint was read at its run's start: the report is as of then.
    const asOf = reusedActivity ? new Date(reusedActivity.readAt) : started;
    const report = await storeSeatReport({
      writer,
      base,
      subscriptions,
      memberships: memberships?.members ?? new Map(),
      holders: users.holders,
      storing: [usersStored, activityStored],
      report: {
        activity: activityByUser,
        asOf,
        inactivityDays: settings.inactivityDays,
        license: subscriptions.license,
        activityEvidenceSince: activity ? new Date(activity.evidenceSince) : undefined,
        evidence,
        ...(pageViewsCover ? { pageViewsCover } : {}),
        ...(settings.pricing ? { pricing: settings.pricing } : {}),
        partial: { reasons, activityIncomplete: evidence.some((s) => s.status === "failed") },
      },
    });

    const watermark = reusedActivity
      ? { watermark: reusedActivity.watermark }
      : nextAuditWatermark({ previous: previousWatermark, records: activity?.auditCreated ?? [], fetchCompleted: activity?.auditRead === true, now: started });
    const complete = reasons.length === 0;
    const auditFetched = reusedActivity?.auditFetched ?? activity?.auditCreated.length ?? 0;
    const pointsSpent = (resume?.section.pointsSpent ?? 0) + tally.points;
    // Only the points quota checkpoints: it refuses everything until the hour's reset, so "run again" means an hour
    // later, and starting over would spend the next hour on the same reads. Other failures behave as before.
    const checkpointing = !complete && quotaStopped;
    let checkpoint: CheckpointSection | undefined;
    if (checkpointing) {
      await checkpointUsers?.close();
      const activityRead = activity && activity.reasons.length === 0 ? { ...activity, readAt: started.toISOString(), watermark: watermark.watermark, auditFetched } : undefined;
      const input = { cloudId: settings.cloudId, auth, started, runs, resume, pointsSpent, memberships, users: checkpointUsers ? users : null, activity: reusedActivity ?? activityRead };
      checkpoint = await checkpointSection(writer, input);
      logger.warn("collector.checkpoint.written", { connector: settings.connectorName, runs, usersOffset: users.offset, groups: checkpoint.groups.complete.length, activity: checkpoint.activity !== null });
    } else await checkpointUsers?.abort();
    const { latestUpdated } = await writer.finish({
      complete,
      reasons,
      ...base,
      durationMs: now().getTime() - started.getTime(),
      requests: requestStats(atlassian, gate),
      concurrency: { peakInFlight: gate.peakConcurrency, stopped: gate.stopped },
      points: { charged: bulk.authKind === "oauth", spent: tally.points, byKind: tally.byKind, ...(runs > 1 ? { acrossRuns: pointsSpent } : {}) },
      runs,
      ...(resume ? { resumedFrom: resume.prefix, activityReadAt: asOf.toISOString() } : {}),
      ...(checkpoint ? { checkpoint } : {}),
      ...(lookup.ignored ? { checkpointIgnored: lookup.ignored } : {}),
      ...(io.deadline !== undefined ? { deadline: { at: new Date(io.deadline).toISOString(), reached: atlassian.pipeline.deadlineReached } } : {}),
      entities: {
        users: { fetched: users.fetched },
        groupMembers: memberships?.counts ?? {},
        auditRecords: { fetched: auditFetched, reported: activity?.auditTotal ?? null },
        issues: { fetched: activity?.issues ?? 0 },
        changelogHistories: { fetched: activity?.changelogHistories ?? null },
        comments: { fetchedBeyondSearch: activity?.commentsFetched ?? null },
        worklogs: { fetched: activity?.worklogs ?? null },
        ...(settings.org ? { orgLastActive: { accountsInDirectory: pageViewsCover?.size ?? null } } : {}),
      },
      evidence: evidence.map(({ source, status }) => ({ source, status })),
      watermark: watermark.watermark,
      worklogsSince: activity?.worklogsSince ?? null,
      activityEvidenceSince: activity?.evidenceSince ?? null,
      authMethod: settings.scopedApiToken ? "scoped-api-token" : "oauth",
      ...(credential.familyStartedAt ? { refreshTokenFamilyStartedAt: credential.familyStartedAt } : {}),
    });
    logger.info("collector.finished", { connector: settings.connectorName, complete, requests: atlassian.stats.requests });
    const tokenAtRisk = credential.atRiskDeadline !== undefined;
    const resumed = { runs, ...(resume ? { resumedFrom: resume.prefix } : {}), checkpointed: checkpoint !== undefined, ...(lookup.ignored ? { checkpointIgnored: lookup.ignored } : {}) };
    return { complete, reasons, snapshotPrefix: writer.prefix, report, latestUpdated, stats: requestStats(atlassian, gate), tokenAtRisk, ...resumed };
  } catch (error) {
    failed = true;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : "unknown failure";
    logger.warn("collector.failed", { connector: settings.connectorName, reason });
    prefetch?.stop();
    // The deadline came before the subscriptions (nothing to report without them): the manifest says so first.
    if (atlassian.pipeline.deadlineReached && !reasons.some((r) => r.startsWith("run deadline"))) reasons.unshift(deadlineReason(runStartedAt, io.deadline!));
    await writer.abortOpenStreams().catch(() => undefined);
    await writer.finish({ complete: false, failed: true, reasons: [...reasons, reason], ...base, requests: requestStats(atlassian, gate) }).catch(() => undefined);
    throw error;
  }
}
