/** jira-connectors: Atlassian Jira Cloud connectors as code. */
export * from "./providers/jira-connection";
export * as atlassian from "./atlassian";
