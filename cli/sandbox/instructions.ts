/**
 * What `jira-connector sandbox` prints: the environment to export, the fake credentials and ready-to-paste
 * commands. Printing credentials is this command's purpose; they only work against this sandbox process.
 */
import { ADMIN_ENDPOINTS } from "../../sandbox/admin/routes";
import type { Sandbox } from "../../sandbox/start";

/** The callback the sandbox's app registers; 8080 is `authorize`'s default port. */
export const sandboxCallback = (port: number) => `http://localhost:${port}/callback`;

/** The machine-readable form (`sandbox --json`): everything a test harness needs to drive the sandbox. */
export function sandboxDocument(sandbox: Sandbox): Record<string, unknown> {
  return {
    ok: true,
    url: sandbox.url,
    adminUrl: sandbox.adminUrl,
    env: sandbox.env,
    oauthApp: { clientId: sandbox.app.clientId, clientSecret: sandbox.app.clientSecret, redirectUris: sandbox.app.redirectUris, consent: "approved automatically" },
    sites: sandbox.sites,
  };
}

export function sandboxInstructions(sandbox: Sandbox): string {
  const [first, ...others] = sandbox.sites;
  const site = first.name;
  const out = "./sandbox-out";
  // The local connector's own token store, outside the snapshot folder people share; check and collect both use it.
  const tokenFile = `./sandbox-tokens/${site}.json`;
  // Flags, not exported variables: JIRA_CONNECTOR_CLIENT_ID/SECRET in the environment would clash with the scoped commands.
  const oauth = `--client-id '${sandbox.app.clientId}' --client-secret '${sandbox.app.clientSecret}'`;
  const port = new URL(sandbox.app.redirectUris[0]).port;
  const authorizePort = port === "8080" ? "" : ` --port ${port}`;
  const lines = [
    `Sandbox Atlassian (emulated; nothing leaves this machine) on ${sandbox.url}`,
    ...sandbox.sites.map((s) => `  site ${s.name}: ${s.users} users, cloud ID ${s.cloudId}, org ${s.orgId}`),
    "",
    "# 1. In another terminal, point the CLI at the sandbox:",
    ...Object.entries(sandbox.env).map(([k, v]) => `export ${k}='${v}'`),
    "",
    "# The OAuth app (callback " + sandbox.app.redirectUris.join(", ") + ")",
    `client ID:     ${sandbox.app.clientId}`,
    `client secret: ${sandbox.app.clientSecret}`,
    "",
    `# Site ${site}: an administrator's API tokens`,
    `email:                 ${first.admin.email}`,
    `classic API token:     ${first.admin.apiToken}`,
    `scoped API token:      ${first.scoped.apiToken}   (the connector's scopes, expires ${first.scoped.expiresAt})`,
    `org ID / org API key:  ${first.orgId} / ${first.orgApiKey}`,
    ...others.flatMap((s) => ["", `# Site ${s.name}`, `email: ${s.admin.email}`, `classic API token: ${s.admin.apiToken}`, `scoped API token: ${s.scoped.apiToken} (expires ${s.scoped.expiresAt})`, `org ID / org API key: ${s.orgId} / ${s.orgApiKey}`]),
    "",
    "# 2. OAuth: consent is approved automatically in the sandbox (no login, no Accept button).",
    "#    authorize opens the consent URL in your browser, which comes straight back to the callback;",
    "#    with no browser, run: curl -sL '<the URL it prints>'",
    `REFRESH_TOKEN=$(jira-connector authorize ${oauth}${authorizePort})`,
    `jira-connector check --site ${site} ${oauth} --refresh-token "$REFRESH_TOKEN" --token-file ${tokenFile} --yes --license-email '${first.admin.email}' --api-token '${first.admin.apiToken}'`,
    `jira-connector collect --site ${site} --out ${out} --token-file ${tokenFile} ${oauth} --license-email '${first.admin.email}' --api-token '${first.admin.apiToken}' --org-id ${first.orgId} --org-api-key '${first.orgApiKey}'`,
    `jira-connector report ${out} --html ${out}/report.html`,
    "",
    "# 3. Or with the scoped API token (no OAuth app, no token store):",
    `jira-connector check --site ${site} --scoped-api-token '${first.scoped.apiToken}' --scoped-token-email '${first.scoped.email}' --scoped-token-expires-at ${first.scoped.expiresAt}`,
    `jira-connector collect --site ${site} --out ./sandbox-scoped --scoped-api-token '${first.scoped.apiToken}' --scoped-token-email '${first.scoped.email}'`,
    "jira-connector report ./sandbox-scoped --html ./sandbox-scoped/report.html",
    "",
    `# Admin controls (loopback only, JSON): ${sandbox.adminUrl}`,
    ...ADMIN_ENDPOINTS.map((e) => `#   ${e}`),
    `curl -s -X POST -H 'Content-Type: application/json' -d '{"advanceMs": 86400000}' ${sandbox.adminUrl}/clock`,
    `curl -s -X POST -H 'Content-Type: application/json' -d '{"match": {"host": "api"}, "action": {"kind": "status", "status": 503}, "times": 3}' ${sandbox.adminUrl}/faults`,
    `curl -s ${sandbox.adminUrl}/requests`,
    "",
    "These credentials are fake and work only against this sandbox. Ctrl-C stops it.",
  ];
  return `${lines.join("\n")}\n`;
}
