/**
 * `jira-connector query "<SQL>" --snapshots <dir> [--format table|json|csv]`: one read-only SQL statement over the
 * fleet views (fleet/views.ts) of every connector's snapshots in a folder, in-process with DuckDB.
 */
import { Command, Option } from "commander";
import { renderQueryResult, type QueryFormat } from "../query/format";
import { CliError, type CliIo } from "../io";
import { jsonOption } from "../options";
import type { Runner } from "../run";
import { parseMemoryLimit } from "../../fleet/memory-limit";
import { scanProgress } from "./fleet-report";

interface QueryFlags {
  snapshots?: string;
  format: QueryFormat;
  json?: boolean;
  progress?: boolean;
  memoryLimit?: string;
  latestOnly?: boolean;
}

export function queryCommand(run: Runner): Command {
  return new Command("query")
    .description("run one read-only SQL query over every connector's snapshots (views: connectors, snapshots, products, users, seat_holders, activity, inactive_seats)")
    .argument("<sql>", "a SELECT, WITH, DESCRIBE, SHOW or SUMMARIZE statement")
    .addOption(new Option("--snapshots <dir>", "the folder holding connectors/<name>/snapshots/ (a `collect --out` directory)"))
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv"]).default("table"))
    .addOption(new Option("--progress", "print the scan's progress on stderr even when it is not a terminal"))
    .addOption(new Option("--memory-limit <size>", "the most memory DuckDB may use, e.g. 2GB (default: DuckDB's, 80% of RAM)"))
    .addOption(new Option("--latest-only", "read users, activity and people of each connector's latest complete snapshot only (other snapshots then have no rows in users, seat_holders, activity, inactive_seats): for questions about the latest, much faster"))
    .addOption(jsonOption())
    .addHelpText("after", '\nExample: jira-connector query "SELECT connector, product_key, seats_used FROM products WHERE is_latest" --snapshots ./snapshots')
    .action((sql: string, flags: QueryFlags) => run(flags.json, (io) => query(io, sql, flags)));
}

async function query(io: CliIo, sql: string, flags: QueryFlags): Promise<number> {
  if (!flags.snapshots) throw new CliError("--snapshots <dir> is required: the folder given to `collect --out` (it holds connectors/).", "MISSING_OPTION", 2);
  // Loaded on use: the native DuckDB binding costs every other command start-up time for nothing.
  const memoryLimit = flags.memoryLimit === undefined ? undefined : parseMemoryLimit(flags.memoryLimit);
  const { openFleet } = await import("../../fleet/open");
  const progress = scanProgress(io, flags.progress);
  let result;
  try {
    const fleet = await openFleet(flags.snapshots, { progress: progress?.report, ...(memoryLimit ? { memoryLimit } : {}), latestOnly: flags.latestOnly === true });
    try {
      result = await fleet.query(sql, progress?.report, "running the query");
    } finally {
      fleet.close();
    }
  } finally {
    // Cleared before the result is printed: the status line and the table must not share a terminal line.
    progress?.done();
  }
  io.out(renderQueryResult(result, flags.json ? "json" : flags.format));
  return 0;
}
