import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../support/user-project";

/**
 * A throwaway Pulumi project for the real engine: the program in ./program, with `jira-connectors` installed as a
 * user would have it — a copy of the built package (package.json + bin/) in node_modules, so the suite can
 * "upgrade" it — and every other dependency linked from this repository's node_modules (one @pulumi/pulumi
 * instance for the program and the provider). Also holds the file backend and PULUMI_HOME, so nothing is
 * written to ~/.pulumi.
 */
export interface EngineProject {
  /** The Pulumi project directory (Pulumi.yaml, index.js, node_modules/). */
  dir: string;
  /** `file://` backend directory for `pulumi login`. */
  backendDir: string;
  /** PULUMI_HOME (credentials.json, plugin cache, workspace settings). */
  homeDir: string;
  /** Simulates a package upgrade: trivially changes the provider's implementation and its serialized shim. */
  upgradeProvider(marker: string): void;
  remove(): void;
}

const PACKAGE_DIR = "node_modules/jira-connectors";
const SHIM = `${PACKAGE_DIR}/bin/providers/jira-connection/provider.js`;
const IMPLEMENTATION = `${PACKAGE_DIR}/bin/providers/jira-connection/runtime.js`;

export interface EngineProjectOptions {
  /**
   * Where the dependencies other than jira-connectors are linked from (default: this repository's node_modules).
   * test/e2e/runtime.test.ts passes the throwaway install of the newest @pulumi/pulumi that
   * scripts/install-runtime.sh made.
   */
  modulesDir?: string;
  /** The file of ./program that becomes the project's index.js (default index.js). */
  program?: string;
}

export function createEngineProject(options: EngineProjectOptions = {}): EngineProject {
  const program = options.program ?? "index.js";
  if (!fs.existsSync(path.join(REPO_ROOT, "bin/providers/jira-connection/runtime.js"))) {
    throw new Error("bin/ is missing: run `npm run build` first (npm test does)");
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "jira-connectors-e2e-"));
  const dir = path.join(root, "project");
  const backendDir = path.join(root, "backend");
  const homeDir = path.join(root, "pulumi-home");
  for (const d of [dir, backendDir, homeDir, path.join(dir, "node_modules")]) fs.mkdirSync(d, { recursive: true });

  fs.copyFileSync(path.join(__dirname, "program", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.copyFileSync(path.join(__dirname, "program", program), path.join(dir, "index.js"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "jira-connectors-e2e", private: true, main: "index.js" }));

  const repoModules = options.modulesDir ?? path.join(REPO_ROOT, "node_modules");
  for (const entry of fs.readdirSync(repoModules)) {
    if (entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(repoModules, entry), path.join(dir, "node_modules", entry), "dir");
  }
  fs.mkdirSync(path.join(dir, PACKAGE_DIR));
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(dir, PACKAGE_DIR, "package.json"));
  fs.cpSync(path.join(REPO_ROOT, "bin"), path.join(dir, PACKAGE_DIR, "bin"), { recursive: true });

  return {
    dir,
    backendDir,
    homeDir,
    upgradeProvider(marker) {
      const shim = path.join(dir, SHIM);
      const text = fs.readFileSync(shim, "utf8");
      // A comment inside a serialized method changes the `__provider` text the engine receives.
      const changed = text.replace("check: async (olds, news) => load().check(olds, news)", `check: async (olds, news) => /* ${marker} */ load().check(olds, news)`);
      if (changed === text) throw new Error(`the shim in ${SHIM} no longer has the expected check method`);
      fs.writeFileSync(shim, changed);
      fs.appendFileSync(path.join(dir, IMPLEMENTATION), `\nexports.upgradeMarker = ${JSON.stringify(marker)};\n`);
    },
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
