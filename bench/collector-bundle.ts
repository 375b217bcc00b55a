/**
 * The collector bundle's size and cold import time: `npm run bench:bundle` (builds first). Each sample is a fresh
 * Node process that requires the bundle from a directory without node_modules (as Lambda loads it), minus a
 * baseline process that requires nothing. Prints a table; asserts nothing (timings depend on the machine).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";

const BUNDLE = path.resolve(__dirname, "..", "bin", "lambda", "collector", "index.js");
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 15);

function processMs(script: string, cwd: string): number {
  const out = execFileSync(process.execPath, ["-e", `const t=process.hrtime.bigint();${script};console.log(Number(process.hrtime.bigint()-t)/1e6)`], {
    cwd,
    encoding: "utf8",
  });
  return Number(out.trim());
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function main(): void {
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collector-bundle-bench-"));
  try {
    fs.copyFileSync(BUNDLE, path.join(dir, "index.js"));
    const imports: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      imports.push(processMs('require("./index.js")', dir));
      const started = process.hrtime.bigint();
      execFileSync(process.execPath, ["-e", 'require("./index.js")'], { cwd: dir });
      const withBundle = Number(process.hrtime.bigint() - started) / 1e6;
      const baseStarted = process.hrtime.bigint();
      execFileSync(process.execPath, ["-e", ""], { cwd: dir });
      wall.push(withBundle - Number(process.hrtime.bigint() - baseStarted) / 1e6);
    }
    const bytes = fs.statSync(BUNDLE).size;
    const gzipped = zlib.gzipSync(fs.readFileSync(BUNDLE)).length;
    console.table({
      "bundle size (KB, minified)": (bytes / 1024).toFixed(0),
      "bundle size (KB, gzipped)": (gzipped / 1024).toFixed(0),
      "cold require, median (ms)": median(imports).toFixed(1),
      "cold require, max (ms)": Math.max(...imports).toFixed(1),
      "process overhead vs empty node, median (ms)": median(wall).toFixed(1),
      samples: SAMPLES,
      node: process.version,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
