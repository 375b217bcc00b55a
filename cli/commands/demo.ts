/**
 * `jira-connector demo`: from nothing to an HTML seat report in one command. Starts the sandbox in this process,
 * then runs the real `authorize` (the sandbox approves consent; the demo follows the redirect in place of a
 * browser), `check`, `collect` and `report --html`, printing what each step did and how long it took.
 */
import { Command, Option } from "commander";
import { promises as fs } from "fs";
import * as path from "path";
import { startSandbox } from "../../sandbox/start";
import { consentDriver, freeLoopbackPort } from "../demo/consent";
import { demoEnv, type RunArgs, runStep, withoutConnectorEnv } from "../demo/steps";
import { CliError, type CliIo } from "../io";
import { jsonOption, parseInteger } from "../options";
import type { Runner } from "../run";
import { jsonLine } from "../format/sanitize";

interface DemoFlags {
  out: string;
  site: string;
  users: string;
  json?: boolean;
}

export function demoCommand(run: Runner, runArgs: RunArgs): Command {
  return new Command("demo")
    .description("try everything on an emulated Atlassian: sandbox, authorize, check, collect and an HTML seat report, in one command")
    .addOption(new Option("--out <dir>", "directory for the snapshots and the report").default("./jira-connector-demo"))
    .addOption(new Option("--site <name>", "name of the emulated site").default("acme"))
    .addOption(new Option("--users <n>", "users seeded on the site").default("40"))
    .addOption(jsonOption())
    .addHelpText("after", "\nNothing leaves this machine: the sandbox listens on 127.0.0.1 and its credentials are fake.")
    .action((flags: DemoFlags) => run(flags.json, (io) => withoutConnectorEnv(() => demo(io, flags, runArgs))));
}

interface Done {
  step: string;
  ms: number;
  what: string;
}

async function demo(io: CliIo, flags: DemoFlags, runArgs: RunArgs): Promise<number> {
  const users = parseInteger(flags.users, "--users", 2, 20_000);
  const site = flags.site.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(site)) throw new CliError("--site must be a site name such as acme.", "INVALID_ARGUMENT", 2);
  const out = path.resolve(flags.out);
  const snapshots = path.join(out, "snapshots");
  const html = path.join(out, "report.html");
  // The demo connector's own token store: next to the snapshots, not inside the folder people share.
  const tokenFile = path.join(out, "tokens", `${site}.json`);
  await fs.mkdir(snapshots, { recursive: true, mode: 0o700 });
  await fs.mkdir(path.dirname(tokenFile), { recursive: true, mode: 0o700 });
  // A previous demo's token belongs to a sandbox that no longer exists; this run's grant replaces it.
  await fs.rm(tokenFile, { force: true });

  const total = performance.now();
  const done: Done[] = [];
  const say = (line: string) => flags.json || io.out(line);
  const record = (step: string, ms: number, what: string) => {
    done.push({ step, ms: Math.round(ms), what });
    say(`  ${step.padEnd(10)} ${(ms / 1000).toFixed(1).padStart(5)} s  ${what}\n`);
  };

  let started = performance.now();
  const callbackPort = await freeLoopbackPort();
  const sandbox = await startSandbox({ sites: [site], users, redirectUris: [`http://localhost:${callbackPort}/callback`] });
  try {
    const s = sandbox.sites[0];
    say(`jira-connector demo: an emulated Atlassian, nothing leaves this machine. Writing to ${out}\n\n`);
    record("sandbox", performance.now() - started, `emulated site "${site}" (${s.users} users) on ${sandbox.url}`);
    const env = demoEnv(io.env, { ...sandbox.env });
    const oauth = ["--client-id", sandbox.app.clientId, "--client-secret", sandbox.app.clientSecret];
    const license = ["--license-email", s.admin.email, "--api-token", s.admin.apiToken];

    const consent = consentDriver();
    const authorized = await runStep(runArgs, "authorize", ["authorize", ...oauth, "--port", String(callbackPort), "--no-open", "--timeout", "30", "--json"], env, consent.onStderr);
    await consent.done;
    const refreshToken = (JSON.parse(authorized.stdout) as { refreshToken: string }).refreshToken;
    record("authorize", authorized.ms, "OAuth consent (approved automatically by the sandbox) → a refresh token, kept in memory");

    const checked = await runStep(runArgs, "check", ["check", "--site", site, ...oauth, "--refresh-token", refreshToken, "--token-file", tokenFile, "--yes", ...license, "--json"], env);
    const rows = (JSON.parse(checked.stdout) as { checks?: unknown[] }).checks?.length;
    record("check", checked.ms, `the validation \`pulumi up\` runs${rows ? `: ${rows} checks passed` : " passed"}; the rotated token is in ${path.relative(out, tokenFile)}`);

    const collected = await runStep(runArgs, "collect", ["collect", "--out", snapshots, "--token-file", tokenFile, "--site", site, ...oauth, ...license, "--org-id", s.orgId, "--org-api-key", s.orgApiKey, "--json"], env);
    const c = JSON.parse(collected.stdout) as { snapshotDir: string; requests?: { requests?: number } };
    record("collect", collected.ms, `seats, users and activity → ${path.relative(out, c.snapshotDir)} (${c.requests?.requests ?? "?"} requests)`);

    const reported = await runStep(runArgs, "report", ["report", snapshots, "--html", html], env);
    record("report", reported.ms, `the seat report → ${html}`);
    const totalMs = Math.round(performance.now() - total);
    if (flags.json) {
      io.out(jsonLine({ ok: true, out, html, snapshotDir: c.snapshotDir, totalMs, steps: done }));
    } else {
      io.out(`\n${reported.stdout.replace(/\n*$/, "\n")}`);
      io.out(`\nDone in ${(totalMs / 1000).toFixed(1)} s. Open the report: ${html}\n`);
      io.out("Next: `jira-connector sandbox` keeps an emulated Atlassian running for your own commands (see README → Sandbox).\n");
    }
    return 0;
  } finally {
    await sandbox.close();
  }
}
