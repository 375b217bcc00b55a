/** `fleet-report`: the pure model on small rows, then the command over an emulated three-site fleet. */
import { runInProcess } from "../cli/helpers";
import { fleetReportModel } from "../../cli/fleet-report/model";
import { renderFleetReport } from "../../cli/fleet-report/terminal";
import { FLEET_SITES, startFleet, type Fleet } from "./fixture";

const product = (connector: string) => ({ connector, product_key: "jira-software", product_name: "Jira Software", billable: true, seats_purchased: 10, seats_used: 2, inactive_holders: 1, unknown_holders: 1 });

test("model: a person is idle everywhere only when every site holding their seat lists them; cost counts each person once per site", () => {
  const model = fleetReportModel({
    products: [product("a"), product("b")],
    holders: [
      { connector: "a", account_id: "p1", display_name: "Pat" },
      { connector: "b", account_id: "p1", display_name: "Pat" },
      { connector: "a", account_id: "p2", display_name: "Sam" },
      { connector: "b", account_id: "p3", display_name: "Lee" },
    ],
    inactive: [
      { connector: "a", account_id: "p1", evidence: "inactive", person_monthly_cost: 10 },
      { connector: "a", account_id: "p1", evidence: "inactive", person_monthly_cost: 10 }, // a second seat, same person
      { connector: "b", account_id: "p1", evidence: "unknown", person_monthly_cost: 5 },
      { connector: "b", account_id: "p3", evidence: "inactive", person_monthly_cost: 5 },
    ],
    trend: [],
  });
  expect(model.multiSite).toEqual([{ accountId: "p1", displayName: "Pat", sites: ["a", "b"] }]);
  expect(model.idleEverywhere).toEqual([
    { accountId: "p3", displayName: "Lee", sites: ["b"], evidence: "inactive" },
    { accountId: "p1", displayName: "Pat", sites: ["a", "b"], evidence: "unknown" },
  ]);
  expect(model.idleCost).toEqual([
    { connector: "a", inactiveMonthly: 10, unknownMonthly: 0 },
    { connector: "b", inactiveMonthly: 5, unknownMonthly: 5 },
  ]);
  // Without prices the cost is unknown, never 0.
  const unpriced = fleetReportModel({ products: [product("a")], holders: [], inactive: [{ connector: "a", account_id: "p", evidence: "inactive", person_monthly_cost: null }], trend: [] });
  expect(unpriced.idleCost[0]!.inactiveMonthly).toBeNull();
  const text = renderFleetReport({ ...model, multiSite: [{ accountId: "p1", displayName: "\u001b[2JPat\u202e", sites: ["a"] }] });
  expect(text).not.toMatch(/[\u001b\u202e]/);
});

describe("over the emulator", () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet();
    await fleet.collectAll();
    await fleet.collectAll(86_400_000);
  }, 120_000);
  afterAll(async () => fleet?.close());

  test("--json: every site's products, the admin on all three sites, and two snapshots per site in the trend", async () => {
    const run = await runInProcess(["fleet-report", fleet.dir, "--json"], {});
    expect(run.code).toBe(0);
    const { report } = JSON.parse(run.stdout);
    expect(report.connectors).toEqual([...FLEET_SITES]);
    for (const site of FLEET_SITES) {
      for (const role of fleet.emu.site(site).applicationRoles) {
        expect(report.products).toContainEqual(expect.objectContaining({ connector: site, product_key: role.key, seats_purchased: role.numberOfSeats }));
      }
    }
    const admin = fleet.emu.site("acme").admin;
    expect(report.multiSite).toContainEqual({ accountId: admin.accountId, displayName: "Alex Admin", sites: [...FLEET_SITES] });
    expect(report.idleEverywhere.map((p: { accountId: string }) => p.accountId)).not.toContain(admin.accountId);
    // acme is priced in the fixture: its unverified cost is a figure; unpriced sites with unknown holders have none.
    const cost = Object.fromEntries(report.idleCost.map((c: { connector: string; unknownMonthly: number | null }) => [c.connector, c.unknownMonthly]));
    expect(cost.acme).toBeGreaterThan(0);
    expect(cost.globex).toBeNull();
    expect(report.trend.filter((t: { connector: string }) => t.connector === "acme")).toHaveLength(2);
    const text = await runInProcess(["fleet-report", fleet.dir], {});
    expect(text.stdout).toMatch(/^Fleet report — 3 connector\(s\): acme, globex, initech/);
    expect(text.stdout).toContain("Alex Admin");
  });
});
