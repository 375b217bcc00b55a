/**
 * `jira-connector fleet-report <dir> [--html out.html] [--progress] [--json]`: every connector's newest complete
 * snapshot side by side — seats and idle cost per site and product, people on several sites, people idle
 * everywhere, seats over time — from the fleet views; --html writes the same as one self-contained page.
 */
import { Command, Option } from "commander";
import { promises as fs } from "fs";
import * as path from "path";
import { renderFleetReport } from "../fleet-report/terminal";
import { CliError, type CliIo } from "../io";
import { jsonOption } from "../options";
import type { Runner } from "../run";
import { jsonLine } from "../format/sanitize";
import { parseMemoryLimit } from "../../fleet/memory-limit";
import { outputPath, writeOutputFile } from "../format/output-file";
import { fleetProgressReporter } from "../../fleet/progress";

interface FleetReportFlags {
  json?: boolean;
  html?: string;
  progress?: boolean;
  memoryLimit?: string;
}

export function fleetReportCommand(run: Runner): Command {
  return new Command("fleet-report")
    .description("the seat report across every connector in a folder: seats and idle cost per site, people on several sites, people idle everywhere, trends")
    .argument("<dir>", "the folder holding connectors/<name>/snapshots/ (a `collect --out` directory)")
    .addOption(new Option("--html <file>", "also write the report as one self-contained HTML file (no script, no external resource)"))
    .addOption(new Option("--progress", "print the scan's progress on stderr even when it is not a terminal"))
    .addOption(new Option("--memory-limit <size>", "the most memory DuckDB may use, e.g. 2GB (default: DuckDB's, 80% of RAM)"))
    .addOption(jsonOption())
    .action((dir: string, flags: FleetReportFlags) => run(flags.json, (io) => fleetReport(io, dir, flags)));
}

/**
 * Progress on stderr when it is a terminal, or when asked: stdout keeps only the report (or the JSON document), so
 * `--json` stays parseable either way. A pipe or a CI log gets none unless --progress.
 */
export function scanProgress(io: CliIo, flag: boolean | undefined): ReturnType<typeof fleetProgressReporter> | undefined {
  const tty = io.stderr.isTTY === true;
  if (!tty && !flag) return undefined;
  return fleetProgressReporter({ redraw: (line) => io.redraw(line), line: (text) => io.err(`${text}\n`) }, { tty });
}

async function fleetReport(io: CliIo, dir: string, flags: FleetReportFlags): Promise<number> {
  // Checked before the scan: a wrong --html path should fail at once, not after minutes of reading.
  const html = flags.html === undefined ? undefined : await outputPath(flags.html, "--html");
  const memoryLimit = flags.memoryLimit === undefined ? undefined : parseMemoryLimit(flags.memoryLimit);
  const progress = scanProgress(io, flags.progress);
  // Loaded on use: the native DuckDB binding costs every other command start-up time for nothing.
  const { openFleet } = await import("../../fleet/open");
  let model;
  let root;
  try {
    // Every query but the trend (products, read whole) asks about the latest snapshots: only their big files are read.
    const fleet = await openFleet(dir, { progress: progress?.report, ...(memoryLimit ? { memoryLimit } : {}), latestOnly: true });
    root = fleet.root;
    try {
      const { loadFleetReport } = await import("../fleet-report/load");
      model = await loadFleetReport(fleet, progress?.report);
    } finally {
      fleet.close();
    }
  } finally {
    progress?.done();
  }
  if (html) {
    const { renderFleetHtml } = await import("../fleet-report/html");
    await writeOutputFile(html, renderFleetHtml(model, new Date().toISOString()), "--html");
  }
  if (flags.json) io.out(jsonLine({ ok: true, snapshots: root, html: html ?? null, report: model }));
  else {
    io.out(renderFleetReport(model));
    if (html) io.out(`\nHTML report: ${html}\n`);
  }
  return 0;
}
