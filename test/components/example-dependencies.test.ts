/** The examples depend on the published package by version (a checkout installs itself over it; see their READMEs). */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLES = fs.readdirSync(path.join(ROOT, "examples")).filter((d) => fs.existsSync(path.join(ROOT, "examples", d, "package.json")));

test.each(EXAMPLES)("examples/%s depends on jira-connectors ^<this version> and documents installing a checkout", (example) => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", example, "package.json"), "utf8"));
  expect(manifest.dependencies["jira-connectors"]).toBe(`^${version}`);
  expect(fs.readFileSync(path.join(ROOT, "examples", example, "README.md"), "utf8")).toContain("npm install --no-save --install-links ../..");
});
