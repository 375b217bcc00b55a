/**
 * Standalone emulator: `npm run emulator -- [--port 8787] [--users 50] [--site acme] [--seed 1]`.
 * Prints the environment to export, credentials and example calls, then serves until Ctrl-C.
 */
import { startAtlassianEmulator } from "./index";

function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i].includes("=") ? args[i].split("=").slice(1).join("=") : args[i + 1];
}

function intFlag(name: string): number | undefined {
  const raw = flag(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${raw}`);
  return n;
}

async function main(): Promise<void> {
  const siteName = flag("site") ?? "acme";
  const emu = await startAtlassianEmulator({
    port: intFlag("port"),
    seed: intFlag("seed"),
    sites: [{ name: siteName, users: intFlag("users") }],
  });
  const site = emu.site(siteName);
  const app = emu.app();
  const { refreshToken } = emu.grant();
  const basicHeader = Buffer.from(`${site.admin.email}:${site.admin.apiToken}`).toString("base64");
  const authorize = `${emu.authUrl}/authorize?audience=api.atlassian.com&client_id=${app.clientId}&scope=${encodeURIComponent(app.scopes.join(" "))}&redirect_uri=${encodeURIComponent(app.redirectUris[0])}&state=s1&response_type=code&prompt=consent`;
  const lines = [
    `Atlassian emulator listening on ${emu.url} (site "${siteName}", cloudId ${site.cloudId}, ${site.users.length} users)`,
    "",
    "# environment",
    ...Object.entries(emu.env).map(([k, v]) => `export ${k}='${v}'`),
    "",
    "# OAuth app",
    `client_id:     ${app.clientId}`,
    `client_secret: ${app.clientSecret}`,
    `redirect_uri:  ${app.redirectUris.join(", ")}`,
    `refresh token (ready, from grant()): ${refreshToken}`,
    "",
    "# site admin (classic API token, site host)",
    `email:     ${site.admin.email}`,
    `api token: ${site.admin.apiToken}`,
    `member (non-admin): ${site.member.email} / ${site.member.apiToken}`,
    `org: ${site.orgId} / org API key ${site.orgApiKey}`,
    "",
    "# examples",
    `curl -s ${emu.url}/site/${siteName}/_edge/tenant_info`,
    `curl -s -u '${site.admin.email}:${site.admin.apiToken}' '${emu.url}/site/${siteName}/rest/api/3/users/search?maxResults=5'`,
    `curl -s -H 'Authorization: Basic ${basicHeader}' ${emu.url}/site/${siteName}/rest/api/3/applicationrole`,
    `curl -s -X POST -H 'Content-Type: application/json' -d '{"grant_type":"refresh_token","client_id":"${app.clientId}","client_secret":"${app.clientSecret}","refresh_token":"${refreshToken}"}' ${emu.authUrl}/oauth/token`,
    `curl -s -H "Authorization: Bearer $ACCESS_TOKEN" ${emu.apiUrl}/oauth/token/accessible-resources`,
    `curl -s -H "Authorization: Bearer $ACCESS_TOKEN" ${emu.apiUrl}/ex/jira/${site.cloudId}/rest/api/3/myself`,
    `curl -s -D - -o /dev/null '${authorize}'   # consent (auto-approved): Location carries the code`,
    "",
    "Ctrl-C to stop.",
  ];
  console.log(lines.join("\n"));
  const stop = () => void emu.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
