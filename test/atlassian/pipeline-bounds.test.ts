import * as http from "http";
import type { AddressInfo } from "net";
import { RequestPipeline } from "../../atlassian/http/pipeline";
import { ResponseTooLargeError, RunDeadlineError } from "../../atlassian/errors";

/**
 * The pipeline's own bounds: a body cap checked on Content-Length and on the streamed bytes, and the run deadline.
 * Real HTTP on 127.0.0.1 (OS-chosen port); big bodies are generated as the client reads, never held.
 */

interface Hostile {
  url: string;
  requests: number;
  sent: number;
  close(): Promise<void>;
}

type Behaviour = { kind: "stream"; bytes: number; declareLength: boolean } | { kind: "hang"; onRequest?: () => void } | { kind: "json"; body: string };

async function hostileServer(behaviour: Behaviour): Promise<Hostile> {
  const state = { requests: 0, sent: 0 };
  const sockets = new Set<import("net").Socket>();
  const server = http.createServer((req, res) => {
    state.requests++;
    if (behaviour.kind === "hang") return void behaviour.onRequest?.();
    if (behaviour.kind === "json") return void res.writeHead(200, { "content-type": "application/json" }).end(behaviour.body);
    res.writeHead(200, { "content-type": "application/json", ...(behaviour.declareLength ? { "content-length": String(behaviour.bytes) } : {}) });
    const chunk = Buffer.alloc(64 * 1024, "x");
    let gone = false;
    res.on("close", () => (gone = true));
    const pump = () => {
      while (!gone && state.sent < behaviour.bytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, behaviour.bytes - state.sent));
        state.sent += piece.length;
        if (!res.write(piece)) return void res.once("drain", pump);
      }
      if (!gone) res.end();
    };
    pump();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/thing`,
    get requests() {
      return state.requests;
    },
    get sent() {
      return state.sent;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const MB = 2 ** 20;
let server: Hostile | undefined;
afterEach(async () => server?.close());

const send = (pipeline: RequestPipeline, url: string) => pipeline.send({ operation: "GET /rest/api/3/users/search", method: "GET", url });
const quiet = { sleep: async () => {}, retry: { timeoutMs: 10_000 } };

test("a Content-Length above the cap is refused before reading: typed, not retried, names the cap, never the body", async () => {
  server = await hostileServer({ kind: "stream", bytes: 400 * MB, declareLength: true });
  const pipeline = new RequestPipeline({ ...quiet, maxResponseBytes: 1 * MB });
  const error = await send(pipeline, server.url).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ResponseTooLargeError);
  expect(error).toMatchObject({ code: "RESPONSE_TOO_LARGE", retryable: false, operation: "GET /rest/api/3/users/search", maxBytes: MB });
  expect((error as Error).message).toMatch(/GET \/rest\/api\/3\/users\/search: the response body is larger than the cap of 1048576 bytes \(maxResponseBytes\), by its Content-Length/);
  expect((error as Error).message).not.toContain("xxx");
  expect(server.requests).toBe(1);
  expect(pipeline.stats.requests).toBe(1);
});

test("a chunked 400 MB body is read no further than the cap (streamed, counted)", async () => {
  server = await hostileServer({ kind: "stream", bytes: 400 * MB, declareLength: false });
  const pipeline = new RequestPipeline({ ...quiet, maxResponseBytes: 2 * MB });
  await expect(send(pipeline, server.url)).rejects.toMatchObject({ code: "RESPONSE_TOO_LARGE", message: expect.not.stringContaining("Content-Length") });
  expect(server.requests).toBe(1);
  // What the server managed to write before the client hung up: the cap plus socket buffers, nowhere near 400 MB.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(server.sent).toBeLessThan(32 * MB);
});

test("the default cap is 20 MB, and a body at the cap is read", async () => {
  server = await hostileServer({ kind: "stream", bytes: 20 * MB, declareLength: false });
  const response = await send(new RequestPipeline(quiet), server.url);
  expect(response.text.length).toBe(20 * MB);
  await server.close();
  server = await hostileServer({ kind: "stream", bytes: 20 * MB + 1, declareLength: true });
  await expect(send(new RequestPipeline(quiet), server.url)).rejects.toMatchObject({ code: "RESPONSE_TOO_LARGE", maxBytes: 20 * MB });
});

test("at or after the deadline no request starts", async () => {
  server = await hostileServer({ kind: "json", body: "[]" });
  const pipeline = new RequestPipeline({ ...quiet, now: () => 5_000, deadline: 5_000 });
  const error = await send(pipeline, server.url).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RunDeadlineError);
  expect(error).toMatchObject({ code: "RUN_DEADLINE", retryable: false });
  expect((error as Error).message).toMatch(/not started, the run deadline \(1970-01-01T00:00:05\.000Z\) was reached; give the run more time/);
  expect(server.requests).toBe(0);
  expect(pipeline.deadlineReached).toBe(true);
  // Before the deadline requests go through, and the flag stays false.
  const early = new RequestPipeline({ ...quiet, now: () => 4_000, deadline: 64_000 });
  expect((await send(early, server.url)).status).toBe(200);
  expect(early.deadlineReached).toBe(false);
});

test("a request in flight at the deadline is cut there, as a deadline error (not 'Atlassian unavailable')", async () => {
  let clock = 0;
  // The clock reaches the deadline while the server holds the request; the attempt's timeout is the time left (50 ms).
  server = await hostileServer({ kind: "hang", onRequest: () => (clock = 50) });
  const pipeline = new RequestPipeline({ ...quiet, now: () => clock, deadline: 50 });
  await expect(send(pipeline, server.url)).rejects.toBeInstanceOf(RunDeadlineError);
  expect(server.requests).toBe(1);
});
