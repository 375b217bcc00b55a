import { type Combination, expectTruthfulClassification, startEvidenceSite } from "../support/evidence-combinations";

/**
 * A 10k-user site collected with OAuth, the license API token and the org key: every seat holder's evidence strength
 * must be what the emulator's seeded behaviour implies. One org request per holder, so it has its own file (jest
 * schedules files in parallel); the other combinations are in evidence-ground-truth-10k.test.ts.
 */
let site: Awaited<ReturnType<typeof startEvidenceSite>>;
beforeAll(async () => {
  site = await startEvidenceSite(10_000);
});
afterAll(() => site.close());

test.each<Combination>(["oauth+token+org"])("%s: every holder's classification matches the emulator's truth", (combination) => expectTruthfulClassification(site.emulator, combination, site.dir), 300_000);
