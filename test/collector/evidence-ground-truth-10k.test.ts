import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Combination, expectTruthfulClassification } from "../support/evidence-combinations";

/**
 * A 10k-user site collected with OAuth alone and with the license API token: every seat holder's evidence strength
 * (active, inactive, unknown) must be what the emulator's seeded behaviour implies for the sources each reaches. The
 * org key's combination is in evidence-ground-truth-10k-org.test.ts.
 */
let emulator: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  // A frozen clock: the window boundary and the seeded actions keep their distance however long the runs take.
  emulator = await startAtlassianEmulator({ sites: [{ name: "big", users: 10_000, auditRecords: 2000 }], burst: { perSecond: 100_000 }, pointsPerHour: 10_000_000 });
  emulator.clock.freeze();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "evidence-10k-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.each<Combination>(["oauth", "oauth+token"])("%s: every holder's classification matches the emulator's truth", (combination) => expectTruthfulClassification(emulator, combination, dir), 300_000);
