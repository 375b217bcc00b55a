import * as fs from "fs";
import * as path from "path";

/**
 * The installed package's version, from the nearest `jira-connectors` package.json above this file: the same
 * lookup works from the sources (cli/), the build (bin/cli/) and an installed copy (node_modules/jira-connectors).
 */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "jira-connectors" && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}
