/** The activity file stored while the memberships are still read (report-step.ts), and when it must wait. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { activityAsRead, storeActivityFile } from "../../collector/report-step";
import { LocalDirectorySink, readNdjsonGzip, SnapshotWriter } from "../../collector/snapshot";
import type { UserActivity } from "../../collector/decisions/activity";

const T = new Date("2026-12-01T06:00:00.000Z");
const byUser = new Map<string, UserActivity>([
  ["a-1", { lastActivityAt: "2026-11-30T08:00:00.000Z", lastActivitySource: "audit", detail: "audit 7: User logged in" }],
  ["b-2", { lastActivityAt: "2026-11-01T08:00:00.000Z", lastActivitySource: "changelog", detail: "issue ENG-7 changed" }],
]);
const read = (map = byUser) => Promise.resolve({ accumulator: { result: () => new Map(map) } });

let dir: string;
let writer: SnapshotWriter;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-step-"));
  writer = new SnapshotWriter(new LocalDirectorySink(dir), "acme", T);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function activityLines(): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const record of readNdjsonGzip(fs.readFileSync(path.join(dir, writer.prefix, "activity.ndjson.gz")))) out.push(record);
  return out;
}
const expected = [...byUser].map(([accountId, seen]) => ({ accountId, ...seen }));

describe("activityAsRead", () => {
  it("works out the map and stores activity.ndjson.gz as soon as the activity reads end", async () => {
    const early = activityAsRead(writer, read(), { orgDates: false, runFailed: () => false });
    expect(await early.byUser).toEqual(byUser);
    expect(await early.file).toBe("stored");
    expect(await activityLines()).toEqual(expected);
  });

  it("waits when org last-active dates are still to be added, or the activity reads failed: nothing is opened", async () => {
    for (const early of [activityAsRead(writer, read(), { orgDates: true, runFailed: () => false }), activityAsRead(writer, Promise.resolve(undefined), { orgDates: false, runFailed: () => false })]) {
      expect(await early.byUser).toBeUndefined();
      expect(await early.file).toBe("later");
    }
    // The file can still be written once, later.
    await storeActivityFile(writer, byUser);
    expect(await activityLines()).toEqual(expected);
  });

  it("opens nothing once the run has failed, so the failed manifest finds no stream open", async () => {
    let failed = false;
    let release!: () => void;
    const slowRead = new Promise<void>((resolve) => (release = resolve)).then(() => ({ accumulator: { result: () => new Map(byUser) } }));
    const early = activityAsRead(writer, slowRead, { orgDates: false, runFailed: () => failed });
    failed = true;
    release();
    expect(await early.file).toBe("later");
    await writer.finish({ complete: false, failed: true, reasons: ["boom"], connector: "acme", site: "acme.atlassian.net", cloudId: "c" } as never);
    expect(fs.existsSync(path.join(dir, writer.prefix, "activity.ndjson.gz"))).toBe(false);
  });

  it("rejects `file` when storing fails, and `byUser` and `file` when the reads do", async () => {
    writer.activity(); // opened elsewhere: a second open is refused
    const early = activityAsRead(writer, read(), { orgDates: false, runFailed: () => false });
    await expect(early.file).rejects.toThrow(/already opened/);
    const failing = activityAsRead(writer, Promise.reject(new Error("audit read failed")), { orgDates: false, runFailed: () => false });
    await expect(failing.byUser).rejects.toThrow("audit read failed");
    await expect(failing.file).rejects.toThrow("audit read failed");
  });
});
