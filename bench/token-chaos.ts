/**
 * `npm run bench:token-chaos -- --seed N [--seed M …] [--runs N] [--store file|sm|both]` — randomized token rotation
 * through production's paths (collector, `pulumi up`/`check`, `collect --refresh-token`) against the emulator's
 * real rotation rules, on the file store and/or Secrets Manager (moto). See bench/token-chaos/run.ts for the model
 * and bench/token-chaos/invariant.ts for what is checked. Exits 1 on any protocol violation.
 */
import { startMoto, type Moto } from "../test/support/moto";
import { report } from "./token-chaos/report";
import { runTokenChaos, type StoreKind } from "./token-chaos/run";

function args(name: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === `--${name}` && process.argv[i + 1] !== undefined) out.push(process.argv[i + 1]);
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  });
  return out;
}

async function main() {
  const seeds = args("seed").map(Number);
  if (seeds.length === 0) seeds.push(Math.floor(Math.random() * 2 ** 31));
  const runs = Number(args("runs")[0] ?? 1000);
  const storeArg = args("store")[0] ?? "both";
  if (!["file", "sm", "both"].includes(storeArg)) throw new Error(`--store must be file, sm or both (got ${storeArg})`);
  const stores: StoreKind[] = storeArg === "both" ? ["file", "sm"] : [storeArg as StoreKind];
  let moto: Moto | undefined;
  if (stores.includes("sm")) {
    moto = await startMoto();
    Object.assign(process.env, moto.env);
  }
  let violations = 0;
  try {
    for (const seed of seeds) {
      for (const store of stores) {
        const figures = await runTokenChaos({ seed, runs, store });
        violations += figures.violations.length;
        console.log(report(figures));
      }
    }
  } finally {
    await moto?.stop();
  }
  if (violations > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
