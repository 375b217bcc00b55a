/**
 * `jira-connector collect --out <dir>`: one collection on this machine, written to a local directory in the same
 * layout as the S3 bucket, with the live refresh token in a per-user file outside it (cli/collect/token-home.ts), a
 * --token-file or a Secrets Manager secret.
 */
import { Command, Option } from "commander";
import * as path from "path";
import { normalizeSiteName } from "../../atlassian/site-name";
import { CLOUD_ID_PATTERN } from "../../atlassian/tenant-info";
import { collectConnector } from "../../collector/collect";
import { limitOption, limitsFrom } from "../limit-option";
import { newHolderId } from "../../token-store";
import { LocalDirectorySink } from "../../collector/snapshot/local-sink";
import { assertConnectorName } from "../../collector/snapshot/layout";
import { observedFetch, observedSink } from "../collect/observe";
import { initialProgress, plainLine, progressLine, type ProgressEvent, reduceProgress } from "../collect/progress";
import { planSeed } from "../collect/seed";
import { migrateLegacyTokenFile, prepareTokenHome, userTokenPath, type Migration } from "../collect/token-home";
import { tokenFileWarning } from "../check/token-file-warning";
import { createFileStore, type RefreshTokenStore } from "../../token-store";
import { CliError, type CliIo } from "../io";
import {
  atlassianFor,
  clientIdOption,
  clientSecretOption,
  ENV,
  jsonOption,
  licenseOptions,
  orgFrom,
  orgOptions,
  parseDeadlineFlag,
  parseInteger,
  pricingFrom,
  pricingOptions,
  requireValue,
  scopedTokenFrom,
  scopedTokenOptions,
  secretOption,
  tokenStoreFrom,
  tokenStoreOptions,
  type OrgFlags,
  type PricingFlags,
  type ScopedTokenFlags,
  type TokenStoreFlags,
  issuedAtOption,
  parseIssuedAt,
} from "../options";
import { renderTerminalReport } from "../report/terminal";
import { reportModel } from "../report/model";
import type { Runner } from "../run";
import { jsonLine } from "../format/sanitize";

interface CollectFlags extends TokenStoreFlags, OrgFlags, PricingFlags, ScopedTokenFlags {
  refreshTokenIssuedAt?: string;
  out?: string;
  site?: string;
  cloudId?: string;
  name?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  licenseEmail?: string;
  apiToken?: string;
  inactivityDays: string;
  auditLookbackDays?: string;
  json?: boolean;
  force?: boolean;
  deadline?: string;
  limit?: string[];
}

export function collectCommand(run: Runner): Command {
  const command = new Command("collect")
    .description("collect one connector's seats, users and activity into a local directory (the S3 layout)")
    .addOption(new Option("--out <dir>", "directory to write snapshots to (created 0700)"))
    .addOption(new Option("--site <site>", "the Jira Cloud site"))
    .addOption(new Option("--cloud-id <uuid>", "the site's cloud ID (default: looked up)"))
    .addOption(new Option("--name <connector>", "connector name used in paths (default: the site name)"))
    .addOption(clientIdOption())
    .addOption(clientSecretOption())
    .addOption(secretOption("--refresh-token <token>", "a token from `authorize` to seed the token store (needed once)", ENV.refreshToken))
    .addOption(issuedAtOption());
  for (const option of [...licenseOptions(), ...tokenStoreOptions(), ...scopedTokenOptions(), ...orgOptions(), ...pricingOptions()]) command.addOption(option);
  return command
    .addOption(new Option("--inactivity-days <days>", "a seat holder with no activity for this long is inactive").default("90"))
    .addOption(new Option("--audit-lookback-days <days>", "first run: how far back to read audit records (default: --inactivity-days)"))
    .addOption(new Option("--force", "let --refresh-token replace a live token of another grant in the store"))
    .addOption(new Option("--deadline <when>", "stop reading at this time (a duration: 90s, 10m, 1h30m; or an ISO time: 2026-12-01T10:00:00Z) and write a partial snapshot"))
    .addOption(limitOption())
    .addOption(jsonOption())
    .addHelpText(
      "after",
      "\nOAuth: the token store defaults to $XDG_CONFIG_HOME/jira-connector/tokens/<connector>.json (default ~/.config/…; folder 0700, file 0600), outside the snapshot folder; " +
        "a token an earlier version kept in <out>/.tokens/ is moved there. A scoped API token (--scoped-api-token) needs no token store.\n" +
        "Seeding a token file with --refresh-token moves the grant into it: warned on stderr (and in --json), since `pulumi up` with the same token would then revoke it.\nProgress goes to stderr.\n" +
        "With --org-id and an org API key, each seat holder's last-active dates (page views) come from the Admin API: one request per seat holder.",
    )
    .action((flags: CollectFlags) => run(flags.json, (io) => collect(io, flags)));
}

async function collect(io: CliIo, flags: CollectFlags): Promise<number> {
  for (const secret of [flags.clientSecret, flags.refreshToken, flags.apiToken]) io.secrets.add(secret);
  const out = requireValue(flags.out, "--out", "name the directory to write snapshots to");
  const site = normalizeSiteName(requireValue(flags.site, "--site", "name the Jira Cloud site, e.g. acme"));
  const name = flags.name ?? site;
  try {
    assertConnectorName(name, "--name");
  } catch (error) {
    throw new CliError((error as Error).message, "INVALID_ARGUMENT", 2);
  }
  const scoped = scopedTokenFrom(io, flags);
  const oauth = scoped
    ? undefined
    : {
        clientId: requireValue(flags.clientId, "--client-id", "copy it from the app's Settings page in the Atlassian developer console, or use --scoped-api-token"),
        clientSecret: requireValue(flags.clientSecret, "--client-secret (or JIRA_CONNECTOR_CLIENT_SECRET)", "copy it from the app's Settings page"),
      };
  if (Boolean(flags.licenseEmail) !== Boolean(flags.apiToken)) {
    throw new CliError("--license-email and --api-token go together: pass both (bulk reads through an admin's API token, exempt from the points quota) or neither.", "INVALID_ARGUMENT", 2);
  }
  const org = orgFrom(io, flags);
  const pricing = await pricingFrom(flags);
  const limits = limitsFrom(flags.limit);
  const inactivityDays = parseInteger(flags.inactivityDays, "--inactivity-days", 1, 3650);
  // Measured from now, before any request: the run's whole time, token step included, counts against it.
  const deadline = flags.deadline === undefined ? undefined : parseDeadlineFlag(flags.deadline, Date.now());
  const auditLookbackDays =
    flags.auditLookbackDays === undefined ? inactivityDays : parseInteger(flags.auditLookbackDays, "--audit-lookback-days", 1, 3650);
  const { store, migration } = scoped ? { store: undefined, migration: { kind: "none" } as Migration } : await tokenStoreFor(io, flags, out, name);
  if (migration.kind !== "none" && !flags.json) io.err(`${migrationNote(migration, store!)}\n`);

  const progress = progressReporter(io, flags.json === true);
  if (flags.cloudId !== undefined && !CLOUD_ID_PATTERN.test(flags.cloudId)) {
    throw new CliError("--cloud-id must be the site's cloud ID, a UUID (see `jira-connector cloud-id <site>`); omit it to look it up.", "INVALID_ARGUMENT", 2);
  }
  const cloudId = flags.cloudId?.toLowerCase() ?? (await atlassianFor(io).cloudId(site));
  const issuedAt = parseIssuedAt(flags.refreshTokenIssuedAt, flags.refreshToken);
  const seedPlan = store ? await planSeed(store, flags.refreshToken, new Date(), flags.force === true, issuedAt) : undefined;
  const seeded = seedPlan?.action ?? null;
  const storeWarning = tokenFileWarning(store, seedPlan?.seed !== undefined);
  if (storeWarning && !flags.json) io.err(`Warning: ${storeWarning}\n`);
  const sink = new LocalDirectorySink(out);
  let result;
  try {
    result = await collectConnector(
      {
        connectorName: name,
        site,
        cloudId,
        ...(oauth ? { oauth } : {}),
        ...(scoped ? { scopedApiToken: scoped } : {}),
        ...(flags.licenseEmail && flags.apiToken ? { license: { email: flags.licenseEmail, apiToken: flags.apiToken } } : {}),
        ...(org ? { org } : {}),
        inactivityDays,
        auditLookbackDays,
        ...(pricing ? { pricing } : {}),
        ...(limits ? { limits } : {}),
      },
      {
        ...(store ? { tokenStore: store } : {}),
        sink: observedSink(sink, progress.report),
        runId: newHolderId("cli-collect"),
        ...(seedPlan?.seed ? { seed: seedPlan.seed } : {}),
        atlassian: { env: io.env, fetch: observedFetch(progress.report) },
        ...(deadline !== undefined ? { deadline } : {}),
      },
    );
  } finally {
    progress.done();
  }
  const snapshotDir = path.join(sink.root, result.snapshotPrefix);
  if (flags.json) {
    io.out(jsonLine({ ok: true, complete: result.complete, reasons: result.reasons, snapshotDir, latestUpdated: result.latestUpdated, runs: result.runs, resumedFrom: result.resumedFrom ?? null, checkpointed: result.checkpointed, checkpointIgnored: result.checkpointIgnored ?? null, authMethod: scoped ? "scoped-api-token" : "oauth", tokenStore: store?.location ?? null, tokenStoreSeeded: seeded, tokenStoreMovedFrom: migration.kind === "moved" ? migration.from : null, tokenStoreWarnings: [...(migration.kind === "kept-newer" ? [migrationNote(migration, store!)] : []), ...(storeWarning ? [storeWarning] : [])], requests: result.stats, headline: result.report.headline, warnings: result.report.warnings, totals: result.report.totals, cost: result.report.cost }));
  } else {
    io.out(renderTerminalReport(reportModel({ seatReport: { connector: name, site, ...result.report }, users: null, ...(pricing ? { pricing } : {}) }), { activity: false }));
    io.out(
      `\n${result.complete ? "Complete" : "PARTIAL"} snapshot in ${snapshotDir} (${result.stats.requests} requests).` +
        `${result.complete ? "" : ` Not collected: ${result.reasons.join("; ")}. latest.json was not moved; run again later.`}\n` +
        `${result.resumedFrom ? `Resumed from ${result.resumedFrom}: run ${result.runs} of this collection.\n` : ""}` +
        `${result.checkpointed ? "The points quota stopped it; what was read is checkpointed, and a run after the top of the hour reads only the rest.\n" : ""}` +
        `${result.checkpointIgnored ? `${result.checkpointIgnored}.\n` : ""}` +
        `${store ? `The live refresh token is in ${store.location}. ` : ""}See it as a chart: jira-connector report ${out} --html report.html\n`,
    );
  }
  return result.complete ? 0 : 1;
}

/** --token-file / --token-secret-arn, else the per-user token file (moving one left in <out>/.tokens/ there). */
async function tokenStoreFor(io: CliIo, flags: CollectFlags, out: string, name: string): Promise<{ store: RefreshTokenStore; migration: Migration }> {
  const named = tokenStoreFrom(flags);
  if (named) return { store: named, migration: { kind: "none" } };
  const store = createFileStore({ path: userTokenPath(io.env, name) });
  await prepareTokenHome(store.path);
  return { store, migration: await migrateLegacyTokenFile(path.join(out, ".tokens", `${name}.json`), store, new Date()) };
}

function migrationNote(migration: Exclude<Migration, { kind: "none" }>, store: RefreshTokenStore): string {
  return migration.kind === "moved"
    ? `Moved the live refresh token from ${migration.from} to ${store.location}: the snapshot folder is meant to be shared, the token is not.`
    : `Removed ${migration.from}: ${store.location} already held a newer refresh token of this connector, which is kept.`;
}

/** Redraws one status line on a terminal; prints a line per phase otherwise; silent with --json. */
function progressReporter(io: CliIo, json: boolean): { report: (event: ProgressEvent) => void; done: () => void } {
  let state = initialProgress();
  const tty = io.stderr.isTTY === true && !json;
  let frame = 0;
  let drawn = false;
  return {
    report: (event) => {
      const before = state;
      state = reduceProgress(state, event);
      if (json) return;
      if (tty) {
        io.redraw(progressLine(state, frame++));
        drawn = true;
      } else {
        const line = plainLine(before, state);
        if (line) io.err(`${line}\n`);
      }
    },
    done: () => {
      if (drawn) io.redraw("");
    },
  };
}
