import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/**
 * The collector's Lambda code: `collector/lambda.ts` bundled by esbuild into one minified CommonJS file
 * (`scripts/build-collector-bundle.ts`, part of `npm run build`). The AWS SDK v3 clients are left out: the
 * `nodejs22.x` runtime provides them.
 */
export const COLLECTOR_BUNDLE = path.join("bin", "lambda", "collector", "index.js");
/** `index.js` exports `handler`. */
export const COLLECTOR_HANDLER = "index.handler";

/** The package root: the nearest directory above this file whose package.json is `jira-connectors`. */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "jira-connectors") {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`jira-connectors: package.json not found above ${__dirname}`);
  }
}

export function collectorBundlePath(): string {
  const bundle = path.join(packageRoot(), COLLECTOR_BUNDLE);
  if (!fs.existsSync(bundle)) {
    throw new Error(`the collector bundle ${bundle} is missing: run \`npm run build\` in jira-connectors`);
  }
  return bundle;
}

/** The function's code archive: the bundle as `index.js`. Its hash changes exactly when the bundle does. */
export function collectorArchive(): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(collectorBundlePath()) });
}
