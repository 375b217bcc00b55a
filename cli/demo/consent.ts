/**
 * Plays the browser's part in the demo's `authorize`: once the consent URL is printed, GET it (the sandbox
 * approves at once and redirects), then GET the redirect — the local callback `authorize` is waiting on.
 */
import * as http from "http";
import * as net from "net";

const CONSENT_URL = /(http:\/\/127\.0\.0\.1:\d+\/auth\/authorize\?\S+)/;

/** Watches `authorize`'s stderr; resolves once the callback has answered, rejects on any surprise. */
export function consentDriver(): { onStderr: (soFar: string) => void; done: Promise<void> } {
  let started = false;
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return {
    onStderr: (soFar) => {
      const match = started ? null : CONSENT_URL.exec(soFar);
      if (!match) return;
      started = true;
      get(match[1])
        .then(({ status, location }) => {
          if (status !== 302 || !location?.startsWith("http://localhost:")) throw new Error(`the sandbox's consent answered ${status}, not a redirect to the callback`);
          return get(location);
        })
        .then(({ status }) => (status === 200 ? resolve() : reject(new Error(`the callback answered ${status}`))), reject);
    },
    done,
  };
}

function get(url: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}) }));
      })
      .on("error", reject);
  });
}

/** A port free right now on 127.0.0.1 (the OS picks it), for the callback the sandbox's app registers. */
export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
