import { execFileSync } from "child_process";
import * as path from "path";

/**
 * The library entry (`jira-connectors`, bin/index.js) only exports: importing it outside a Pulumi program must not
 * register anything (a registration there throws "Program run without the Pulumi engine available"). And the
 * repository resolves itself by name (package.json `exports`), which is how the JiraConnection shim loads its
 * implementation when the root program (`program/`) runs from the checkout. Requires `npm run build`.
 */

const REPO_ROOT = path.resolve(__dirname, "../..");

test("importing the library registers no resource; the package resolves itself by name from the repository", () => {
  const script = `
    const lib = require("jira-connectors");
    const runtime = require.resolve("jira-connectors/bin/providers/jira-connection/runtime");
    console.log(JSON.stringify({
      exports: ["JiraConnector", "JiraConnection", "SharedConnectorStorage", "atlassian"].filter((k) => k in lib),
      main: require.resolve("jira-connectors"),
      runtime,
    }));`;
  const out = execFileSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, encoding: "utf8", timeout: 20_000 });
  expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual({
    exports: ["JiraConnector", "JiraConnection", "SharedConnectorStorage", "atlassian"],
    main: path.join(REPO_ROOT, "bin", "index.js"),
    runtime: path.join(REPO_ROOT, "bin", "providers", "jira-connection", "runtime.js"),
  });
});

test("Pulumi.yaml runs the program file, not the library (a folder `main:` would fall back to package.json's entry)", () => {
  const fs = require("fs") as typeof import("fs");
  const project = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8");
  const main = /^main:\s*(\S+)\s*$/m.exec(project)?.[1];
  expect(main).toBe("program/index.ts");
  expect(fs.statSync(path.join(REPO_ROOT, main!)).isFile()).toBe(true);
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  expect([manifest.main, manifest.exports["."].default]).toEqual(["bin/index.js", "./bin/index.js"]);
});
