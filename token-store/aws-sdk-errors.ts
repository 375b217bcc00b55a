/**
 * What AWS SDK v3 errors look like, and which of them are transient — shared by the Secrets Manager token store
 * and the S3 snapshot sink, which each map them to their own typed errors.
 */
export interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const NETWORK_CODES = ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"];

/**
 * Whether the failure may pass on its own: a transient error name, a network error code, a server fault, or the
 * SDK's own retryable marker. The SDK stringifies errors it does not recognise as `Error` (e.g. across VM realms)
 * into "AWS SDK error wrapper for Error: connect ECONNREFUSED …", losing `code`: the text is searched as well.
 */
export function isTransientSdkError(shape: SdkErrorShape, name: string, rawMessage: string, transientNames: readonly string[]): boolean {
  const code = typeof shape.code === "string" ? shape.code : NETWORK_CODES.find((c) => rawMessage.includes(c));
  return (
    transientNames.includes(name) ||
    (code !== undefined && NETWORK_CODES.includes(code)) ||
    shape.$fault === "server" ||
    shape.$retryable !== undefined
  );
}
