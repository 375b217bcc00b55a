import { DEFAULT_SCHEDULE } from "../../components/args";
import { staggeredSchedules, staggeredSlot } from "../../components/schedule-stagger";

describe("staggered default schedules", () => {
  test("connectors of one OAuth app get an hour each; another app starts again at the default; explicit schedules are kept", () => {
    expect(
      staggeredSchedules([
        { clientId: "app-a" },
        { clientId: "app-a" },
        { clientId: "app-b" },
        { clientId: "app-a", expression: "cron(30 4 * * ? *)" },
        { clientId: "app-a", expression: "  " },
      ]),
    ).toEqual([DEFAULT_SCHEDULE, "cron(0 0 * * ? *)", DEFAULT_SCHEDULE, "cron(30 4 * * ? *)", "cron(0 1 * * ? *)"]);
  });

  test("beyond 24 connectors the hours repeat at :20, then :40; every slot of the first 72 is distinct", () => {
    expect(staggeredSlot(23)).toBe("cron(0 22 * * ? *)");
    expect(staggeredSlot(24)).toBe("cron(20 23 * * ? *)");
    expect(staggeredSlot(48)).toBe("cron(40 23 * * ? *)");
    expect(new Set(Array.from({ length: 72 }, (_, k) => staggeredSlot(k))).size).toBe(72);
  });

  test("scoped-token connectors (no OAuth app) keep the default and take no app's slot", () => {
    expect(staggeredSchedules([{ clientId: "app-a" }, {}, { clientId: "app-a" }, {}])).toEqual([DEFAULT_SCHEDULE, DEFAULT_SCHEDULE, "cron(0 0 * * ? *)", DEFAULT_SCHEDULE]);
  });
});
