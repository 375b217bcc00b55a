import { inspect } from "util";
import {
  AtlassianClient,
  collectItems,
  getApplicationRoles,
  getMyself,
  type Logger,
  searchUsers,
  DEFAULT_REQUIRED_SCOPES,
} from "../../atlassian";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { consentAsBrowser } from "../support/browser";

/**
 * Provokes every failure we can with real credentials in play, then searches every error (message, stack,
 * properties, inspection) and every log line for every secret string.
 */

let emulator: AtlassianEmulator;
beforeAll(async () => {
  emulator = await startAtlassianEmulator();
});
afterAll(() => emulator.close());

test("no secret value appears in any error or log line", async () => {
  const logLines: string[] = [];
  const record = (level: string) => (event: string, fields?: object) => logLines.push(`${level} ${event} ${JSON.stringify(fields)}`);
  const logger: Logger = { debug: record("debug"), info: record("info"), warn: record("warn") };
  const atlassian = new AtlassianClient({ env: emulator.env, logger, retry: { baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 300 } });
  const app = emulator.app();
  const site = emulator.site("acme");
  const grant = emulator.grant();
  const tokens = await atlassian.oauth.refresh({ ...app, refreshToken: grant.refreshToken });
  const { params } = await consentAsBrowser(
    atlassian.oauth.authorizationUrl({ clientId: app.clientId, redirectUri: app.redirectUris[0], state: "s".repeat(32) }),
  );
  const code = params.get("code")!;
  const secrets = [
    app.clientSecret,
    grant.refreshToken,
    grant.accessToken,
    tokens.refreshToken,
    tokens.accessToken,
    site.admin.apiToken,
    site.member.apiToken,
    code,
    Buffer.from(`${site.admin.email}:${site.admin.apiToken}`).toString("base64"),
  ];

  const failures: unknown[] = [];
  const attempt = async (call: () => Promise<unknown>) => {
    try {
      await call();
      failures.push(new Error("expected a failure"));
    } catch (error) {
      failures.push(error);
    }
  };
  const oauthJira = atlassian.jira({ kind: "oauth", cloudId: site.cloudId, accessToken: tokens.accessToken, grantedScopes: tokens.grantedScopes });
  const narrow = await atlassian.oauth.refresh({ ...app, refreshToken: emulator.grant({ scopes: ["read:license:jira", "offline_access"] }).refreshToken });
  secrets.push(narrow.accessToken, narrow.refreshToken);
  const narrowJira = atlassian.jira({ kind: "oauth", cloudId: site.cloudId, accessToken: narrow.accessToken, grantedScopes: narrow.grantedScopes });
  const adminJira = atlassian.jira({ kind: "api-token", site: "acme", email: site.admin.email, apiToken: site.admin.apiToken });
  const memberJira = atlassian.jira({ kind: "api-token", site: "acme", email: site.member.email, apiToken: site.member.apiToken });

  await attempt(() => atlassian.oauth.refresh({ clientId: app.clientId, clientSecret: "x".repeat(20), refreshToken: tokens.refreshToken }));
  await attempt(() => atlassian.oauth.refresh({ ...app, refreshToken: grant.refreshToken + "-tampered" }));
  await attempt(() => atlassian.oauth.exchangeCode({ ...app, code, redirectUri: "http://localhost:9999/other" }));
  await attempt(() => atlassian.oauth.exchangeCode({ ...app, code, redirectUri: app.redirectUris[0] }));
  // Atlassian echoing a secret back in an error body must not leak it either.
  emulator.faults.add({
    match: { path: "/oauth/token" },
    action: { kind: "status", status: 400, body: JSON.stringify({ error: "weird", error_description: `bad ${tokens.refreshToken} ${app.clientSecret}` }) },
  });
  await attempt(() => atlassian.oauth.refresh({ ...app, refreshToken: tokens.refreshToken }));
  emulator.faults.add({ match: { path: "/oauth/token" }, action: { kind: "malformed-json" } });
  await attempt(() => atlassian.oauth.refresh({ ...app, refreshToken: tokens.refreshToken }));
  await attempt(() => collectItems(searchUsers(narrowJira)));
  await attempt(() => getApplicationRoles(memberJira));
  await attempt(() => getMyself(atlassian.jira({ kind: "api-token", site: "acme", email: site.admin.email, apiToken: `${site.admin.apiToken}x` })));
  emulator.faults.add({ match: { path: "/rest/api/3/myself" }, times: Infinity, action: { kind: "status", status: 500, body: site.admin.apiToken } });
  await attempt(() => getMyself(adminJira));
  emulator.faults.clear();
  emulator.faults.add({ match: { path: "/rest/api/3/myself" }, times: Infinity, action: { kind: "hang" } });
  await attempt(() => getMyself(adminJira));
  emulator.faults.clear();
  emulator.faults.add({ match: { path: "/rest/api/3/myself" }, action: { kind: "rate-limit", retryAfterSeconds: 3600 } });
  await attempt(() => getMyself(oauthJira));
  emulator.clock.advance(3601 * 1000);
  await attempt(() => getMyself(oauthJira));

  expect(failures.map((f, i) => `${i}: ${f instanceof Error ? f.message === "expected a failure" ? "no failure" : "ok" : "not an Error"}`)).toEqual(
    failures.map((_f, i) => `${i}: ok`),
  );
  expect(new Set(failures.map((f) => (f as Error).name)).size).toBeGreaterThanOrEqual(8);

  const haystacks = [
    ...failures.flatMap((f) => [
      String(f),
      (f as Error).stack ?? "",
      JSON.stringify(f),
      inspect(f, { depth: Infinity, showHidden: true }),
    ]),
    ...logLines,
    inspect(adminJira, { depth: Infinity, showHidden: true }),
    JSON.stringify(adminJira),
    inspect(atlassian, { depth: Infinity }),
  ];
  for (const secret of secrets) {
    for (const haystack of haystacks) expect(haystack.includes(secret) ? `leaked: ${haystack.slice(0, 200)}` : "ok").toBe("ok");
  }
  // The emulator's request log must not hold them either (tests and `npm run emulator` print it).
  const requestLog = JSON.stringify(emulator.requests);
  for (const secret of secrets) expect(requestLog.includes(secret)).toBe(false);
  expect(DEFAULT_REQUIRED_SCOPES).toHaveLength(14);
});
