/**
 * The run deadline as pure decisions (README "Bounds"): when reads must stop so that the snapshot — seat report,
 * users file, manifest — is still written before the Lambda (or the caller) runs out of time.
 */

/**
 * Time kept back for writing the snapshot after reads stop: the larger of 30 s and 10% of the time left. Writing is
 * a few S3 uploads (the users file is already streamed, so mostly its final part), well under 30 s at 150k users;
 * 10% scales it for long timeouts where a slow S3 would otherwise leave the run without a manifest.
 */
export const LAMBDA_WRITE_MARGIN_MS = 30_000;
export const LAMBDA_WRITE_MARGIN_FRACTION = 0.1;

/** The reads' deadline (epoch ms) for a Lambda invocation with `remainingMs` left at `nowMs`. */
export function lambdaReadDeadline(nowMs: number, remainingMs: number): number {
  const margin = Math.max(LAMBDA_WRITE_MARGIN_MS, remainingMs * LAMBDA_WRITE_MARGIN_FRACTION);
  // With less than the margin left, reads stop at once: a partial manifest beats none.
  return nowMs + Math.max(0, Math.floor(remainingMs - margin));
}

/** The manifest's reason when the deadline stopped reads. */
export function deadlineReason(runStartedAt: number, deadline: number): string {
  const seconds = Math.max(0, Math.round((deadline - runStartedAt) / 1000));
  return `run deadline reached after ${seconds} s: reads not finished by then are missing, the data is partial; give the run more time or run it again`;
}

/**
 * `collect --deadline`: a duration (`90s`, `10m`, `1h`, `1h30m`, plain seconds) from `nowMs`, or an ISO 8601 time
 * with a zone (`2026-12-01T10:00:00Z`). Returns the epoch ms, or an error text that does not echo the value.
 */
export function parseDeadline(value: string, nowMs: number): { at: number } | { error: string } {
  const text = value.trim();
  const duration = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/i.exec(text);
  if (text !== "" && duration && (duration[1] ?? duration[2] ?? duration[3]) !== undefined) {
    const ms = ((Number(duration[1] ?? 0) * 60 + Number(duration[2] ?? 0)) * 60 + Number(duration[3] ?? 0)) * 1000;
    if (ms <= 0) return { error: "--deadline must be a positive duration" };
    return { at: nowMs + ms };
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return { error: "--deadline is not a valid time" };
    if (at <= nowMs) return { error: "--deadline is in the past" };
    return { at };
  }
  return { error: "--deadline takes a duration (90s, 10m, 1h30m) or an ISO 8601 time with a zone (2026-12-01T10:00:00Z)" };
}
