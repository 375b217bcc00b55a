/**
 * Commander's usage errors without the values typed: `--refresh-tokn=<token>` misspelled must not print the token
 * (nor a value in the wrong place, nor an unknown command that was really a pasted secret). Pure.
 */

/** The message with every quoted value removed; option names (`--site`, `-p`) stay. */
export function redactUsageMessage(message: string): string {
  return message
    .replace(/'(--[^'=\s]+)=[^']*'/g, "'$1'")
    .replace(/unknown option '-([A-Za-z])[^']+'/g, "unknown option '-$1'")
    .replace(/(argument|value) '[^']*' is invalid/g, "value is invalid")
    .replace(/command-argument value '[^']*'/g, "command-argument value")
    .replace(/unknown command '[^']*'/g, "unknown command");
}

/** `commander.unknownOption` → `UNKNOWN_OPTION`: the code of the JSON error document. */
export function usageErrorCode(commanderCode: string): string {
  const name = commanderCode.replace(/^commander\./, "").replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  return name === "ERROR" || name === "" ? "USAGE" : name;
}

/** Whether the admin asked for JSON anywhere on the command line (before the command name too). */
export function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).includes("--json");
}
