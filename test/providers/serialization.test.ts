import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { jiraConnectionProvider } from "../../providers/jira-connection";
import { createUserProject } from "../support/user-project";

/** The provider must survive Pulumi's closure serializer and work when loaded the way the host loads it. */

test("serializes to a small shim that captures nothing and loads the installed implementation", async () => {
  const { text } = await pulumi.runtime.serializeFunction(() => jiraConnectionProvider, { allowSecrets: true });
  expect(text).toContain('"jira-connectors/bin/providers/jira-connection/runtime"');
  expect(text.length).toBeLessThan(5000);
  expect(text).not.toMatch(/require\("(zod|node-fetch|@aws-sdk)/);
  const project = createUserProject();
  const cwd = process.cwd();
  try {
    process.chdir(project.dir);
    const loaded = require("require-from-string")(text).handler();
    const { failures } = await loaded.check({}, { site: "https://acme.atlassian.net/jira" });
    expect(failures.map((f: { property: string }) => f.property)).toEqual(["site", "scopedApiToken"]);
  } finally {
    process.chdir(cwd);
    project.remove();
  }
});
