/** `jira-connector report <snapshot dir> [--html out.html]`: the seat report in the terminal and as a page with charts. */
import { Command, Option } from "commander";
import { promises as fs } from "fs";
import * as path from "path";
import { randomUUID } from "crypto";
import { type CliIo } from "../io";
import { jsonOption, pricingFrom, pricingOptions, type PricingFlags } from "../options";
import { renderHtmlReport } from "../report/html";
import { chartJsSource, loadSnapshot, resolveSnapshotDirectory } from "../report/load";
import { reportModel } from "../report/model";
import { renderTerminalReport } from "../report/terminal";
import type { Runner } from "../run";

interface ReportFlags extends PricingFlags {
  html?: string;
  connector?: string;
  json?: boolean;
}

export function reportCommand(run: Runner): Command {
  const command = new Command("report")
    .description("print the seat report of a snapshot; --html writes a self-contained page with charts")
    .argument("<snapshot-dir>", "a snapshot directory, or a `collect --out` directory (its newest complete snapshot)")
    .addOption(new Option("--html <file>", "also write the report as one self-contained HTML file"))
    .addOption(new Option("--connector <name>", "which connector, when the directory holds several"));
  for (const option of pricingOptions()) command.addOption(option);
  return command
    .addOption(jsonOption())
    .action((dir: string, flags: ReportFlags) => run(flags.json, (io) => report(io, dir, flags)));
}

async function report(io: CliIo, dir: string, flags: ReportFlags): Promise<number> {
  const pricing = await pricingFrom(flags);
  const snapshot = await loadSnapshot(await resolveSnapshotDirectory(dir, flags.connector));
  const model = reportModel({ seatReport: snapshot.seatReport, users: snapshot.users, history: snapshot.history, ...(pricing ? { pricing } : {}) });
  let htmlFile: string | undefined;
  if (flags.html) {
    htmlFile = path.resolve(flags.html);
    await writeAtomically(htmlFile, renderHtmlReport(model, await chartJsSource()));
  }
  if (flags.json) io.out(`${JSON.stringify({ ok: true, snapshotDir: snapshot.directory, html: htmlFile ?? null, report: model })}\n`);
  else {
    io.out(renderTerminalReport(model));
    io.out(`\nSnapshot: ${snapshot.directory}\n${htmlFile ? `HTML report: ${htmlFile}\n` : ""}`);
  }
  return 0;
}

/** Temp file in the same directory, then rename: a reader never sees half a report. 0600: it lists people. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    await fs.writeFile(temporary, content, { mode: 0o600 });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
}
