/** How every command runs: errors become one actionable line (or a JSON document) and a non-zero exit code. */
import { inFlagTerms } from "./check/flags";
import { type CliIo, describeError } from "./io";
import { jsonLine } from "./format/sanitize";

/** Typed errors of the client that mean "the command line is wrong" (exit 2, like commander's own). */
const USAGE_CODES = new Set(["INVALID_SITE_NAME", "INVALID_ARGUMENT"]);

/** Runs a command body; the exit code it returns (or 1 on failure) becomes the process's. */
export type Runner = (json: boolean | undefined, body: (io: CliIo) => Promise<number>) => Promise<void>;

export function createRunner(io: CliIo, setExitCode: (code: number) => void): Runner {
  return async (json, body) => {
    try {
      setExitCode(await body(io));
    } catch (error) {
      const described = describeError(error);
      // Typed errors name provider properties (`oauth.refreshToken`); at the prompt the fix is a flag.
      const { code, message } = { ...described, message: inFlagTerms(described.message) };
      const exitCode = typeof (error as { exitCode?: unknown }).exitCode === "number" ? (error as { exitCode: number }).exitCode : USAGE_CODES.has(code) ? 2 : 1;
      if (json) io.out(jsonLine({ ok: false, error: { code, message } }));
      else io.err(`jira-connector: ${message}\n`);
      setExitCode(exitCode === 0 ? 1 : exitCode);
    }
  };
}
