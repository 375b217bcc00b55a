import { childEnv, freePort, runCli } from "./helpers";

/**
 * A network failure through the built CLI (issue 13): fast, and the message names the host, the endpoint override
 * in effect and the cause — not ~30 s of silence and a bare "network error".
 */

test("cloud-id against a site override where nothing listens: fails within seconds, naming host, variable and ECONNREFUSED", async () => {
  const port = await freePort();
  const override = `http://127.0.0.1:${port}/{site}`;
  const started = Date.now();
  const result = await runCli(["cloud-id", "acme"], childEnv({ JIRA_CONNECTOR_SITE_URL: override }));
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain(`could not reach 127.0.0.1:${port} (ECONNREFUSED, connection refused: nothing is listening there`);
  expect(result.stderr).toContain(`The host comes from JIRA_CONNECTOR_SITE_URL=${override}`);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}, 20_000);
