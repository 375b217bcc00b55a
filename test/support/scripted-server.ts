import * as http from "http";
import type { AddressInfo } from "net";

/**
 * A loopback HTTP server that answers from a script, for exercising the request pipeline's retry, timeout and
 * header handling precisely. (Behaviour of Atlassian itself is tested against the emulator.)
 */
export type ScriptedReply =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { hang: true }
  | { destroy: true };

export interface ScriptedServer {
  url: string;
  received: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  reply(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const queue: ScriptedReply[] = [];
  const received: ScriptedServer["received"] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const reply = queue.shift() ?? { status: 200, body: "{}" };
      if ("hang" in reply) {
        hanging.add(res);
        return;
      }
      if ("destroy" in reply) {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(reply.body ?? "{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    reply: (...replies) => queue.push(...replies),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
