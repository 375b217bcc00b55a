/** The `jira-connector` program: commander wiring of the commands, in-process runnable (`main`). */
import { Command, CommanderError } from "commander";
import { authorizeCommand } from "./commands/authorize";
import { checkCommand } from "./commands/check";
import { cloudIdCommand } from "./commands/cloud-id";
import { collectCommand } from "./commands/collect";
import { demoCommand } from "./commands/demo";
import { fleetReportCommand } from "./commands/fleet-report";
import { queryCommand } from "./commands/query";
import { reportCommand } from "./commands/report";
import { sandboxCommand } from "./commands/sandbox";
import type { CliIo } from "./io";
import { jsonLine } from "./format/sanitize";
import { createRunner } from "./run";
import { redactUsageMessage, usageErrorCode, wantsJson } from "./usage-errors";
import { packageVersion } from "./version";

export function buildProgram(io: CliIo, setExitCode: (code: number) => void, json = false): Command {
  const run = createRunner(io, setExitCode);
  // Usage errors name options, never values; under --json `main` prints them as the JSON error document instead.
  const output = {
    writeOut: (s: string) => io.out(s),
    writeErr: (s: string) => (json ? undefined : io.err(s)),
    outputError: (s: string, write: (s: string) => void) => write(redactUsageMessage(s)),
  };
  const program = new Command("jira-connector")
    .description("Set up, check and run Atlassian Jira Cloud connectors: OAuth consent, validation, collection and seat reports.")
    .version(packageVersion(), "-V, --version", "print the jira-connectors version")
    .exitOverride()
    .configureOutput(output)
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      "\nSecrets can come from environment variables (JIRA_CONNECTOR_CLIENT_SECRET, JIRA_CONNECTOR_REFRESH_TOKEN,\n" +
        "JIRA_CONNECTOR_API_TOKEN, JIRA_CONNECTOR_ORG_API_KEY); no command prints one, except `authorize` printing the token it obtained\n" +
        "(and `sandbox`, printing the fake credentials of its emulated Atlassian).",
    );
  for (const command of [authorizeCommand(run), cloudIdCommand(run), checkCommand(run), collectCommand(run), reportCommand(run), queryCommand(run), fleetReportCommand(run), sandboxCommand(run), demoCommand(run, main)]) {
    command.exitOverride().configureOutput(output).showHelpAfterError("(run with --help for usage)");
    program.addCommand(command);
  }
  return program;
}

/** Parses `args` (without node and script) and runs the command; resolves to the exit code. */
export async function main(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const json = wantsJson(args);
  const program = buildProgram(io, (code) => (exitCode = code), json);
  try {
    await program.parseAsync([...args], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      const message = redactUsageMessage(error.message).replace(/^error: /, "");
      if (json) io.out(jsonLine({ ok: false, error: { code: usageErrorCode(error.code), message } }));
      return 2;
    }
    throw error;
  }
  return exitCode;
}
