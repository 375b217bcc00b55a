import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "../..");

/**
 * A throwaway "user project" directory in which `jira-connectors` is installed (a symlink to this repository,
 * as `npm link` would make). Pulumi runs dynamic providers with the project directory as working directory, so
 * tests run the provider host there to resolve the package exactly as a user's installation does.
 * Requires `npm run build` (which `npm test` runs first).
 */
export function createUserProject(): { dir: string; remove(): void } {
  if (!fs.existsSync(path.join(REPO_ROOT, "bin/providers/jira-connection/runtime.js"))) {
    throw new Error("bin/ is missing: run `npm run build` first (npm test does)");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jira-connectors-project-"));
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "jira-connectors"), "dir");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true }));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
