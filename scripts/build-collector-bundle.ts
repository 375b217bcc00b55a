/**
 * Bundles the collector's Lambda entry (`collector/lambda.ts`) into `bin/lambda/collector/index.js` with esbuild:
 * one minified CommonJS file for `nodejs22.x`, which `components/collector-bundle.ts` ships as the function's code.
 * Part of `npm run build`. Fails when the bundle exceeds its 1 MB budget; prints its size.
 *
 * - `@aws-sdk/*` stays external: the Lambda runtime provides the SDK v3 clients, and the collector `require`s them
 *   lazily inside functions.
 * - `whatwg-url` (pulled in by node-fetch 2, ~290 KB with `tr46`) is replaced by Node's own `URL`: node-fetch only
 *   falls back to it when `require("url").URL` is missing, which never happens on Node ≥ 10.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { build, type Plugin } from "esbuild";

const ROOT = path.resolve(__dirname, "..");
const BUNDLE_OUTFILE = path.join(ROOT, "bin", "lambda", "collector", "index.js");
const BUNDLE_BUDGET_BYTES = 1_000_000;

const nodeUrlInsteadOfWhatwgUrl: Plugin = {
  name: "node-url-instead-of-whatwg-url",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: "whatwg-url", namespace: "node-url-shim" }));
    pluginBuild.onLoad({ filter: /.*/, namespace: "node-url-shim" }, () => ({
      contents: 'module.exports = { URL: require("url").URL };',
      loader: "js",
    }));
  },
};

async function main(): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, "collector", "lambda.ts")],
    outfile: BUNDLE_OUTFILE,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    // Keep function and class names: errors are identified by `name`, and stack traces stay readable.
    keepNames: true,
    external: ["@aws-sdk/*"],
    plugins: [nodeUrlInsteadOfWhatwgUrl],
    legalComments: "eof",
    logLevel: "warning",
  });
  const bytes = fs.statSync(BUNDLE_OUTFILE).size;
  const gzipped = zlib.gzipSync(fs.readFileSync(BUNDLE_OUTFILE)).length;
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  console.log(`collector bundle: ${path.relative(ROOT, BUNDLE_OUTFILE)} ${kb(bytes)} minified (${kb(gzipped)} gzipped), budget ${kb(BUNDLE_BUDGET_BYTES)}`);
  if (bytes > BUNDLE_BUDGET_BYTES) {
    throw new Error(`the collector bundle is ${bytes} bytes, over its ${BUNDLE_BUDGET_BYTES}-byte budget`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
