import { ResponseTooLargeError } from "../errors";
import type { HeaderReader } from "./backoff";

/**
 * The body as text, read no further than `maxBytes`: a Content-Length above it is refused before reading, and a
 * streamed body is counted chunk by chunk (chunked answers have no length). Going over aborts the connection.
 */
export async function readBounded(
  response: { headers: HeaderReader; text(): Promise<string>; body?: AsyncIterable<Uint8Array | string> | null },
  maxBytes: number,
  operation: string,
  abort: () => void,
): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    abort();
    throw new ResponseTooLargeError(operation, maxBytes, "content-length");
  }
  if (!response.body) {
    // A fetch without a stream (test doubles): the whole text, then the same check.
    const text = await response.text();
    if (Buffer.byteLength(text, "utf8") > maxBytes) throw new ResponseTooLargeError(operation, maxBytes, "streamed");
    return text;
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response.body) {
    // No copy: the chunks are joined right after the loop.
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    bytes += buffer.length;
    if (bytes > maxBytes) {
      abort();
      throw new ResponseTooLargeError(operation, maxBytes, "streamed");
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
