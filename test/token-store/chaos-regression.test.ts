/**
 * A fast smoke of the token-chaos bench (bench/token-chaos/run.ts): seeds 1 and 424242, a few dozen runs each, on
 * the file store and on Secrets Manager (moto). Any protocol violation fails; "unrecoverable by design" cases are
 * reported by the bench but do not fail. Simulated time only: no wall-clock assertions.
 */
import { runTokenChaos, type StoreKind } from "../../bench/token-chaos/run";
import { motoForSuite } from "../support/moto";

motoForSuite();

const cases: [number, StoreKind, number][] = [
  [1, "file", 60],
  [424242, "file", 60],
  [1, "sm", 30],
  [424242, "sm", 30],
];

test.each(cases)("seed %i on the %s store: no protocol violation", async (seed, store, runs) => {
  const figures = await runTokenChaos({ seed, runs, store });
  expect(figures.violations).toEqual([]);
  expect(figures.finalRotation).toBe("rotated");
}, 120_000);
