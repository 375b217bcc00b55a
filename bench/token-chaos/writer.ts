/**
 * One writer process (a Lambda invocation, a `pulumi up`, a CLI run): its own clock (emulator time + skew), its own
 * Atlassian client (so the server-clock offset it measures reflects its skew), and a view of the shared store that
 * injects the process's crash and the store's outage. A crashed process is dead: it presents and writes nothing more.
 */
import { AtlassianClient } from "../../atlassian";
import type { TokenSet } from "../../atlassian/oauth/token-exchange";
import { rotationRules, TokenStoreUnavailableError, type RefreshTokenRecord, type RefreshTokenStore } from "../../token-store";
import type { AtlassianEmulator } from "../../test/support/atlassian-emulator";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const LEEWAY_MS = 10 * MINUTE;

/** A dead process. Classified "not-presented" by the protocol's default classifier (code INVALID_ARGUMENT): it stops at once. */
export class SimulatedCrash extends Error {
  readonly code = "INVALID_ARGUMENT";
  constructor(where: string) {
    super(`simulated crash ${where}`);
    this.name = "SimulatedCrash";
  }
}

export type CrashPoint = "after-claim" | "before-persist";
export type OutageTrigger = "at-start" | "after-claim" | "after-exchange";

/** Shared by every writer of one bench: the emulator (its clock is frozen; only sleeps and schedule jumps move it) and the store. */
export class World {
  /** Epoch ms (emulator time) until which every store call fails. */
  outageUntil = 0;
  /** Exact emulator time each token was rotated out (its leeway starts), observed around every exchange. */
  readonly retiredAt = new Map<string, number>();
  constructor(
    readonly emulator: AtlassianEmulator,
    readonly base: RefreshTokenStore,
  ) {}
  now(): number {
    return this.emulator.clock.now();
  }
  /** Moves the clock to `t` unless it is already later (two concurrent sleepers do not add up). */
  advanceTo(t: number): void {
    if (t > this.now()) this.emulator.clock.advance(t - this.now());
  }
  storeDown(): boolean {
    return this.now() < this.outageUntil;
  }
  armOutage(ms: number): void {
    if (!this.storeDown()) this.outageUntil = this.now() + ms;
  }
}

export interface WriterPlan {
  holder: string;
  skewMs: number;
  crash?: CrashPoint;
  outage?: { trigger: OutageTrigger; ms: number };
}

/** What one writer did, as seen by its store view. */
export interface WriterTrace {
  crashed?: CrashPoint;
  crashedAt?: number;
  /** Claims written (epoch ms, writer clock) and whether each took over earlier presentations. */
  claimedAt?: number;
  tookOver: boolean;
  /** Deadline (writer clock) the claim recorded: earliest presentation + leeway. */
  claimDeadline?: number;
  /** Writer-clock time the successor was stored. */
  persistedAt?: number;
  outageArmed?: OutageTrigger;
  exchanges: number;
  answers: number;
}

export class Writer {
  readonly trace: WriterTrace = { tookOver: false, exchanges: 0, answers: 0 };
  readonly atlassian: AtlassianClient;
  readonly store: RefreshTokenStore;
  private dead = false;

  constructor(
    readonly world: World,
    readonly plan: WriterPlan,
  ) {
    const client = new AtlassianClient({
      env: world.emulator.env,
      now: () => this.nowMs(),
      retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 2, timeoutMs: 150 },
    });
    const refresh = client.oauth.refresh;
    // The process's view of the token endpoint: a dead process presents nothing.
    (client as { oauth: AtlassianClient["oauth"] }).oauth = { ...client.oauth, refresh: (options) => this.refresh(refresh, options) };
    this.atlassian = client;
    this.store = this.storeView();
  }

  nowMs(): number {
    return this.world.now() + this.plan.skewMs;
  }
  now = (): Date => new Date(this.nowMs());
  /** In-run waits consume simulated time. */
  sleep = async (ms: number): Promise<void> => {
    this.world.advanceTo(this.world.now() + ms);
  };
  get crashed(): boolean {
    return this.dead;
  }

  private die(point: CrashPoint): SimulatedCrash {
    this.dead = true;
    this.trace.crashed = point;
    this.trace.crashedAt = this.world.now();
    return new SimulatedCrash(point);
  }

  private async refresh(refresh: AtlassianClient["oauth"]["refresh"], options: Parameters<AtlassianClient["oauth"]["refresh"]>[0]): Promise<TokenSet> {
    if (this.dead) throw new SimulatedCrash("(dead)");
    if (this.plan.crash === "after-claim" && this.trace.claimedAt !== undefined) throw this.die("after-claim");
    this.trace.exchanges++;
    const emulator = this.world.emulator;
    const currentBefore = emulator.family(options.refreshToken)?.currentRefreshToken;
    // The clock is frozen during the call, so a rotation inside it (even one whose answer is lost) happened now.
    const noteRotation = () => {
      if (emulator.family(options.refreshToken)?.currentRefreshToken === currentBefore) return;
      for (const t of [currentBefore, options.refreshToken]) if (t && !this.world.retiredAt.has(t)) this.world.retiredAt.set(t, this.world.now());
    };
    let answer: TokenSet;
    try {
      answer = await refresh(options);
    } finally {
      noteRotation();
    }
    this.trace.answers++;
    if (this.plan.outage?.trigger === "after-exchange" && !this.trace.outageArmed) this.arm("after-exchange");
    return answer;
  }

  private arm(trigger: OutageTrigger): void {
    this.trace.outageArmed = trigger;
    this.world.armOutage(this.plan.outage!.ms);
  }

  private storeView(): RefreshTokenStore {
    const base = this.world.base;
    const unavailable = (operation: string) => new TokenStoreUnavailableError(base.location, operation, "simulated outage");
    const view: RefreshTokenStore = {
      location: base.location,
      read: async () => {
        if (this.dead) throw new SimulatedCrash("(dead)");
        if (this.plan.outage?.trigger === "at-start" && !this.trace.outageArmed) this.arm("at-start");
        if (this.world.storeDown()) throw unavailable("GetSecretValue");
        return base.read();
      },
      compareAndSwap: async (expected, next) => {
        if (this.dead) throw new SimulatedCrash("(dead)");
        if (this.world.storeDown()) throw unavailable("PutSecretValue");
        if (!next.lease && this.plan.crash === "before-persist") throw this.die("before-persist");
        const version = await base.compareAndSwap(expected, next);
        if (next.lease && this.trace.claimedAt === undefined && isClaim(next)) this.noteClaim(next);
        else if (!next.lease) this.trace.persistedAt = this.nowMs();
        if (next.lease && this.plan.outage?.trigger === "after-claim" && !this.trace.outageArmed) this.arm("after-claim");
        return version;
      },
    };
    // Secrets Manager measures this machine's clock against AWS's Date header: the writer's skew. The shared file
    // stands in for that shared store here (real file-store writers share one machine, hence one clock).
    view.serverClockOffsetMs = () => this.plan.skewMs;
    return view;
  }

  private noteClaim(next: RefreshTokenRecord): void {
    // The claim appended "now" to the presentations of its target (the stored token's, or a configured one's).
    const last = (xs?: string[]) => (xs && xs.length > 0 ? Date.parse(xs[xs.length - 1]) : -Infinity);
    const presented = (last(next.seeding?.presentedAt) > last(next.presentedAt) ? next.seeding?.presentedAt : next.presentedAt) ?? [];
    this.trace.claimedAt = this.nowMs();
    this.trace.tookOver = presented.length > 1;
    this.trace.claimDeadline = rotationRules.deadlineOf(presented);
  }
}

/** A claim (not a release): its lease ends in the future. */
function isClaim(next: RefreshTokenRecord): boolean {
  return next.lease !== undefined && (next.presentedAt !== undefined || next.seeding !== undefined);
}
