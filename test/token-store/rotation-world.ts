/**
 * The world the rotation-protocol tests run in: the Atlassian emulator (real rotation rules, controllable clock)
 * and moto (Secrets Manager), both over real HTTP on 127.0.0.1. `sleep` advances the emulator clock, so waits and
 * in-run retries spend simulated minutes in milliseconds.
 */
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import nodeFetch from "node-fetch";
import { AtlassianClient } from "../../atlassian";
import {
  createFileStore,
  createSecretsManagerStore,
  type RefreshTokenRecord,
  type RefreshTokenStore,
  TokenStoreUnavailableError,
} from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { startMoto, type Moto } from "../support/moto";

export const MINUTE = 60_000;

export interface RotationWorld {
  emulator: AtlassianEmulator;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  atlassian: (options?: { skewMs?: number }) => AtlassianClient;
  exchange: (refreshToken: string, attempt?: { budgetMs: number }) => ReturnType<AtlassianClient["oauth"]["refresh"]>;
  secretsManagerStore: () => Promise<RefreshTokenStore>;
  fileStore: () => RefreshTokenStore;
  /** A new grant, its refresh token stored as a fresh record. */
  seeded: (store: RefreshTokenStore) => Promise<{ familyId: string; refreshToken: string }>;
  /** `/oauth/token` refresh requests that presented `refreshToken`. */
  presentations: (refreshToken: string) => number;
  close: () => Promise<void>;
}

export async function startRotationWorld(options: { moto?: boolean } = {}): Promise<RotationWorld> {
  const emulator = await startAtlassianEmulator();
  emulator.clock.freeze(); // time moves only when a test (or a sleep) moves it: exact deadlines
  let moto: Moto | undefined;
  let admin: SecretsManagerClient | undefined;
  const savedEnv = { ...process.env };
  if (options.moto) {
    moto = await startMoto();
    Object.assign(process.env, moto.env);
    admin = new SecretsManagerClient({});
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rotation-"));
  const presented = new Map<string, number>();
  const atlassian = (o: { skewMs?: number } = {}) =>
    new AtlassianClient({
      env: emulator.env,
      now: () => emulator.clock.now() + (o.skewMs ?? 0),
      sleep: async (ms) => void emulator.clock.advance(ms),
      retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 1, timeoutMs: 500 },
      fetch: async (url, init) => {
        // Count presentations by token, without keeping the token anywhere but this test's memory.
        if (url.endsWith("/oauth/token") && init.body) {
          const token = (JSON.parse(init.body) as { refresh_token?: string }).refresh_token;
          if (token) presented.set(token, (presented.get(token) ?? 0) + 1);
        }
        return nodeFetch(url, init as never) as never;
      },
    });
  const world: RotationWorld = {
    emulator,
    now: () => new Date(emulator.clock.now()),
    sleep: async (ms) => void emulator.clock.advance(ms),
    atlassian,
    exchange: (refreshToken, attempt) => atlassian().oauth.refresh({ ...emulator.app(), refreshToken, ...(attempt ? { budgetMs: attempt.budgetMs } : {}) }),
    secretsManagerStore: async () => {
      if (!admin) throw new Error("startRotationWorld({ moto: true }) for Secrets Manager stores");
      const created = await admin.send(new CreateSecretCommand({ Name: `jira-connector/rotation-${randomUUID()}` }));
      return createSecretsManagerStore({ secretArn: created.ARN! });
    },
    fileStore: () => createFileStore({ path: path.join(dir, `${randomUUID()}.json`) }),
    seeded: async (store) => {
      const grant = emulator.grant();
      const at = new Date(emulator.clock.now()).toISOString();
      await store.compareAndSwap((await store.read())?.version, { refreshToken: grant.refreshToken, rotatedAt: at, familyStartedAt: at });
      return { familyId: grant.familyId, refreshToken: grant.refreshToken };
    },
    presentations: (refreshToken) => presented.get(refreshToken) ?? 0,
    close: async () => {
      admin?.destroy();
      process.env = savedEnv;
      await moto?.stop();
      await emulator.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Resolves once `store` holds a lease (another run's claim is then in flight). */
export async function leaseTaken(store: RefreshTokenStore): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if ((await store.read())?.lease) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error("no lease was taken");
}

/** What a store wrapper may do to one call: pass it on, or fail it (a crash, an outage, a denied permission). */
export type StoreFault = (call: { op: "read" | "compareAndSwap"; next?: RefreshTokenRecord; n: number }) => Error | undefined;

/** `store` with `fault` consulted before every call (`n` counts calls of that kind, from 1). */
export function faultyStore(store: RefreshTokenStore, fault: StoreFault): RefreshTokenStore {
  let reads = 0;
  let writes = 0;
  return {
    location: store.location,
    read: async () => {
      const error = fault({ op: "read", n: ++reads });
      if (error) throw error;
      return store.read();
    },
    compareAndSwap: async (expected, next) => {
      const error = fault({ op: "compareAndSwap", next, n: ++writes });
      if (error) throw error;
      return store.compareAndSwap(expected, next);
    },
    ...(store.serverClockOffsetMs ? { serverClockOffsetMs: () => store.serverClockOffsetMs!() } : {}),
  };
}

/** A Secrets Manager outage until `endsAt` (emulator time) on the successor's write (the record without a lease). */
export function persistOutageUntil(world: RotationWorld, store: RefreshTokenStore, endsAt: number): RefreshTokenStore {
  return faultyStore(store, ({ op, next }) =>
    op === "compareAndSwap" && next && !next.lease && world.emulator.clock.now() < endsAt
      ? new TokenStoreUnavailableError(store.location, "PutSecretValue", "ThrottlingException (simulated outage)")
      : undefined,
  );
}

/** A crash right after the exchange: the successor's write never happens. */
export function crashBeforePersist(store: RefreshTokenStore): RefreshTokenStore {
  let crashed = false; // a dead process writes nothing more
  return faultyStore(store, ({ op, next }) => {
    if (op === "compareAndSwap" && next && (crashed || !next.lease)) {
      crashed = true;
      return new Error("simulated crash after the exchange");
    }
    return undefined;
  });
}
