import { type Combination, expectTruthfulClassification, startEvidenceSite } from "../support/evidence-combinations";

/**
 * A 10k-user site collected with OAuth alone and with the license API token: every seat holder's evidence strength
 * (active, inactive, unknown) must be what the emulator's seeded behaviour implies for the sources each reaches. The
 * org key's combination is in evidence-ground-truth-10k-org.test.ts.
 */
let site: Awaited<ReturnType<typeof startEvidenceSite>>;
beforeAll(async () => {
  site = await startEvidenceSite(10_000);
});
afterAll(() => site.close());

test.each<Combination>(["oauth", "oauth+token"])("%s: every holder's classification matches the emulator's truth", (combination) => expectTruthfulClassification(site.emulator, combination, site.dir), 300_000);
