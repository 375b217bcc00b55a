/**
 * Starts moto (a local AWS API emulator) from the project's `.venv-moto/` for tests that talk real HTTP to AWS
 * services. `npm test` installs it first (`npm run test:setup` → scripts/ensure-moto.sh).
 *
 * ```ts
 * const moto = await startMoto();
 * Object.assign(process.env, moto.env);   // the AWS SDK now talks to moto
 * await moto.stop();
 * ```
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";

export interface Moto {
  /** e.g. `http://127.0.0.1:54321` */
  endpoint: string;
  /** `AWS_ENDPOINT_URL`, dummy credentials and `AWS_REGION=us-east-1`: merge into `process.env` or a child's env. */
  env: Record<string, string>;
  /** How long moto took to answer, in ms. */
  startupMs: number;
  stop(): Promise<void>;
}

const MOTO_SERVER = path.resolve(__dirname, "../../.venv-moto/bin/moto_server");

/** Spawns `moto_server` on a free loopback port and resolves once it answers HTTP. */
export async function startMoto(options: { timeoutMs?: number } = {}): Promise<Moto> {
  if (!existsSync(MOTO_SERVER)) {
    throw new Error(`moto is not installed at ${MOTO_SERVER}. Run: npm run test:setup (sh scripts/ensure-moto.sh)`);
  }
  const started = Date.now();
  const port = await freePort();
  const child = spawn(MOTO_SERVER, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, child, options.timeoutMs ?? 20_000, () => stderr);
  } catch (error) {
    process.removeListener("exit", killOnExit);
    await stopChild(child);
    throw error;
  }
  return {
    endpoint,
    startupMs: Date.now() - started,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_REGION: "us-east-1",
    },
    async stop() {
      process.removeListener("exit", killOnExit);
      await stopChild(child);
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto_server exited (${child.exitCode ?? child.signalCode}) before answering:\n${stderr()}`);
    }
    if (await answers(`${endpoint}/moto-api/`)) return;
    if (Date.now() > deadline) throw new Error(`moto_server did not answer within ${timeoutMs} ms:\n${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(true);
    });
    request.setTimeout(1000, () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * For a test file: starts moto before its tests with its variables merged into `process.env`, and stops it and
 * restores the environment after them. Returns a getter for the running instance.
 */
export function motoForSuite(): () => Moto {
  let moto: Moto | undefined;
  let savedEnv: NodeJS.ProcessEnv | undefined;
  beforeAll(async () => {
    moto = await startMoto();
    savedEnv = { ...process.env };
    Object.assign(process.env, moto.env);
  });
  afterAll(async () => {
    if (savedEnv) process.env = savedEnv;
    await moto?.stop();
  });
  return () => {
    if (!moto) throw new Error("moto is not running (motoForSuite() runs it in beforeAll)");
    return moto;
  };
}
