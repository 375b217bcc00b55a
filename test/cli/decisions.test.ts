/** The CLI's decisions as pure functions: tables, the check rows, progress, callbacks, the report model and pages. */
import { SCOPED_VALIDATION_CHECKS } from "../../providers/jira-connection/validate-scoped";
import { browserCommand } from "../../cli/authorize/browser";
import { interpretCallback, printable, refusalMessage } from "../../cli/authorize/callback";
import { renderPage } from "../../cli/authorize/callback-server";
import { assertPulumiConfigKey } from "../../cli/authorize/pulumi-config";
import { allPassed, checkRows, renderCheckTable } from "../../cli/check/check-rows";
import { initialProgress, phaseOf, plainLine, progressLine, reduceProgress } from "../../cli/collect/progress";
import { renderTable } from "../../cli/format/table";
import { describeError, SecretSet } from "../../cli/io";
import { parseInteger } from "../../cli/options";
import { jsonForScript } from "../../cli/report/html";
import { activityOverTime, weekStart } from "../../cli/report/model";
import { InvalidClientCredentialsError } from "../../atlassian/errors";
import type { CheckOutcome } from "../../providers/jira-connection/validate";

describe("renderTable", () => {
  test("pads columns to the widest cell, right-aligns numbers, shows null as —, cuts long cells", () => {
    const text = renderTable([{ header: "name" }, { header: "n", align: "right" }, { header: "note", max: 5 }], [["a", 1, null], ["longer", 100, "abcdefgh"]]);
    expect(text).toBe(["name      n  note", "──────  ───  ─────", "a         1  —", "longer  100  abcd…", ""].join("\n"));
  });
  test("control characters cannot break a row", () => {
    expect(renderTable([{ header: "x" }], [["a\nb\u001b[2J"]]).split("\n")).toHaveLength(4);
  });
});

describe("checkRows", () => {
  const problem = { property: "oauth.clientSecret", message: "Atlassian rejected the OAuth client ID or client secret" };
  test("fixed order; failures name the flag; later checks not run; license rows skipped without a license", () => {
    const outcomes: CheckOutcome[] = [{ check: "site", ok: true }, { check: "token-store-read", ok: true }, { check: "token-exchange", ok: false, problem }];
    const rows = checkRows(outcomes, { license: false });
    expect(rows.map((r) => [r.check, r.status, r.fix])).toEqual([
      ["site", "pass", undefined],
      ["token-store-read", "pass", undefined],
      ["token-exchange", "fail", "--client-secret"],
      ["token-store-write", "not run", undefined],
      ["scopes", "not run", undefined],
      ["least-privilege", "not run", undefined],
      ["site-access", "not run", undefined],
      ["license-account", "skipped", undefined],
      ["license-admin", "skipped", undefined],
      ["seats", "not run", undefined],
    ]);
    expect(allPassed(rows)).toBe(false);
    expect(renderCheckTable(rows)).toMatch(/refresh token exchange .*✗ FAIL\s+--client-secret\s+Atlassian rejected/);
  });
  test("all passed, license skipped, counts as passed; a missing license row with a license counts as not run", () => {
    const passed: CheckOutcome[] = (["site", "token-store-read", "token-exchange", "token-store-write", "scopes", "least-privilege", "site-access", "seats"] as const).map((check) => ({ check, ok: true }));
    expect(allPassed(checkRows(passed, { license: false }))).toBe(true);
    expect(allPassed(checkRows(passed, { license: true }))).toBe(false);
  });
  test("a passed check with a warning is a warn row naming the flag; warnings still count as passed", () => {
    const outcomes: CheckOutcome[] = [
      { check: "site", ok: true },
      { check: "scoped-token", ok: true },
      { check: "scopes", ok: true },
      { check: "least-privilege", ok: true, warning: "scopedApiToken.apiToken: the credential can do more than read: POST /rest/api/3/issue" },
      { check: "license-admin", ok: true },
      { check: "seats", ok: true },
    ];
    const rows = checkRows(outcomes, { license: true, checks: SCOPED_VALIDATION_CHECKS });
    expect(rows.map((r) => [r.check, r.status, r.fix])).toEqual([
      ["site", "pass", undefined],
      ["scoped-token", "pass", undefined],
      ["scopes", "pass", undefined],
      ["least-privilege", "warn", "--scoped-api-token"],
      ["license-admin", "pass", undefined],
      ["seats", "pass", undefined],
    ]);
    expect(rows[3]!.message).toBe("the credential can do more than read: POST /rest/api/3/issue");
    expect(allPassed(rows)).toBe(true);
  });
});

describe("progress", () => {
  test("phases from request paths", () => {
    expect(phaseOf("http://x/auth/oauth/token")).toBe("token");
    expect(phaseOf("https://acme.atlassian.net/rest/api/3/users/search?startAt=0")).toBe("users");
    expect(phaseOf("https://api.atlassian.com/ex/jira/c/rest/api/3/search/jql")).toBe("activity");
    expect(phaseOf("https://acme.atlassian.net/rest/api/3/auditing/record")).toBe("activity");
    expect(phaseOf("https://acme.atlassian.net/rest/api/3/group/member?groupname=x")).toBe("group members");
    expect(phaseOf("https://acme.atlassian.net/rest/api/3/applicationrole")).toBe("subscriptions");
  });
  test("plain lines announce each phase once and each file; the TTY line counts requests", () => {
    const events = ["http://x/oauth/token", "http://x/rest/api/3/applicationrole", "http://x/rest/api/3/auditing/record", "http://x/rest/api/3/applicationrole", "http://x/rest/api/3/users/search"];
    let state = initialProgress();
    const lines: string[] = [];
    for (const url of events) {
      const next = reduceProgress(state, { kind: "request", url });
      const line = plainLine(state, next);
      if (line) lines.push(line);
      state = next;
    }
    const after = reduceProgress(state, { kind: "file", key: "connectors/acme/snapshots/x/users.ndjson.gz" });
    lines.push(plainLine(state, after)!);
    expect(lines).toEqual(["token…", "subscriptions…", "activity…", "users…", "wrote users.ndjson.gz"]);
    expect(progressLine(after, 0)).toBe("⠋ writing… 5 requests (token 1 · subscriptions 2 · activity 1 · users 1) · wrote 1 file");
  });
});

describe("callback", () => {
  const state = "s".repeat(43);
  const q = (o: Record<string, string>) => new URLSearchParams(o);
  test("code with our state → exchange; another or no state → refuse, even for errors; no params → ignore", () => {
    expect(interpretCallback(q({ code: "c", state }), state)).toEqual({ kind: "code", code: "c" });
    expect(interpretCallback(q({ code: "c", state: "t".repeat(43) }), state)).toEqual({ kind: "state-mismatch" });
    expect(interpretCallback(q({ code: "c" }), state)).toEqual({ kind: "state-mismatch" });
    expect(interpretCallback(q({ error: "access_denied", state: "short" }), state)).toEqual({ kind: "state-mismatch" });
    expect(interpretCallback(q({ error: "access_denied", error_description: "User did not\nauthorize", state }), state)).toEqual({ kind: "refused", error: "access_denied", description: "User did not authorize" });
    expect(interpretCallback(q({}), state)).toEqual({ kind: "incomplete" });
  });
  test("a refusal's description is scrubbed of the code and state before it is cut", () => {
    const code = "Cd7Qx".repeat(6);
    const refused = interpretCallback(q({ error: "server_error", error_description: `${"d".repeat(290)} ${code}`, code, state }), state);
    // The cut at 300 falls in the marker; cutting first would have left 9 characters of the code.
    expect(refused).toEqual({ kind: "refused", error: "server_error", description: `${"d".repeat(290)} [REDACTED…` });
    expect(interpretCallback(q({ error: "x", error_description: `about ${state}`, state }), state)).toMatchObject({ description: "about [REDACTED]" });
  });
  test("refusal messages say what to do", () => {
    expect(refusalMessage("access_denied", "")).toMatch(/denied.*click Accept/);
    expect(refusalMessage("invalid_scope", "x")).toMatch(/Permissions page/);
    expect(printable("a".repeat(400), 10)).toBe(`${"a".repeat(10)}…`);
  });
  test("the callback page escapes text", () => {
    expect(renderPage({ ok: false, title: "<b>", text: "x\"'&" })).toContain("<h1>&#60;b&#62;</h1><p>x&#34;&#39;&#38;</p>");
  });
  test("browser opener: per platform, none on a Linux without a display", () => {
    expect(browserCommand("darwin", {}, "u")).toEqual(["open", ["u"]]);
    expect(browserCommand("linux", { DISPLAY: ":0" }, "u")).toEqual(["xdg-open", ["u"]]);
    expect(browserCommand("linux", {}, "u")).toBeUndefined();
  });
  test("Pulumi config keys cannot smuggle options", () => {
    expect(() => assertPulumiConfigKey("acme:refreshToken")).not.toThrow();
    expect(() => assertPulumiConfigKey("--plaintext")).toThrow(/not a Pulumi config key/);
  });
});

describe("io", () => {
  test("secrets are scrubbed (longest first); short values are ignored", () => {
    const secrets = new SecretSet();
    secrets.add("abcdefgh");
    secrets.add("abcdefgh-longer");
    secrets.add("abc");
    expect(secrets.scrub("x abcdefgh-longer y abcdefgh abc")).toBe("x [redacted] y [redacted] abc");
  });
  test("typed errors keep their message; unknown errors show only their name", () => {
    expect(describeError(new InvalidClientCredentialsError("access_denied", 401))).toMatchObject({ code: "INVALID_CLIENT_CREDENTIALS" });
    expect(describeError(new TypeError("token=abc leaked"))).toEqual({ code: "UNEXPECTED", message: expect.not.stringContaining("abc") });
  });
  test("integers", () => {
    expect(parseInteger("8080", "--port", 1, 65535)).toBe(8080);
    expect(() => parseInteger("80a", "--port", 1, 65535)).toThrow(/--port must be a whole number from 1 to 65535/);
    expect(() => parseInteger("0", "--port", 1, 65535)).toThrow(/--port/);
  });
});

describe("report model", () => {
  test("weeks start on Monday UTC", () => {
    expect(new Date(weekStart(Date.parse("2026-12-02T23:00:00Z"))).toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(new Date(weekStart(Date.parse("2026-11-30T00:00:00Z"))).toISOString()).toBe("2026-11-30T00:00:00.000Z");
  });
  test("activity over time counts seat holders only, by week of last activity; earlier and never seen apart", () => {
    const users = [
      { accountId: "a", accountType: "atlassian", active: true, products: [{ key: "k" }], lastActivityAt: "2026-11-29T10:00:00Z" },
      { accountId: "b", accountType: "atlassian", active: true, products: [{ key: "k" }], lastActivityAt: "2026-11-24T10:00:00Z" },
      { accountId: "c", accountType: "atlassian", active: true, products: [{ key: "k" }], lastActivityAt: "2026-01-01T00:00:00Z" },
      { accountId: "d", accountType: "atlassian", active: true, products: [{ key: "k" }], lastActivityAt: null },
      { accountId: "e", accountType: "app", active: true, products: [{ key: "k" }], lastActivityAt: null },
      { accountId: "f", accountType: "atlassian", active: false, products: [{ key: "k" }], lastActivityAt: null },
      { accountId: "g", accountType: "atlassian", active: true, products: [], lastActivityAt: null },
    ];
    const a = activityOverTime(users, Date.parse("2026-11-10T00:00:00Z"), Date.parse("2026-11-30T12:00:00Z"));
    expect(a.buckets).toEqual([
      { weekStart: "2026-11-09", holders: 0 },
      { weekStart: "2026-11-16", holders: 0 },
      { weekStart: "2026-11-23", holders: 2 },
      { weekStart: "2026-11-30", holders: 0 },
    ]);
    expect(a).toMatchObject({ before: 1, neverSeen: 1, holders: 4 });
  });
  test("JSON inlined in a script element cannot end it or open a comment", () => {
    expect(jsonForScript({ a: "</script><!--" })).toBe('{"a":"\\u003c/script>\\u003c!--"}');
  });
});

// The model, terminal, HTML, CSV and removal plan of the seat report: test/cli/report-model.test.ts.
