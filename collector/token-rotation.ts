/**
 * The collector's token step: `rotateUnderLease` with the collector's settings. One definition, used by
 * `collectConnector` and by the token-chaos benchmark, so the benchmark exercises exactly what Lambda runs.
 */
import type { AtlassianClient } from "../atlassian/client";
import type { TokenSet } from "../atlassian/oauth/token-exchange";
import { rotateUnderLease, type RefreshTokenStore, type RotationResult } from "../token-store";

/** How long a run waits for another run's token lease before failing with "retry then": the holder needs seconds. */
export const TOKEN_LEASE_WAIT_MS = 30_000;
/**
 * How long a store outage before the claim is waited out. Nothing has been presented yet, and a token an earlier run
 * presented may still be saved if the store returns inside its leeway (≤ 10 min, of which a Lambda retry has ≤ 9
 * left). 8 min covers the longest outage the token-chaos bench draws and leaves the function (600 s) time to rotate
 * and persist once the store is back; a collection cut short by the timeout is retried by Lambda.
 */
export const TOKEN_STORE_WAIT_MS = 8 * 60_000;

export interface CollectorTokenRotation {
  atlassian: AtlassianClient;
  oauth: { clientId: string; clientSecret: string };
  /** For the server-clock check when the store does not measure it. */
  site: string;
  /** The lease holder: the Lambda request ID, or a random ID per local run. */
  holder: string;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Seeding: present this configured token instead of the stored one. */
  seed?: { refreshToken: string; seededFrom: string; familyStartedAt?: string };
}

export function rotateCollectorToken(store: RefreshTokenStore, run: CollectorTokenRotation): Promise<RotationResult<TokenSet>> {
  return rotateUnderLease(store, {
    holder: run.holder,
    now: run.now,
    ...(run.sleep ? { sleep: run.sleep } : {}),
    ...(run.seed ? { configured: run.seed } : {}),
    waitMs: TOKEN_LEASE_WAIT_MS,
    storeWaitMs: TOKEN_STORE_WAIT_MS,
    exchange: (refreshToken, attempt) => run.atlassian.oauth.refresh({ ...run.oauth, refreshToken, budgetMs: attempt.budgetMs }),
    serverClockOffsetMs: () => run.atlassian.serverClockOffsetMs(run.site),
    rerunHint: "invoke the collector again",
  });
}
