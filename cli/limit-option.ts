/** `collect --limit users.maxItems=2000000`: a listing bound over the collector's default (README "Bounds"). */
import { Option } from "commander";
import { type LimitOverrides, LimitsError, parseLimitOverrides } from "../collector/limits";
import { CliError } from "./io";

export function limitOption(): Option {
  return new Option("--limit <listing.bound=N>", "raise or lower a listing bound, e.g. groupMembers.maxItems=1000000 (repeatable; README \"Bounds\")").argParser(
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );
}

/** The bounds from repeated --limit flags, checked as the component's `limits` are; errors name the flag. */
export function limitsFrom(pairs: readonly string[] | undefined): LimitOverrides | undefined {
  if (pairs === undefined || pairs.length === 0) return undefined;
  const value: Record<string, Record<string, unknown>> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z]+)\.([A-Za-z]+)=(.*)$/.exec(pair.trim());
    if (!match) throw new CliError(`--limit ${JSON.stringify(pair)} is not <listing>.<bound>=<whole number>, e.g. --limit users.maxItems=2000000.`, "INVALID_ARGUMENT", 2);
    const [, listing, bound, raw] = match as unknown as [string, string, string, string];
    // Digits only: "2e6" or "1,000" would otherwise read as another number than meant.
    const n = /^\d{1,16}$/.test(raw) ? Number(raw) : raw;
    (value[listing] ??= {})[bound] = n;
  }
  try {
    return parseLimitOverrides(value, (path) => (path ? `--limit ${path}` : "--limit"));
  } catch (error) {
    if (error instanceof LimitsError) throw new CliError(`invalid --limit:\n${error.problems.map((p) => `  ${p}`).join("\n")}`, "INVALID_ARGUMENT", 2);
    throw error;
  }
}
