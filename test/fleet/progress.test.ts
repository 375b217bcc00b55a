/** Scan progress: the pure line format and throttle, then the CLI — silent on a pipe, on stderr only when shown. */
import { fleetProgressReporter, formatFleetProgress, throttle } from "../../fleet/progress";
import { runInProcess } from "../cli/helpers";
import { startFleet, type Fleet } from "./fixture";

test("format: stage, count of total with its unit, DuckDB's percentage (clamped, -1 left out), elapsed seconds", () => {
  expect(formatFleetProgress({ stage: "counting snapshots", done: 120, unit: "snapshot(s)" }, 1234)).toBe("fleet: counting snapshots — 120 snapshot(s) (1.2 s)");
  expect(formatFleetProgress({ stage: "query 2/4: seat holders", percent: 37.8 }, 0)).toBe("fleet: query 2/4: seat holders — 37% (0.0 s)");
  expect(formatFleetProgress({ stage: "q", done: 3, total: 4, percent: -1 }, 50)).toBe("fleet: q — 3/4 (0.1 s)");
  expect(formatFleetProgress({ stage: "q", percent: 130 }, 0)).toBe("fleet: q — 100% (0.0 s)");
});

test("throttle: a new stage always draws; the same stage at most once per interval", () => {
  let t = throttle(undefined, "a", 0, 100);
  expect(t.draw).toBe(true);
  t = throttle(t.state, "a", 50, 100);
  expect(t.draw).toBe(false);
  t = throttle(t.state, "b", 60, 100);
  expect(t.draw).toBe(true);
  expect(throttle(t.state, "b", 159, 100).draw).toBe(false);
  expect(throttle(t.state, "b", 160, 100).draw).toBe(true);
});

test("reporter: 1000 updates in one stage draw once; a terminal line is redrawn and cleared, a pipe gets whole lines", () => {
  let clock = 0;
  const redraws: string[] = [];
  const lines: string[] = [];
  const tty = fleetProgressReporter({ redraw: (l) => redraws.push(l), line: (l) => lines.push(l) }, { tty: true, now: () => clock });
  for (let i = 1; i <= 1000; i++) tty.report({ stage: "counting snapshots", done: i });
  clock = 250;
  tty.report({ stage: "counting snapshots", done: 1001 });
  tty.done();
  expect(redraws).toEqual(["fleet: counting snapshots — 1 (0.0 s)", "fleet: counting snapshots — 1001 (0.3 s)", ""]);
  expect(lines).toEqual([]);
  const plain = fleetProgressReporter({ redraw: (l) => redraws.push(l), line: (l) => lines.push(l) }, { tty: false, now: () => clock });
  plain.report({ stage: "creating views" });
  plain.report({ stage: "query 1/4: seats per product" });
  plain.done();
  expect(lines).toEqual(["fleet: creating views (0.0 s)", "fleet: query 1/4: seats per product (0.0 s)"]);
});

describe("the CLI over the emulator", () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet();
    await fleet.collectAll();
  }, 120_000);
  afterAll(async () => fleet?.close());

  test("stderr not a terminal: no progress from fleet-report or query (text or --json)", async () => {
    for (const args of [["fleet-report", fleet.dir], ["fleet-report", fleet.dir, "--json"], ["query", "SELECT COUNT(*) AS n FROM users", "--snapshots", fleet.dir]]) {
      const run = await runInProcess(args, {});
      expect([args, run.code, run.stderr]).toEqual([args, 0, ""]);
    }
  });

  test("--progress (or a terminal): stage lines on stderr, every stage of the report; stdout is still one JSON document", async () => {
    const run = await runInProcess(["fleet-report", fleet.dir, "--json", "--progress"], {});
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).ok).toBe(true);
    expect(run.stdout).not.toContain("fleet:");
    const stages = run.stderr.trim().split("\n").map((l) => l.replace(/ — .*| \(.*/g, ""));
    expect(stages).toEqual(expect.arrayContaining(["fleet: counting snapshots", "fleet: creating views", "fleet: query 1/4: seats per product", "fleet: query 4/4: seats over time"]));
    const tty = await runInProcess(["query", "SELECT COUNT(*) AS n FROM users", "--snapshots", fleet.dir], {}, { tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/fleet: running the query/);
    // Cleared before the table: the last thing on stderr is the erase of the status line.
    expect(tty.stderr.endsWith("\r\u001b[2K")).toBe(true);
    expect(tty.stdout).not.toContain("fleet:");
  });
});
