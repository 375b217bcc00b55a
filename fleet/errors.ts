/** Named fleet errors, each with the fix. `exitCode` 2: the command line (folder, SQL) is what to change. */
export type FleetErrorCode = "FLEET_FOLDER_MISSING" | "FLEET_NO_SNAPSHOTS" | "FLEET_BAD_SQL" | "FLEET_READ_ONLY" | "FLEET_MEMORY_LIMIT" | "FLEET_OUT_OF_MEMORY";

export class FleetError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly code: FleetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "FleetError";
  }
}
