/**
 * `jira-connector fleet-report <dir>`: every connector's newest complete snapshot side by side — seats and idle cost
 * per site and product, people on several sites, people idle everywhere, seats over time — from the fleet views.
 */
import { Command } from "commander";
import { renderFleetReport } from "../fleet-report/terminal";
import type { CliIo } from "../io";
import { jsonOption } from "../options";
import type { Runner } from "../run";
import { jsonLine } from "../format/sanitize";

export function fleetReportCommand(run: Runner): Command {
  return new Command("fleet-report")
    .description("the seat report across every connector in a folder: seats and idle cost per site, people on several sites, people idle everywhere, trends")
    .argument("<dir>", "the folder holding connectors/<name>/snapshots/ (a `collect --out` directory)")
    .addOption(jsonOption())
    .action((dir: string, flags: { json?: boolean }) => run(flags.json, (io) => fleetReport(io, dir, flags)));
}

async function fleetReport(io: CliIo, dir: string, flags: { json?: boolean }): Promise<number> {
  // Loaded on use: the native DuckDB binding costs every other command start-up time for nothing.
  const { openFleet } = await import("../../fleet/open");
  const fleet = await openFleet(dir);
  try {
    const { loadFleetReport } = await import("../fleet-report/load");
    const model = await loadFleetReport(fleet);
    io.out(flags.json ? jsonLine({ ok: true, snapshots: fleet.root, report: model }) : renderFleetReport(model));
  } finally {
    fleet.close();
  }
  return 0;
}
