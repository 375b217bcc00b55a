import { FleetError } from "./errors";

/**
 * `--memory-limit` for the fleet commands, checked before DuckDB sees it: DuckDB may otherwise use up to 80 % of the
 * machine's RAM (bench:fleet: 2–4 GB for 600 snapshots of 10k users). A number and a unit as DuckDB spells them;
 * at least 64 MiB, below which DuckDB cannot run the views at all. Returns DuckDB's spelling of the value.
 */
export function parseMemoryLimit(text: string): string {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i.exec(text);
  const unit = match?.[2]!.toLowerCase();
  const bytes = match && unit ? Number(match[1]) * UNIT_BYTES[unit]! : NaN;
  if (!match || !unit || !(bytes >= MIN_BYTES) || !Number.isFinite(bytes)) {
    throw new FleetError("FLEET_MEMORY_LIMIT", `--memory-limit ${JSON.stringify(text)}: give a size of at least 64MiB with its unit, e.g. 2GB or 512MiB.`);
  }
  return `${match[1]}${CANONICAL[unit]}`;
}

const UNIT_BYTES: Record<string, number> = { kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
const CANONICAL: Record<string, string> = { kb: "KB", mb: "MB", gb: "GB", tb: "TB", kib: "KiB", mib: "MiB", gib: "GiB", tib: "TiB" };
const MIN_BYTES = 64 * 2 ** 20;
