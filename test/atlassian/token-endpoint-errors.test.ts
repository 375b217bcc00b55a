/**
 * `POST /oauth/token` failures against the emulator (real HTTP on 127.0.0.1): no body is ever quoted, so no token —
 * not even a fragment of one — reaches an error's message, stack, inspection or JSON, nor a log line.
 */
import { randomBytes } from "crypto";
import { inspect } from "util";
import {
  AtlassianClient,
  InvalidClientCredentialsError,
  type Logger,
  ReauthorizationRequiredError,
  UnexpectedResponseError,
} from "../../atlassian";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { consentAsBrowser } from "../support/browser";

let emulator: AtlassianEmulator;
let atlassian: AtlassianClient;
const logLines: string[] = [];
beforeAll(async () => {
  emulator = await startAtlassianEmulator();
  const record = (level: string) => (event: string, fields?: object) => logLines.push(`${level} ${event} ${JSON.stringify(fields)}`);
  const logger: Logger = { debug: record("debug"), info: record("info"), warn: record("warn") };
  atlassian = new AtlassianClient({ env: emulator.env, logger, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.faults.clear());

const RETRY_HINT = "; the presented refresh token stays usable for about 10 minutes, so retry soon with the same token";

async function failure(call: () => Promise<unknown>): Promise<Error> {
  const outcome = await call().then(() => new Error("expected a failure"), (error: unknown) => error);
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error;
}

/** Every way an error gets printed or shipped (CloudWatch, the failed manifest, the DLQ, CLI output). */
const renderings = (error: Error) => [String(error), error.message, error.stack ?? "", JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })];

/** Fails naming the first rendering that holds a secret or any 12-character piece of one. */
function expectNoFragments(error: Error, secrets: string[]): void {
  const haystacks = [...renderings(error), ...logLines];
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThanOrEqual(12);
    for (let i = 0; i + 12 <= secret.length; i++) {
      const piece = secret.slice(i, i + 12);
      const found = haystacks.find((h) => h.includes(piece));
      expect(found === undefined ? "clean" : `"${piece}" leaked in: ${found.slice(0, 300)}`).toBe("clean");
    }
  }
}

/** Cuts the genuine answer `offset` characters into the value of `field`. */
const inside = (field: "access_token" | "refresh_token", offset: number) => (body: string) =>
  body.indexOf(`"${field}":"`) + field.length + 4 + offset;

/** The emulator processes the exchange for real, then sends only the first `cut(body)` bytes of its answer. */
function truncateAnswer(cut: (body: string) => number): { full: () => string } {
  let full = "";
  emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, action: { kind: "truncate-body", bytes: cut, seen: (body) => (full = body) } });
  return { full: () => full };
}

describe("a truncated real token response (the emulator rotated; the body is cut)", () => {
  test.each([
    ["mid refresh_token", "refresh_token", inside("refresh_token", 40)],
    ["mid access_token", "access_token", inside("access_token", 30)],
    ["before the closing brace (both tokens complete)", undefined, (body: string) => body.length - 1],
  ] as const)("refresh grant, cut %s: no token or fragment in the error; the retry hint stays and is true", async (_name, cutField, cut) => {
    const app = emulator.app();
    const presented = emulator.grant().refreshToken;
    const answer = truncateAnswer(cut);
    const error = await failure(() => atlassian.oauth.refresh({ ...app, refreshToken: presented }));

    const sent = JSON.parse(answer.full()) as { access_token: string; refresh_token: string };
    const received = answer.full().slice(0, cut(answer.full()));
    if (cutField !== undefined) {
      // The cut really falls inside that token: part of it reached the client.
      expect(received.endsWith(sent[cutField])).toBe(false);
      expect(received).toContain(sent[cutField].slice(0, 30));
    }
    // The exchange really happened: the family rotated to a token the client never saw whole.
    expect(emulator.family(presented)).toMatchObject({ rotations: 1, currentRefreshToken: sent.refresh_token });
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 200, retryable: false, operation: "POST /oauth/token" });
    expect(error.message).toBe(
      "Atlassian answered POST /oauth/token with an unexpected response " +
        `(HTTP 200, application/json, ${Buffer.byteLength(received)} bytes: not JSON${RETRY_HINT}).`,
    );
    expectNoFragments(error, [sent.refresh_token, sent.access_token, presented, app.clientSecret]);

    // The hint holds: the presented token is inside its leeway, so retrying with it yields a working pair.
    await expect(atlassian.oauth.refresh({ ...app, refreshToken: presented })).resolves.toMatchObject({ refreshTokenRotated: true });
  });

  test("authorization-code grant, cut mid refresh_token: no token, code or secret in the error, and no retry hint", async () => {
    const app = emulator.app();
    const { params } = await consentAsBrowser(
      atlassian.oauth.authorizationUrl({ clientId: app.clientId, redirectUri: app.redirectUris[0], state: "s".repeat(32) }),
    );
    const code = params.get("code")!;
    const answer = truncateAnswer(inside("refresh_token", 40));
    const error = await failure(() => atlassian.oauth.exchangeCode({ ...app, code, redirectUri: app.redirectUris[0] }));
    const sent = JSON.parse(answer.full()) as { access_token: string; refresh_token: string };
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(/\(HTTP 200, application\/json, \d+ bytes: not JSON\)\.$/);
    expectNoFragments(error, [sent.refresh_token, sent.access_token, code, app.clientSecret]);
  });
});

describe("other token-endpoint bodies", () => {
  const app = () => emulator.app();
  const tokenLike = () => randomBytes(48).toString("base64url");
  const answer = (status: number, body: string) =>
    emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, action: { kind: "status", status, body } });

  test("a 200 that is JSON but not a token response names fields and issue codes, never values", async () => {
    const [access, refresh] = [tokenLike(), tokenLike()];
    answer(200, JSON.stringify({ access_token: access, refresh_token: refresh, expires_in: "3600" }));
    const wrongType = await failure(() => atlassian.oauth.refresh({ ...app(), refreshToken: emulator.grant().refreshToken }));
    expect(wrongType.message).toMatch(/HTTP 200, application\/json, \d+ bytes: not a valid token response \(expires_in: invalid_type, expected number\); the presented/);
    expectNoFragments(wrongType, [access, refresh]);

    answer(200, JSON.stringify({ refresh_token: refresh, note: access }));
    const missing = await failure(() => atlassian.oauth.refresh({ ...app(), refreshToken: emulator.grant().refreshToken }));
    expect(missing.message).toMatch(/not a valid token response \(access_token missing; expires_in missing\)/);
    expectNoFragments(missing, [access, refresh]);
  });

  test("a well-formed OAuth error keeps its code and Atlassian's description, scrubbed of secrets and token-like runs", async () => {
    const unknown = await failure(() => atlassian.oauth.refresh({ ...app(), refreshToken: tokenLike() }));
    expect(unknown).toBeInstanceOf(ReauthorizationRequiredError);
    expect(unknown.message).toContain("(invalid_grant: Unknown or invalid refresh token.)");

    const presented = emulator.grant().refreshToken;
    const stranger = tokenLike();
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";
    answer(403, JSON.stringify({ error: "invalid_grant", error_description: `token ${presented} was replaced by ${stranger} (${jwt}); secret ${app().clientSecret}` }));
    const echoed = await failure(() => atlassian.oauth.refresh({ ...app(), refreshToken: presented }));
    expect(echoed).toBeInstanceOf(ReauthorizationRequiredError);
    expect(echoed.message).toContain("(invalid_grant: token [REDACTED] was replaced by [REDACTED] ([REDACTED]); secret [REDACTED])");
    expectNoFragments(echoed, [presented, stranger, jwt, app().clientSecret]);
  });

  test("an unknown OAuth error code is shown scrubbed; one that is itself token-like is redacted", async () => {
    const presented = emulator.grant().refreshToken;
    answer(400, JSON.stringify({ error: "server_confused", error_description: `about ${presented}` }));
    const odd = await failure(() => atlassian.oauth.refresh({ ...app(), refreshToken: presented }));
    expect(odd).toBeInstanceOf(UnexpectedResponseError);
    expect(odd.message).toContain("(HTTP 400: server_confused: about [REDACTED])");

    const stranger = tokenLike();
    answer(400, JSON.stringify({ error: stranger }));
    const tokenCode = await failure(() => atlassian.oauth.refresh({ ...app(), refreshToken: presented }));
    expect(tokenCode.message).toContain("(HTTP 400: [REDACTED]: no description)");
    expectNoFragments(tokenCode, [stranger, presented]);
  });

  test("a body that is not an OAuth error is described by status, content type and length only", async () => {
    const presented = emulator.grant().refreshToken;
    const stranger = tokenLike();
    const text = `upstream said: ${stranger} for ${presented}`;
    answer(400, text);
    const plain = await failure(() => atlassian.oauth.refresh({ ...app(), refreshToken: presented }));
    expect(plain.message).toContain(`(HTTP 400, text/plain, ${Buffer.byteLength(text)} bytes: not an OAuth error response)`);
    expectNoFragments(plain, [stranger, presented]);

    answer(401, `<html>${stranger}</html>`);
    const unauthorized = await failure(() => atlassian.oauth.refresh({ ...app(), refreshToken: presented }));
    expect(unauthorized).toBeInstanceOf(InvalidClientCredentialsError);
    expect(unauthorized.message).toContain("(HTTP 401)");
    expectNoFragments(unauthorized, [stranger, presented]);
  });
});
