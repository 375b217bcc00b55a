/**
 * `jira-connector report <snapshot dir> [--html out.html] [--csv seats.csv] [--removal-plan plan.md]
 * [--pricing prices.json | --price key=amount… --currency USD]`: the seat report in the terminal, as a page with
 * charts, as a spreadsheet of the seats not shown active, and as a reviewable removal plan.
 */
import { Command, Option } from "commander";
import { promises as fs } from "fs";
import * as path from "path";
import { CliError, type CliIo } from "../io";
import { jsonOption, pricingFrom, pricingOptions, type PricingFlags } from "../options";
import { renderCsv } from "../report/csv";
import { renderHtmlReport } from "../report/html";
import { chartJsSource, loadSnapshot, resolveSnapshotDirectory } from "../report/load";
import { reportModel } from "../report/model";
import { renderRemovalPlan } from "../report/removal-plan";
import { renderTerminalReport } from "../report/terminal";
import type { Runner } from "../run";
import { jsonLine } from "../format/sanitize";
import { outputPath, writeOutputFile } from "../format/output-file";

interface ReportFlags extends PricingFlags {
  html?: string;
  csv?: string;
  removalPlan?: string;
  connector?: string;
  json?: boolean;
}

export function reportCommand(run: Runner): Command {
  const command = new Command("report")
    .description("print the seat report of a snapshot; --html writes a self-contained page with charts, --csv the seats not shown active, --removal-plan a reviewable plan")
    .argument("<snapshot-dir>", "a snapshot directory, or a `collect --out` directory (its newest complete snapshot)")
    .addOption(new Option("--html <file>", "also write the report as one self-contained HTML file"))
    .addOption(new Option("--csv <file>", "also write one CSV row per seat not shown active (inactive or unknown)"))
    .addOption(new Option("--removal-plan <file>", "also write the removal plan (Markdown): inactive people's group memberships to remove"))
    .addOption(new Option("--connector <name>", "which connector, when the directory holds several"));
  for (const option of pricingOptions()) command.addOption(option);
  return command
    .addOption(jsonOption())
    .action((dir: string, flags: ReportFlags) => run(flags.json, (io) => report(io, dir, flags)));
}

async function report(io: CliIo, dir: string, flags: ReportFlags): Promise<number> {
  const pricing = await pricingFrom(flags);
  // Checked before anything is read or written: a typo in one path should not leave the other files written.
  const outputs = {
    html: flags.html === undefined ? undefined : await outputPath(flags.html, "--html"),
    csv: flags.csv === undefined ? undefined : await outputPath(flags.csv, "--csv"),
    removalPlan: flags.removalPlan === undefined ? undefined : await outputPath(flags.removalPlan, "--removal-plan"),
  };
  const snapshot = await loadSnapshot(await resolveSnapshotDirectory(dir, flags.connector));
  const model = reportModel({ seatReport: snapshot.seatReport, users: snapshot.users, history: snapshot.history, ...(pricing ? { pricing } : {}) });
  if (outputs.html) await writeOutputFile(outputs.html, renderHtmlReport(model, await chartJsSource()), "--html");
  if (outputs.csv) await writeOutputFile(outputs.csv, renderCsv(model), "--csv");
  const plan = renderRemovalPlan(model);
  if (outputs.removalPlan) await writeOutputFile(outputs.removalPlan, plan, "--removal-plan");
  if (flags.json) {
    io.out(
      jsonLine({
        ok: true,
        snapshotDir: snapshot.directory,
        html: outputs.html ?? null,
        csv: outputs.csv ?? null,
        removalPlanFile: outputs.removalPlan ?? null,
        report: model,
        csvRows: model.seatRows,
        removalPlanText: plan,
      }),
    );
  } else {
    io.out(renderTerminalReport(model));
    io.out(`\nSnapshot: ${snapshot.directory}\n`);
    if (outputs.html) io.out(`HTML report: ${outputs.html}\n`);
    if (outputs.csv) io.out(`CSV (${model.seatRows.length} seat(s) not shown active): ${outputs.csv}\n`);
    if (outputs.removalPlan) io.out(`Removal plan (${model.removalPlan.entries.length} inactive people; review it — nothing was changed in Jira): ${outputs.removalPlan}\n`);
  }
  return 0;
}
