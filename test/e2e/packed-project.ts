import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../support/user-project";

/**
 * A throwaway Pulumi project in os.tmpdir() with `jira-connectors` installed from the tarball `npm pack` makes,
 * exactly as a user installs it: nothing links back to this repository. The install is `npm ci --offline`: its
 * lockfile is this repository's, minus the dev-only entries, so every package comes from the npm cache that the
 * repository's own `npm ci` filled (npm caches tarballs, not the registry's metadata a lockless install needs).
 */
export interface PackedProject {
  dir: string;
  backendDir: string;
  homeDir: string;
  tarball: string;
  /** The tarball's paths, from `npm pack --json`. */
  files: string[];
  remove(): void;
}

interface Lockfile {
  packages: Record<string, { dev?: boolean } & Record<string, unknown>>;
}

export function createPackedProject(programDir: string): PackedProject {
  if (!fs.existsSync(path.join(REPO_ROOT, "bin/providers/jira-connection/runtime.js"))) {
    throw new Error("bin/ is missing: run `npm run build` first (npm test does)");
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "jira-connectors-packed-"));
  const dir = path.join(root, "project");
  const backendDir = path.join(root, "backend");
  const homeDir = path.join(root, "pulumi-home");
  for (const d of [dir, backendDir, homeDir]) fs.mkdirSync(d, { recursive: true });

  // --ignore-scripts: `prepare` would rebuild bin/ while other test files read it; npm test built it already.
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", root], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
  ) as { filename: string; files: { path: string }[] }[];
  const tarball = path.join(root, packed[0].filename);

  for (const file of fs.readdirSync(programDir)) fs.copyFileSync(path.join(programDir, file), path.join(dir, file));
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  const spec = `file:../${path.basename(tarball)}`;
  const dependencies = { "jira-connectors": spec, "@pulumi/pulumi": pkg.dependencies["@pulumi/pulumi"], "@pulumi/aws": pkg.dependencies["@pulumi/aws"] };
  const manifest = { name: "jira-connectors-packed", private: true, main: "index.js", dependencies };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));

  const repoLock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as Lockfile;
  const packages: Lockfile["packages"] = { "": { name: manifest.name, dependencies } };
  packages["node_modules/jira-connectors"] = {
    version: pkg.version,
    resolved: spec,
    integrity: `sha512-${createHash("sha512").update(fs.readFileSync(tarball)).digest("base64")}`,
    license: pkg.license,
    dependencies: pkg.dependencies,
    bin: pkg.bin,
    engines: pkg.engines,
  };
  // The repository's runtime dependencies are the package's: the non-dev entries are its whole install tree.
  for (const [key, entry] of Object.entries(repoLock.packages)) if (key !== "" && !entry.dev) packages[key] = entry;
  fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify({ name: manifest.name, lockfileVersion: 3, requires: true, packages }, null, 2));
  // --ignore-scripts: jira-connectors has none, and skipping its dependencies' (a version check) keeps this offline.
  execFileSync("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });

  return { dir, backendDir, homeDir, tarball, files: packed[0].files.map((f) => f.path), remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
