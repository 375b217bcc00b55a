/**
 * What `collectConnector` (collect.ts) is given and returns: the connector's settings, the I/O it runs with (so the
 * same code runs in Lambda and on a laptop) and the collection's result.
 */
import type { AtlassianClient, AtlassianClientOptions } from "../atlassian/client";
import type { Logger } from "../atlassian/logger";
import type { RefreshTokenStore } from "../token-store";
import type { SeatReport } from "./decisions/seat-report";
import type { SeatPricing } from "./decisions/pricing";
import type { OrgActivitySettings } from "./org-activity";
import type { LimitStats } from "./decisions/known-limit";
import type { LimitOverrides } from "./limits";
import type { SnapshotSink } from "./snapshot/sink";

export interface CollectorSettings {
  connectorName: string;
  site: string;
  cloudId: string;
  /** Exactly one of `oauth` (with `io.tokenStore`) and `scopedApiToken`. */
  oauth?: { clientId: string; clientSecret: string };
  /** A scoped API token (Basic auth through the gateway): no refresh token, exempt from the points quota. */
  scopedApiToken?: { email: string; apiToken: string };
  /** OAuth only: an administrator's email + classic API token; bulk reads then use Basic auth (no points). */
  license?: { email: string; apiToken: string };
  /**
   * Optional: an organization ID and API key, to add the Admin API's last-active dates (page views, the only trace
   * of people who only read) to the activity evidence. One request per seat-granting group member.
   */
  org?: OrgActivitySettings;
  inactivityDays?: number;
  /** Optional seat prices: idle cost per month and year in the seat report. */
  pricing?: SeatPricing;
  /**
   * First run: how far back to read audit records (later runs continue from the watermark). Default: the
   * inactivity window, so a first report does not list as inactive people whose only trace is an older audit record.
   */
  auditLookbackDays?: number;
  /** Per-listing bounds over the defaults (collector/limits.ts, README "Bounds"): unusual sites, and tests. */
  limits?: LimitOverrides;
}

export interface CollectorIo {
  /** OAuth only: where the live refresh token lives. */
  tokenStore?: RefreshTokenStore;
  sink: SnapshotSink;
  now?: () => Date;
  logger?: Logger;
  /**
   * Identifies this run in the token lease: the Lambda request ID (a retry of a crashed invocation reuses it and
   * may re-enter its abandoned claim), or a random ID per local run. Never shared by two runs.
   */
  runId: string;
  /** Seeding: present this configured token (a new consent's) instead of the stored one, under the same lease. */
  seed?: { refreshToken: string; seededFrom: string; familyStartedAt?: string };
  /** For tests and benchmarks: the lease's waits and retries use it. */
  sleep?: (ms: number) => Promise<void>;
  atlassian?: AtlassianClientOptions;
  /**
   * The run deadline, epoch ms on the Atlassian client's clock (`atlassian.now`, else `Date.now`): from then on no
   * read starts, and the snapshot is written with what was read, partial ("run deadline reached after N s"). Set it
   * early enough to leave time for writing the snapshot. The credential step is never cut: it runs before reads.
   */
  deadline?: number;
}

export interface CollectionResult {
  complete: boolean;
  reasons: string[];
  snapshotPrefix: string;
  report: SeatReport;
  latestUpdated: boolean;
  /** The pipeline's counters, plus the gate's count of attempts sent into a known 429 (must be 0) and the overlap. */
  stats: AtlassianClient["stats"] & LimitStats;
  /** The stored token must be presented again before its deadline (see `RotationResult.atRisk`). */
  tokenAtRisk: boolean;
  /** Runs this collection took: more than 1 when it resumed from a checkpoint (the points quota stopped earlier runs). */
  runs: number;
  resumedFrom?: string;
  /** The points quota stopped this run and it stored a checkpoint for the next one. */
  checkpointed: boolean;
  /** Why an existing checkpoint was not used (stale, another site, another credential). */
  checkpointIgnored?: string;
}
