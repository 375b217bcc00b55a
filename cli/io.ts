/**
 * The CLI's contact with the outside world, injected so commands run in-process in tests: output streams, the
 * environment, and a secret scrubber every write goes through. Commands register each secret they handle
 * (`io.secrets.add`); any accidental echo of one (an error message, a log line) is replaced with `[redacted]`.
 * Only `revealSecret` writes a secret, and only `authorize` calls it, for the token it just obtained. Every write
 * but `revealSecret` also goes through `safeText`: printed text may quote Atlassian's, which must not drive the terminal.
 */
import { safeLine, safeText } from "./format/sanitize";

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** Secret values seen so far; never written except through `revealSecret`. */
  secrets: SecretSet;
  /** Writes `text` to stdout unscrubbed: the one deliberate exception (the token `authorize` obtained). */
  revealSecret(text: string): void;
  out(text: string): void;
  err(text: string): void;
  /** Redraws the status line on stderr: the one escape sequence the CLI writes itself (return, erase line). */
  redraw(line: string): void;
}

export class SecretSet {
  private readonly values = new Set<string>();

  /** Remembers `value` as secret (ignores short values, which would redact ordinary words). */
  add(value: string | undefined): void {
    if (typeof value === "string" && value.length >= 8) this.values.add(value);
  }

  scrub(text: string): string {
    let result = text;
    // Longest first, so a secret containing another is redacted whole.
    for (const secret of [...this.values].sort((a, b) => b.length - a.length)) result = result.split(secret).join("[redacted]");
    return result;
  }
}

export function createIo(options: { stdout: OutputStream; stderr: OutputStream; env: Record<string, string | undefined> }): CliIo {
  const secrets = new SecretSet();
  return {
    stdout: options.stdout,
    stderr: options.stderr,
    env: options.env,
    secrets,
    revealSecret: (text) => void options.stdout.write(text),
    out: (text) => void options.stdout.write(safeText(secrets.scrub(text))),
    err: (text) => void options.stderr.write(safeText(secrets.scrub(text))),
    redraw: (line) => void options.stderr.write(`\r\u001b[2K${safeLine(secrets.scrub(line))}`),
  };
}

/** A failure the admin can act on: `message` says what happened and what to do. Never carries a secret. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: string = "FAILED",
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * The code and message to show for any error. Typed errors of this package (Atlassian, token store, snapshot,
 * validation) have secret-free messages and a string `code`; anything else shows its name only, because its
 * message may quote data we do not control.
 */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof CliError) return { code: error.code, message: error.message };
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  if (e && typeof e.message === "string" && typeof e.code === "string" && e.name !== "Error" && !/^E[A-Z]+$/.test(e.code)) {
    return { code: e.code, message: e.message };
  }
  if (e && typeof e.code === "string" && /^E[A-Z]+$/.test(e.code) && typeof e.message === "string") {
    // Node system errors (ENOENT, EACCES…): their messages name a path or an address, never a secret we handle.
    return { code: e.code, message: e.message };
  }
  const name = e && typeof e.name === "string" ? e.name : "error";
  return { code: "UNEXPECTED", message: `unexpected failure (${name}); run again, and report it if it persists` };
}
