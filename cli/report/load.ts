/**
 * Reading a snapshot for the report: the argument is either one snapshot directory (holding seat-report.json) or
 * a `collect --out` directory, whose connector's latest.json names the newest complete snapshot.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { z } from "zod";
import { readLatest } from "../../collector/snapshot/latest";
import { LocalDirectorySink } from "../../collector/snapshot/local-sink";
import { parseCollectedAtSegment, SNAPSHOT_FILES } from "../../collector/snapshot/layout";
import { readNdjsonGzip } from "../../collector/snapshot/ndjson";
import { CliError } from "../io";
import type { HistoricReport, StoredSeatReportDocument, UserLine } from "./model";

export interface LoadedSnapshot {
  directory: string;
  seatReport: StoredSeatReportDocument;
  users: UserLine[] | null;
  /** Seat reports of this connector's other snapshots (for seats over time), newest last; at most HISTORY_LIMIT. */
  history: HistoricReport[];
}

export const HISTORY_LIMIT = 52;

const seatReportSchema = () =>
  z.object({
    connector: z.string(),
    asOf: z.string(),
    inactivityDays: z.number(),
    windowStart: z.string(),
    products: z.array(
      z.object({
        productKey: z.string(),
        productName: z.string(),
        seatsUsed: z.number(),
        inactiveHolders: z.array(z.object({ displayName: z.string(), groups: z.array(z.string()) }).passthrough()),
      }).passthrough(),
    ),
    totals: z.object({ seatsPurchased: z.number(), seatsUsed: z.number(), seatsRemaining: z.number() }).passthrough(),
    partial: z.boolean(),
    partialReasons: z.array(z.string()),
    caveats: z.array(z.string()),
  }).passthrough();

export async function resolveSnapshotDirectory(dir: string, connector: string | undefined): Promise<string> {
  const root = path.resolve(dir);
  if (await exists(path.join(root, SNAPSHOT_FILES.seatReport))) return root;
  const connectorsDir = path.join(root, "connectors");
  if (!(await exists(connectorsDir))) {
    throw new CliError(`${root} is neither a snapshot directory (with ${SNAPSHOT_FILES.seatReport}) nor a \`collect --out\` directory (with connectors/). Pass one of those.`, "NOT_A_SNAPSHOT", 2);
  }
  const names = (await fs.readdir(connectorsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const name = connector ?? (names.length === 1 ? names[0] : undefined);
  if (!name) throw new CliError(`${root} holds ${names.length === 0 ? "no connector" : `several connectors (${names.join(", ")})`}: pass --connector <name>.`, "CONNECTOR_REQUIRED", 2);
  if (!names.includes(name)) throw new CliError(`${root} holds no connector "${name}" (it has: ${names.join(", ") || "none"}).`, "CONNECTOR_NOT_FOUND", 2);
  const latest = await readLatest(new LocalDirectorySink(root), name);
  if (!latest) {
    throw new CliError(`connector "${name}" has no complete snapshot yet (no latest.json). Run collect again, or pass a snapshot directory under ${path.join(connectorsDir, name, "snapshots")} to report a partial one.`, "NO_COMPLETE_SNAPSHOT");
  }
  return path.join(root, latest.snapshotPrefix);
}

export async function loadSnapshot(directory: string): Promise<LoadedSnapshot> {
  const file = path.join(directory, SNAPSHOT_FILES.seatReport);
  let raw: string;
  try {
    raw = await fs.readFile(file, "utf8");
  } catch {
    throw new CliError(`cannot read ${file}; is ${directory} a complete snapshot?`, "NOT_A_SNAPSHOT", 2);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new CliError(`${file} is not JSON; the snapshot is damaged — collect again.`, "MALFORMED_SNAPSHOT");
  }
  const parsed = seatReportSchema().safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(document)"))].slice(0, 5);
    throw new CliError(`${file} is not a seat report this version understands (bad field(s): ${fields.join(", ")}); collect again with this version.`, "MALFORMED_SNAPSHOT");
  }
  const usersFile = path.join(directory, SNAPSHOT_FILES.users);
  let users: UserLine[] | null = null;
  if (await exists(usersFile)) {
    users = [];
    try {
      for await (const row of readNdjsonGzip<UserLine>(await fs.readFile(usersFile))) users.push(row);
    } catch {
      throw new CliError(`${usersFile} could not be read as gzip NDJSON; the snapshot is damaged — collect again.`, "MALFORMED_SNAPSHOT");
    }
  }
  return { directory, seatReport: parsed.data as unknown as StoredSeatReportDocument, users, history: await loadHistory(directory) };
}

/**
 * The seat reports of the snapshots beside `directory` (…/connectors/<name>/snapshots/<collectedAt>/), including
 * its own. Snapshots without a readable seat report (failed runs) are left out; none at all is fine.
 */
async function loadHistory(directory: string): Promise<HistoricReport[]> {
  const parent = path.dirname(path.resolve(directory));
  if (path.basename(parent) !== "snapshots" || !parseCollectedAtSegment(path.basename(path.resolve(directory)))) return [];
  const ids = (await fs.readdir(parent).catch(() => [] as string[])).filter((id) => parseCollectedAtSegment(id)).sort().slice(-HISTORY_LIMIT);
  const reports: HistoricReport[] = [];
  for (const id of ids) {
    try {
      const parsed = seatReportSchema().safeParse(JSON.parse(await fs.readFile(path.join(parent, id, SNAPSHOT_FILES.seatReport), "utf8")));
      if (parsed.success) reports.push(parsed.data as unknown as HistoricReport);
    } catch {
      // A failed or damaged snapshot has no history point.
    }
  }
  return reports;
}

/** The Chart.js UMD build shipped with the chart.js dependency, to inline into the HTML report. */
export async function chartJsSource(): Promise<string> {
  const entry = require.resolve("chart.js");
  return fs.readFile(path.join(path.dirname(entry), "chart.umd.min.js"), "utf8");
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}
