/**
 * The core of `npm run bench:token-chaos`: one seed against one store. Production's schedule drives it: a scheduled
 * collector invocation per slot (hourly, daily or irregular), a failed invocation retried by Lambda with the same
 * request ID (+1 min, then +2 min after that), a failed CLI/`pulumi up` run re-run by its admin 1–6 min later (twice
 * at most), sometimes a re-authorization (a new grant seeded through `pulumi up`, `check --refresh-token` or
 * `collect --refresh-token`), a `check` or a second invocation concurrently with a collector run. Chaos per run
 * (drawn from the run's own stream): /oauth/token faults, answers without refresh_token while the token is at risk,
 * writer clock skew up to ±6 min on laptops (Lambda's clock is NTP-synced: ±2 s; an admin refused for skew syncs the
 * clock before re-running), store outages of 0–8 min, crashes after the claim or between exchange and persist.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createFileStore, createSecretsManagerStore, type RefreshTokenStore } from "../../token-store";
import { startAtlassianEmulator, type FaultAction } from "../../test/support/atlassian-emulator";
import { type Attempt, unrecoverableReason } from "./classify";
import { Invariant } from "./invariant";
import { runPath, type PathKind } from "./paths";
import { Rand } from "./prng";
import { DAY, HOUR, MINUTE, SECOND, World, Writer, type CrashPoint, type WriterPlan } from "./writer";

export type StoreKind = "file" | "sm";
export interface ChaosOptions {
  seed: number;
  runs: number;
  store: StoreKind;
}

export interface ChaosFigures {
  seed: number;
  store: StoreKind;
  runs: number;
  simulatedDays: number;
  events: Record<string, number>;
  faults: Record<string, number>;
  crashes: Record<string, number>;
  outages: { count: number; maxMin: number };
  skewedWriters: number;
  recoveries: number;
  minMarginMs: number | undefined;
  lambdaRetries: number;
  reruns: number;
  outcomes: Record<string, number>;
  finalRotation: string;
  violations: string[];
  unrecoverable: string[];
  wallMs: number;
}

type Spec = { kind: PathKind; holder: string; skewMs: number; configured?: string; issuedAt?: string; attempt: number; clockSkewRefused?: boolean };
type Pending = Spec & { at: number };

const FAULTS = ["5xx", "hang", "malformed-json", "omit-refresh-token", "truncate-body", "processed-reset"] as const;
const SEED_PATHS: PathKind[] = ["pulumi-up-seed", "check-seed", "cli-collect-seed"];

function faultAction(kind: (typeof FAULTS)[number], r: Rand): FaultAction {
  if (kind === "5xx") return { kind: "status", status: r.pick([500, 502, 503, 504]) };
  if (kind === "truncate-body") return { kind: "truncate-body", bytes: (body: string) => Math.floor(body.length * r.between(0, 0.9)) };
  return { kind };
}

/** Mostly NTP-synchronised; sometimes a minute off; sometimes a laptop or VM minutes off (up to ±6 min). */
/** A laptop's or CI runner's clock: mostly synced, sometimes seconds off, sometimes minutes (up to ±6). */
function drawSkew(r: Rand): number {
  const sign = r.chance(0.5) ? 1 : -1;
  const band = r.weighted({ synced: 75, seconds: 15, minutes: 10 });
  return sign * Math.round(band === "synced" ? r.between(0, 2 * SECOND) : band === "seconds" ? r.between(2 * SECOND, 60 * SECOND) : r.between(MINUTE, 6 * MINUTE));
}

/**
 * A Lambda execution environment's clock: within 2 s. AWS documents that "the execution environment uses NTP to
 * synchronize the system clock" (Lambda's defined environment variables, TZ); minutes of skew are a laptop's.
 */
function drawLambdaSkew(r: Rand): number {
  return (r.chance(0.5) ? 1 : -1) * Math.round(r.between(0, 2 * SECOND));
}

async function openStore(kind: StoreKind, dir: string): Promise<RefreshTokenStore> {
  if (kind === "file") return createFileStore({ path: path.join(dir, "token.json") });
  const client = new SecretsManagerClient({});
  const created = await client.send(new CreateSecretCommand({ Name: `jira-connector/token-chaos-${process.pid}-${path.basename(dir)}` }));
  client.destroy();
  return createSecretsManagerStore({ secretArn: created.ARN! });
}

export async function runTokenChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const { seed, runs } = options;
  const started = performance.now();
  const emulator = await startAtlassianEmulator();
  emulator.clock.freeze();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "token-chaos-"));
  const f: ChaosFigures = {
    seed, store: options.store, runs, simulatedDays: 0, events: {}, faults: {}, crashes: {}, outages: { count: 0, maxMin: 0 }, skewedWriters: 0,
    recoveries: 0, minMarginMs: undefined, lambdaRetries: 0, reruns: 0, outcomes: {}, finalRotation: "", violations: [], unrecoverable: [], wallMs: 0,
  };
  const bump = (m: Record<string, number>, k: string) => void (m[k] = (m[k] ?? 0) + 1);
  try {
    const world = new World(emulator, await openStore(options.store, dir));
    const benchStart = world.now();
    const history: string[] = [];
    let familyStart = world.now();
    const reauthorizeDirectly = async () => {
      const grant = emulator.grant();
      familyStart = world.now();
      const at = new Date(familyStart).toISOString();
      const current = await world.base.read();
      await world.base.compareAndSwap(current?.version, { refreshToken: grant.refreshToken, rotatedAt: at, familyStartedAt: at });
      return grant.familyId;
    };
    const invariant = new Invariant(world, await reauthorizeDirectly());
    let pending: Pending[] = [];
    const attempts: Attempt[] = [];

    for (let run = 1; run <= runs; run++) {
      const r = Rand.forRun(seed, run);
      // 1. What runs next, and when: a pending retry/re-run if it comes before the next schedule slot.
      const gapKind = r.weighted({ hourly: 5, daily: 2, irregular: 3 });
      const gap = gapKind === "hourly" ? HOUR : gapKind === "daily" ? DAY : r.logBetween(MINUTE, 2 * DAY);
      let slotEvent = r.weighted({ collector: 80, reauth: 6, "check-live+collector": 8, "collector+collector": 4, "pulumi-up-live": 2 });
      pending.sort((a, b) => a.at - b.at);
      let specs: Spec[];
      let event: string;
      if (pending.length > 0 && pending[0].at <= world.now() + gap) {
        const next = pending.shift()!;
        world.advanceTo(next.at);
        const reuseEnv = r.chance(0.5);
        // A Lambda retry may land in another environment; an admin refused for clock skew syncs the clock first, as
        // the error says.
        const skewMs = next.kind === "collector" && !next.holder.startsWith("cli-") ? (reuseEnv ? next.skewMs : drawLambdaSkew(r)) : next.clockSkewRefused ? 0 : next.skewMs;
        specs = [{ ...next, skewMs }];
        event = next.kind === "collector" ? `lambda-retry-${next.attempt}` : `rerun-${next.attempt}`;
        if (next.kind === "collector") f.lambdaRetries++;
        else f.reruns++;
      } else {
        world.advanceTo(world.now() + gap);
        if (world.now() > familyStart + 355 * DAY) slotEvent = "reauth"; // the admin re-consents before the year ends
        event = slotEvent;
        const collector = (suffix = ""): Spec => ({ kind: "collector", holder: `lambda-${seed}-${run}${suffix}`, skewMs: drawLambdaSkew(r), attempt: 0 });
        if (slotEvent === "collector") specs = [collector()];
        else if (slotEvent === "collector+collector") specs = [collector("a"), collector("b")];
        else if (slotEvent === "check-live+collector") specs = [collector(), { kind: "check-live", holder: `cli-check-${run}`, skewMs: drawSkew(r), attempt: 0 }];
        else if (slotEvent === "pulumi-up-live") specs = [{ kind: "pulumi-up-live", holder: `pulumi-${run}`, skewMs: drawSkew(r), attempt: 0 }];
        else {
          const grant = emulator.grant();
          invariant.add(grant.familyId);
          const kind = r.pick(SEED_PATHS);
          // The consent time (issue 14): most re-consents give one, 1-20 days back (often before the replaced family's
          // recorded start); derived from the run number so the seed's draws stay as they were.
          const issuedAt = run % 3 === 0 ? undefined : new Date(world.now() - (1 + (run % 20)) * DAY).toISOString();
          specs = [{ kind, holder: `${kind}-${run}`, skewMs: drawSkew(r), configured: grant.refreshToken, ...(issuedAt ? { issuedAt } : {}), attempt: 0 }];
          event = `reauth(${kind})`;
        }
      }
      bump(f.events, event.replace(/\(.*/, ""));
      invariant.observe();

      // 2. Chaos for this run.
      const before = await world.base.read();
      const atRisk = invariant.retiredSince(before) !== undefined || (before?.presentedAt?.length ?? 0) > 0 || before?.seeding !== undefined;
      const notes: string[] = [];
      if (r.chance(0.3)) {
        const kind = r.pick(FAULTS);
        const times = r.int(1, 4);
        emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, times, action: faultAction(kind, r) });
        bump(f.faults, kind);
        notes.push(`${kind}x${times}`);
      }
      if (atRisk && r.chance(0.4)) {
        const times = r.int(1, 10);
        emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, times, action: { kind: "omit-refresh-token" } });
        bump(f.faults, "omit-refresh-token (at risk)");
        notes.push(`omit-rt(at risk)x${times}`);
      }
      const outage = r.chance(0.07) ? { trigger: r.pick(["at-start", "after-claim", "after-exchange"] as const), ms: Math.round(r.between(0, 8 * MINUTE)) } : undefined;
      const writers = specs.map((spec, i) => {
        const crash = r.weighted({ none: 88, "before-persist": 8, "after-claim": 4 });
        const plan: WriterPlan = { holder: spec.holder, skewMs: spec.skewMs, ...(crash !== "none" ? { crash: crash as CrashPoint } : {}), ...(outage && i === 0 ? { outage } : {}) };
        if (Math.abs(spec.skewMs) > 60 * SECOND) f.skewedWriters++;
        if (plan.crash) bump(f.crashes, `${plan.crash} armed`);
        return new Writer(world, plan);
      });

      // 3. Run them (concurrently when two), then schedule what production would do after a failure.
      const start = world.now();
      const results = await Promise.all(writers.map((w, i) => runPath(w, specs[i].kind, specs[i].configured, specs[i].issuedAt)));
      emulator.faults.clear();
      const after0 = await world.base.read();
      const line: string[] = [];
      results.forEach((res, i) => {
        const { trace, plan } = writers[i];
        const spec = specs[i];
        bump(f.outcomes, `${spec.kind}:${res.result}`);
        if (trace.crashed) bump(f.crashes, `${trace.crashed} fired`);
        if (trace.outageArmed) {
          f.outages.count++;
          f.outages.maxMin = Math.max(f.outages.maxMin, plan.outage!.ms / MINUTE);
        }
        if (res.ok && trace.tookOver && trace.persistedAt !== undefined && trace.claimDeadline !== undefined) {
          f.recoveries++;
          const margin = trace.claimDeadline - trace.persistedAt;
          f.minMarginMs = Math.min(f.minMarginMs ?? Infinity, margin);
        }
        attempts.push({ run, start, end: world.now(), kind: spec.kind, holder: spec.holder, result: res.result, ...(trace.crashed ? { crashed: trace.crashed } : {}), exchanges: trace.exchanges, answers: trace.answers, outageUntil: world.outageUntil });
        // Lambda retries a failed invocation twice (+1 min, then +2 min); an admin re-runs a failed CLI/`pulumi up`
        // run up to three times, 1–6 min later, or just after the time a "lease held" message names.
        const lambda = spec.kind === "collector" && !spec.holder.startsWith("cli-");
        if (!res.ok && spec.attempt < (lambda ? 2 : 3)) {
          let at = world.now() + (lambda ? (spec.attempt === 0 ? MINUTE : 2 * MINUTE) : r.between(MINUTE, 6 * MINUTE));
          if (!lambda && /lease-held|LeaseHeld/.test(res.result) && after0?.lease) at = Math.max(world.now() + 30 * SECOND, Date.parse(after0.lease.until) + 5 * SECOND);
          const holder = lambda ? spec.holder : `${spec.holder.replace(/-rerun\d$/, "")}-rerun${spec.attempt + 1}`;
          pending.push({ ...spec, holder, attempt: spec.attempt + 1, at, clockSkewRefused: /clock-skew|ClockSkew/.test(res.result) });
        }
        const skew = Math.abs(spec.skewMs) >= SECOND ? ` skew ${(spec.skewMs / MINUTE).toFixed(1)}m` : "";
        line.push(`${spec.kind}[${spec.holder}${skew}${plan.crash ? ` crash:${plan.crash}` : ""}${trace.outageArmed ? ` outage:${trace.outageArmed} ${(plan.outage!.ms / MINUTE).toFixed(1)}m` : ""}]=${res.result}${trace.tookOver ? "(takeover)" : ""}`);
      });
      invariant.observe();
      const after = await world.base.read();
      const rec = after ? `stored ${Invariant.label(after.refreshToken)}${invariant.retiredSince(after) !== undefined ? " (rotated out)" : ""}${after.presentedAt ? ` presentedAt ${after.presentedAt.map((t) => t.slice(11, 19)).join(",")}` : ""}${after.seeding ? " seeding" : ""}${after.lease ? ` lease ${after.lease.holder} until ${after.lease.until.slice(11, 19)}` : ""}` : "empty";
      history.push(`#${run} ${new Date(world.now()).toISOString().slice(5, 19)} ${event}${notes.length ? ` {${notes.join(",")}}` : ""}: ${line.join(" ∥ ")} → ${rec}`);
      const found = await invariant.check(`run ${run}`);
      if (found.length > 0) {
        const reason = unrecoverableReason(world, attempts, after?.refreshToken);
        for (const v of found) (reason ? f.unrecoverable : f.violations).push(`${v}${reason ? ` — ${reason}` : ""}\n      last runs:\n        ${history.slice(-6).join("\n        ")}`);
        if (world.emulator.family(invariant.tracked)!.revoked || found.some((v) => v.includes("stored token"))) {
          invariant.add(await reauthorizeDirectly()); // an admin re-authorizes so the chaos can go on
          await invariant.check(`run ${run} (re-authorized)`);
          pending = [];
        }
      }
    }

    // At the end: the invariant once more, then prove it: the stored token still rotates.
    for (const v of await invariant.check("end")) f.violations.push(v);
    const stored = await world.base.read();
    if (stored?.lease && Date.parse(stored.lease.until) > world.now()) world.advanceTo(Date.parse(stored.lease.until) + SECOND);
    world.outageUntil = 0;
    const final = await runPath(new Writer(world, { holder: `final-${seed}`, skewMs: 0 }), "collector");
    f.finalRotation = final.result;
    if (final.result !== "rotated") f.violations.push(`end: the final rotation failed (${final.result})`);
    invariant.observe();
    for (const v of await invariant.check("after the final rotation")) f.violations.push(v);
    f.simulatedDays = (world.now() - benchStart) / DAY;
    f.wallMs = performance.now() - started;
    return f;
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
