/**
 * jira-connectors: Atlassian Jira Cloud connectors as code — the library entry (package.json `main`). Importing it
 * registers no resource; the repository's own Pulumi program is `program/` (see Pulumi.yaml).
 */
export * from "./providers/jira-connection";
export * from "./components";
export * as atlassian from "./atlassian";
