/**
 * Scrub before truncating: a secret that straddles a truncation cut must leave no prefix behind. Each cut below is
 * exercised at every offset of the secret across it, and the old order (cut, then scrub) is shown to leak.
 */
import { UnexpectedResponseError } from "../../atlassian";
import type { PipelineResponse } from "../../atlassian/http/pipeline";
import { scrubSecrets, scrubTokenLike, summarizeBody } from "../../atlassian/http/redaction";
import { atlassianErrorDetail, parseJsonBody } from "../../atlassian/http/response";
import { scrubSecrets as scrubStoreSecrets } from "../../token-store/errors";

/** Deterministic; no run of `a`, `b` or `[REDACTED]` can be mistaken for a piece of it. */
const SECRET = "rt_Zq9Kx7Wv3Mn5Lp1Hj8Gf2Dd4Ss6Aa0Qq9Ww8Ee7Rr6Tt5Yy4Uu3Ii2Oo1Pp0";

/** The text with `SECRET` placed so that a cut at `cut` falls `into` characters inside it. */
const straddling = (cut: number, into: number) => `${"a".repeat(cut - into)}${SECRET}${"b".repeat(50)}`;

/** No prefix of the secret of 4 or more characters (nor any other 6-character piece) is left. */
function expectNoPiece(text: string): void {
  expect(text.includes(SECRET.slice(0, 4))).toBe(false);
  for (let i = 0; i + 6 <= SECRET.length; i++) expect(text.includes(SECRET.slice(i, i + 6))).toBe(false);
}

const response = (text: string, status = 500): PipelineResponse => ({
  operation: "GET /thing",
  status,
  headers: { get: () => null },
  text,
  attempts: 1,
});

const everyOffset = Array.from({ length: SECRET.length + 1 }, (_v, into) => into);

test("the old order, cut then scrub, leaves the secret's prefix: the case the tests below rule out", () => {
  const text = straddling(200, 20);
  expect(scrubSecrets(`${text.slice(0, 200)}…`, [SECRET])).toContain(SECRET.slice(0, 20));
});

test("summarizeBody: a secret across the cut leaves no prefix, at every offset", () => {
  for (const into of everyOffset) {
    const summary = summarizeBody(straddling(200, into), [SECRET]);
    expectNoPiece(summary);
    expect(summary.length).toBeLessThanOrEqual(201);
  }
  // Exactly: the cut falls in the marker, never in the secret.
  expect(summarizeBody(straddling(200, 5), [SECRET])).toBe(`${"a".repeat(195)}[REDA…`);
});

test("atlassianErrorDetail: scrubs the whole joined error text before shortening it", () => {
  for (const into of everyOffset) {
    const body = JSON.stringify({ errorMessages: [straddling(200, into)], errors: {} });
    expectNoPiece(atlassianErrorDetail(response(body), [SECRET]));
    // A non-JSON body takes the same path.
    expectNoPiece(atlassianErrorDetail(response(straddling(200, into)), [SECRET]));
  }
});

test("parseJsonBody: the 80-character excerpt of a non-JSON body is cut after scrubbing", () => {
  for (const into of everyOffset) {
    let error: unknown;
    try {
      parseJsonBody(response(straddling(80, into), 200), [SECRET]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expectNoPiece((error as Error).message);
  }
});

test("token store scrubSecrets: a backend message is scrubbed before its 400-character cut", () => {
  for (const into of everyOffset) expectNoPiece(scrubStoreSecrets(straddling(400, into), [SECRET]));
});

test("secrets are scrubbed longest first, so a secret inside another leaves no remainder", () => {
  const inner = SECRET.slice(10, 30);
  expect(scrubSecrets(`x ${SECRET} y`, [inner, SECRET])).toBe("x [REDACTED] y");
  expect(scrubStoreSecrets(`x ${SECRET} y`, [inner, SECRET])).toBe("x [REDACTED] y");
});

test("scrubTokenLike redacts JWTs (even short ones) and long base64url runs, and keeps ordinary text", () => {
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";
  expect(scrubTokenLike(`bearer ${jwt} end`)).toBe("bearer [REDACTED] end");
  expect(scrubTokenLike(`run ${"A".repeat(24)} and ${"B".repeat(23)}`)).toBe(`run [REDACTED] and ${"B".repeat(23)}`);
  for (const text of ["Unknown or invalid refresh token.", "redirect_uri does not match the one used to obtain the code"]) {
    expect(scrubTokenLike(text)).toBe(text);
  }
  // With `tokenLike`, a token we never learned is scrubbed before the cut too.
  for (const into of everyOffset) expectNoPiece(summarizeBody(straddling(200, into), [], { tokenLike: true }));
});
