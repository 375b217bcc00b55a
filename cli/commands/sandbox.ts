/**
 * `jira-connector sandbox`: an emulated Atlassian on 127.0.0.1 for trying the CLI, the provider or one's own
 * pipeline without a real site. Prints the environment, fake credentials and commands, then serves until
 * SIGINT/SIGTERM, closing cleanly.
 */
import { Command, Option } from "commander";
import { startSandbox } from "../../sandbox/start";
import { CliError, type CliIo } from "../io";
import { jsonOption, parseInteger } from "../options";
import type { Runner } from "../run";
import { sandboxCallback, sandboxDocument, sandboxInstructions } from "../sandbox/instructions";

interface SandboxFlags {
  port: string;
  sites: string;
  users: string;
  seed: string;
  callbackPort: string;
  json?: boolean;
}

export function sandboxCommand(run: Runner, signals: NodeJS.EventEmitter = process): Command {
  return new Command("sandbox")
    .description("run an emulated Atlassian (OAuth, Jira REST, org Admin API) on 127.0.0.1 with fake credentials, until Ctrl-C")
    .addOption(new Option("--port <port>", "port to listen on; 0 lets the OS choose").default("4010"))
    .addOption(new Option("--sites <names>", "comma-separated site names to seed").default("acme"))
    .addOption(new Option("--users <n>", "users seeded per site").default("40"))
    .addOption(new Option("--seed <n>", "seed of the generated data (same seed, same people)").default("1"))
    .addOption(new Option("--callback-port <port>", "the port of the OAuth app's callback URL (authorize --port)").default("8080"))
    .addOption(jsonOption())
    .addHelpText("after", "\nThe sandbox's credentials are fake; printing them is this command's purpose. Consent is approved automatically.\nAdmin controls: GET /_sandbox on the printed URL lists them.")
    .action((flags: SandboxFlags) => run(flags.json, (io) => sandbox(io, flags, signals)));
}

async function sandbox(io: CliIo, flags: SandboxFlags, signals: NodeJS.EventEmitter): Promise<number> {
  const port = parseInteger(flags.port, "--port", 0, 65535);
  const users = parseInteger(flags.users, "--users", 2, 100_000);
  const seed = parseInteger(flags.seed, "--seed", 0, 2 ** 31);
  const sites = sitesFrom(flags.sites);
  const callbackPort = parseInteger(flags.callbackPort, "--callback-port", 1, 65535);
  let running;
  try {
    running = await startSandbox({ port, sites, users, seed, redirectUris: [sandboxCallback(callbackPort)] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new CliError(`port ${port} on 127.0.0.1 is busy: pass --port <n>, or --port 0 to let the OS choose.`, "PORT_IN_USE");
    throw error;
  }
  // Listening for the signals before printing: a script that stops the sandbox as soon as it reads the output must
  // find the handlers in place.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      signals.off("SIGINT", stop);
      signals.off("SIGTERM", stop);
      resolve();
    };
    signals.on("SIGINT", stop);
    signals.on("SIGTERM", stop);
  });
  // Fake credentials, printed on purpose: revealSecret bypasses the scrubber explicitly.
  if (flags.json) io.revealSecret(`${JSON.stringify(sandboxDocument(running))}\n`);
  else io.revealSecret(sandboxInstructions(running));
  await stopped;
  await running.close();
  if (!flags.json) io.err("Sandbox stopped.\n");
  return 0;
}

function sitesFrom(raw: string): string[] {
  const names = raw.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = names.find((n) => !/^[a-z0-9][a-z0-9-]{0,62}$/.test(n));
  if (names.length === 0 || bad !== undefined) throw new CliError(`--sites must be comma-separated site names such as acme,globex${bad ? `, got ${JSON.stringify(bad.slice(0, 40))}` : ""}.`, "INVALID_ARGUMENT", 2);
  if (new Set(names).size !== names.length) throw new CliError("--sites names a site twice.", "INVALID_ARGUMENT", 2);
  return names;
}
