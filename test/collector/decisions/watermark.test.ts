import { auditFetchStart, nextAuditWatermark } from "../../../collector/decisions/watermark";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const rec = (...created: string[]) => created.map((c) => ({ created: c }));

describe("auditFetchStart", () => {
  test("first run looks back the configured number of days", () => {
    expect(auditFetchStart(null, NOW).toISOString()).toBe("2026-03-03T12:00:00.000Z");
    expect(auditFetchStart(undefined, NOW, { firstRunLookbackDays: 7 }).toISOString()).toBe("2026-05-25T12:00:00.000Z");
  });

  test("later runs start at the watermark minus the overlap margin", () => {
    expect(auditFetchStart("2026-05-31T10:00:00.000Z", NOW).toISOString()).toBe("2026-05-31T09:55:00.000Z");
    expect(auditFetchStart("2026-05-31T10:00:00.000+0000", NOW, { overlapMs: 0 }).toISOString()).toBe("2026-05-31T10:00:00.000Z");
  });

  test("an unreadable stored watermark falls back to the first-run lookback", () => {
    expect(auditFetchStart("corrupt", NOW, { firstRunLookbackDays: 1 }).toISOString()).toBe("2026-05-31T12:00:00.000Z");
  });
});

describe("nextAuditWatermark", () => {
  test.each([
    {
      name: "first run advances to the newest record (Jira's +0000 format)",
      previous: null,
      records: rec("2026-05-30T08:00:00.000+0000", "2026-05-31T09:15:42.967+0000"),
      complete: true,
      expected: { watermark: "2026-05-31T09:15:42.967Z", advanced: true, reason: "advanced" },
    },
    {
      name: "offsets are honoured: +05:30 and Z compare as instants",
      previous: "2026-05-31T00:00:00.000Z",
      records: rec("2026-05-31T10:00:00.000+05:30", "2026-05-31T04:00:00.000Z"),
      complete: true,
      expected: { watermark: "2026-05-31T04:30:00.000Z", advanced: true, reason: "advanced" },
    },
    {
      name: "never backwards: older records than the watermark keep it",
      previous: "2026-05-31T10:00:00.000Z",
      records: rec("2026-05-31T09:55:00.000+0000", "2026-05-31T10:00:00.000+0000"),
      complete: true,
      expected: { watermark: "2026-05-31T10:00:00.000Z", advanced: false, reason: "no-newer-records" },
    },
    {
      name: "a partial fetch keeps the old watermark even with newer records",
      previous: "2026-05-31T10:00:00.000Z",
      records: rec("2026-06-01T11:00:00.000+0000"),
      complete: false,
      expected: { watermark: "2026-05-31T10:00:00.000Z", advanced: false, reason: "fetch-incomplete" },
    },
    {
      name: "a partial first run stays null",
      previous: undefined,
      records: rec("2026-06-01T11:00:00.000+0000"),
      complete: false,
      expected: { watermark: null, advanced: false, reason: "fetch-incomplete" },
    },
    {
      name: "no records keeps the previous watermark",
      previous: "2026-05-31T10:00:00.000+0000",
      records: rec(),
      complete: true,
      expected: { watermark: "2026-05-31T10:00:00.000Z", advanced: false, reason: "no-newer-records" },
    },
    {
      name: "no records on the first run stays null",
      previous: null,
      records: rec(),
      complete: true,
      expected: { watermark: null, advanced: false, reason: "no-newer-records" },
    },
    {
      name: "a future-dated record (clock skew) is clamped to now",
      previous: null,
      records: rec("2026-06-02T00:00:00.000+0000"),
      complete: true,
      expected: { watermark: NOW.toISOString(), advanced: true, reason: "advanced" },
    },
  ])("$name", ({ previous, records, complete, expected }) => {
    expect(nextAuditWatermark({ previous, records, fetchCompleted: complete, now: NOW })).toEqual({ ...expected, unparsed: 0 });
  });

  test("unparseable timestamps are counted and ignored", () => {
    const d = nextAuditWatermark({
      previous: null,
      records: rec("19/03/2014", "2026-05-01T00:00:00.000+0000"),
      fetchCompleted: true,
      now: NOW,
    });
    expect(d).toEqual({ watermark: "2026-05-01T00:00:00.000Z", advanced: true, reason: "advanced", unparsed: 1 });
  });

  test("an unreadable previous watermark is replaced by what was fetched", () => {
    const d = nextAuditWatermark({ previous: "garbage", records: rec("2026-05-01T00:00:00Z"), fetchCompleted: true, now: NOW });
    expect(d.watermark).toBe("2026-05-01T00:00:00.000Z");
  });

  test("accepts any iterable (streaming)", () => {
    function* stream() {
      yield { created: "2026-05-01T00:00:00.000+0000" };
      yield { created: "2026-05-02T00:00:00.000+0000" };
    }
    expect(nextAuditWatermark({ previous: null, records: stream(), fetchCompleted: true, now: NOW }).watermark).toBe(
      "2026-05-02T00:00:00.000Z",
    );
  });

  test("property: over a sequence of runs the watermark is monotonic", () => {
    let mark: string | null = null;
    const runs = [
      { records: rec("2026-05-10T00:00:00Z"), complete: true },
      { records: rec("2026-05-01T00:00:00Z"), complete: true },
      { records: rec("2026-05-20T00:00:00Z"), complete: false },
      { records: rec("2026-05-15T00:00:00Z"), complete: true },
    ];
    const seen: string[] = [];
    for (const run of runs) {
      mark = nextAuditWatermark({ previous: mark, records: run.records, fetchCompleted: run.complete, now: NOW }).watermark;
      seen.push(mark!);
    }
    expect(seen).toEqual(["2026-05-10T00:00:00.000Z", "2026-05-10T00:00:00.000Z", "2026-05-10T00:00:00.000Z", "2026-05-15T00:00:00.000Z"]);
  });
});
