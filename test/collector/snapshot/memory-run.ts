/** Spawns `memory-child.ts` with `--expose-gc` and returns its report (see that file for why a child process). */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { MemoryReport } from "./memory-probe";

export async function runMemoryProbe(
  args: string[],
  env: Record<string, string> = {},
): Promise<MemoryReport> {
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--no-warnings", "--import", "tsx", path.join(__dirname, "memory-child.ts"), ...args],
    { cwd: path.resolve(__dirname, "../../.."), env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  // eslint-disable-next-line no-console -- the measurement is the point of these tests
  console.log(stderr.trim());
  if (code !== 0) throw new Error(`memory probe exited with ${code}: ${stderr}`);
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!) as MemoryReport;
}
