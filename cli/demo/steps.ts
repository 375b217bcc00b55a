/**
 * The demo's steps are the real commands, run in this process through `main` with captured output, so the demo
 * exercises exactly what a user types. A failing step throws with the command's own error line.
 */
import { CliError, createIo, type CliIo } from "../io";

export type RunArgs = (args: readonly string[], io: CliIo) => Promise<number>;

export interface StepResult {
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `args`; `onStderr` sees stderr as it is written (authorize's consent URL). */
export async function runStep(
  runArgs: RunArgs,
  name: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  onStderr?: (soFar: string) => void,
): Promise<StepResult> {
  let stdout = "";
  let stderr = "";
  const io = createIo({
    stdout: { write: (s: string) => (stdout += s) },
    stderr: {
      write: (s: string) => {
        stderr += s;
        onStderr?.(stderr);
      },
    },
    env,
  });
  const started = performance.now();
  const code = await runArgs(args, io);
  const ms = performance.now() - started;
  if (code !== 0) {
    const reason = (stderr.trim().split("\n").pop() ?? "") || stdout.trim().split("\n").pop() || `exit code ${code}`;
    throw new CliError(`demo step "${name}" failed: ${reason}`, "DEMO_STEP_FAILED");
  }
  return { stdout, stderr, ms };
}

/**
 * Runs `body` with every JIRA_CONNECTOR_* variable out of `process.env`, restored afterwards: commander reads option
 * defaults from `process.env` itself, and a real site's settings must not leak into the demo's commands.
 */
export async function withoutConnectorEnv<T>(body: () => Promise<T>): Promise<T> {
  const saved = Object.entries(process.env).filter(([k]) => k.startsWith("JIRA_CONNECTOR_"));
  for (const [k] of saved) delete process.env[k];
  try {
    return await body();
  } finally {
    for (const [k, v] of saved) process.env[k] = v;
  }
}

/** The caller's environment without JIRA_CONNECTOR_* (a real site's settings must not leak into the demo), plus `extra`. */
export function demoEnv(env: Record<string, string | undefined>, extra: Record<string, string>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith("JIRA_CONNECTOR_")) result[k] = v;
  return { ...result, ...extra };
}
