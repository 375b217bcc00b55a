/**
 * The local callback server: receives the browser's redirect from Atlassian's consent screen on
 * `http://localhost:<port><path>`. It listens on loopback only (127.0.0.1 and, where available, ::1, since a browser
 * may resolve `localhost` to either), answers anything but the callback with 404, and keeps the browser's request
 * open until the command knows the result, so the page the admin sees says whether it worked.
 */
import * as http from "http";
import { CliError } from "../io";
import { type CallbackOutcome, interpretCallback } from "./callback";

export interface CallbackPage {
  ok: boolean;
  title: string;
  text: string;
}

export interface ReceivedCallback {
  outcome: Exclude<CallbackOutcome, { kind: "incomplete" }>;
  /** Answers the browser and closes the server. */
  respond(page: CallbackPage): Promise<void>;
}

export interface CallbackServer {
  redirectUri: string;
  /** The first redirect carrying a code, an error or a foreign state; rejects with a CliError on timeout. */
  next(timeoutMs: number): Promise<ReceivedCallback>;
  close(): Promise<void>;
}

export async function startCallbackServer(options: { port: number; path: string; expectedState: string }): Promise<CallbackServer> {
  let deliver: ((received: ReceivedCallback) => void) | undefined;
  let delivered = false;
  const servers: http.Server[] = [];
  const close = async () => {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
    );
  };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET" || url.pathname !== options.path) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
      return;
    }
    const outcome = interpretCallback(url.searchParams, options.expectedState);
    if (outcome.kind === "incomplete" || delivered || !deliver) {
      const page = delivered
        ? { ok: false, title: "Already handled", text: "This authorization was already handled. Return to the terminal." }
        : { ok: false, title: "Waiting for Atlassian", text: "This address receives Atlassian's redirect after consent. Open the URL the terminal printed." };
      res.writeHead(400, pageHeaders()).end(renderPage(page));
      return;
    }
    delivered = true;
    deliver({
      outcome,
      respond: async (page) => {
        // 'close' as well: a browser that went away never lets the response finish.
        await new Promise<void>((resolve) => {
          res.once("close", () => resolve());
          res.writeHead(page.ok ? 200 : 400, pageHeaders()).end(renderPage(page), () => resolve());
        });
        await close();
      },
    });
  };
  for (const host of ["127.0.0.1", "::1"]) {
    const server = http.createServer(handler);
    try {
      await listen(server, options.port, host);
      servers.push(server);
    } catch (error) {
      const code = (error as { code?: string }).code;
      // No IPv6 loopback on this machine: 127.0.0.1 alone serves `localhost`.
      if (host === "::1" && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) continue;
      await close();
      if (code === "EADDRINUSE") {
        throw new CliError(
          `port ${options.port} on localhost is busy: another program listens on it. Stop that program, or pass --port <n> ` +
            `and register http://localhost:<n>${options.path} as the app's callback URL in the Atlassian developer console.`,
          "PORT_BUSY",
        );
      }
      if (code === "EACCES") {
        throw new CliError(`port ${options.port} needs privileges to listen on; pass --port with a number above 1023.`, "PORT_FORBIDDEN");
      }
      throw error;
    }
  }
  return {
    redirectUri: `http://localhost:${options.port}${options.path === "/" ? "" : options.path}`,
    close,
    next: (timeoutMs) =>
      new Promise<ReceivedCallback>((resolve, reject) => {
        const timer = setTimeout(() => {
          deliver = undefined;
          reject(
            new CliError(
              `no redirect from Atlassian arrived within ${Math.round(timeoutMs / 1000)} s. Run \`jira-connector authorize\` ` +
                `again and complete the consent in the browser (or pass --timeout <seconds> for more time).`,
              "TIMEOUT",
            ),
          );
        }, timeoutMs);
        deliver = (received) => {
          clearTimeout(timer);
          resolve(received);
        };
      }),
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function pageHeaders(): http.OutgoingHttpHeaders {
  return {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    "referrer-policy": "no-referrer",
  };
}

export function renderPage(page: CallbackPage): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(page.title)}</title>` +
    `<style>body{font:16px system-ui,sans-serif;margin:15vh auto;max-width:40em;padding:0 1em}h1{color:${page.ok ? "#216e39" : "#b3261e"}}</style>` +
    `</head><body><h1>${esc(page.title)}</h1><p>${esc(page.text)}</p></body></html>`;
}
