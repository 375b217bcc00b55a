/**
 * Structured logging seam. The client logs events (retries, rate limits, token rotation) with plain fields;
 * callers route them to the console, CloudWatch or a test buffer. Fields never contain secret values.
 */
export type LogFields = Record<string, string | number | boolean | undefined | null | string[]>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {} };
