/** `collect --limit`: a listing bound over the default, checked like the component's `limits`, named in the partial reason. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { runInProcess } from "./helpers";

let emu: AtlassianEmulator;
let tmp: string;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 150, issues: 10, auditRecords: 10 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-limits-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const collectArgs = (out: string, ...extra: string[]) => [
  "collect", "--out", out, "--site", "acme",
  "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret,
  "--refresh-token", emu.grant({ sites: ["acme"] }).refreshToken,
  "--token-file", path.join(out, "..", `${path.basename(out)}.token.json`),
  "--json", ...extra,
];

test("a lowered bound ends that listing: the snapshot is partial and its reason names the bound (limits.groupMembers.maxItems)", async () => {
  const out = path.join(tmp, "lowered");
  const result = await runInProcess(collectArgs(out, "--limit", "groupMembers.maxItems=1", "--limit", "users.maxPages=50"), emu.env);
  expect([result.code, result.stdout]).toEqual([1, expect.any(String)]);
  const summary = JSON.parse(result.stdout);
  expect(summary.complete).toBe(false);
  expect(summary.reasons.join("\n")).toMatch(/limits\.groupMembers\.maxItems = 1\b/);
});

test.each([
  ["not listing.bound=N", ["--limit", "groupMembers=5"], /--limit "groupMembers=5" is not <listing>\.<bound>=<whole number>/],
  ["an unknown listing", ["--limit", "members.maxItems=5"], /--limit members is not a listing; the listings are users, groupMembers/],
  ["a number past ten times the default", ["--limit", "users.maxItems=2e6"], /--limit users\.maxItems must be a whole number from 1 to 10000000/],
  ["zero", ["--limit", "issues.maxPages=0"], /--limit issues\.maxPages must be a whole number from 1 to 200000/],
])("%s is INVALID_ARGUMENT (exit 2), before any request", async (_name, flags, message) => {
  emu.clearRequests();
  const result = await runInProcess(collectArgs(path.join(tmp, "bad"), ...flags), emu.env);
  expect(result.code).toBe(2);
  const error = JSON.parse(result.stdout);
  expect(error).toMatchObject({ ok: false, error: { code: "INVALID_ARGUMENT" } });
  expect(error.error.message).toMatch(message);
  expect(emu.requests).toEqual([]);
});
