/**
 * `jira-connector authorize`: the OAuth 2.0 (3LO) consent in one command. Builds the authorization URL (the 13
 * scopes + offline_access, a fresh 256-bit state), serves the callback on http://localhost:<port>, opens the
 * browser when it can and always prints the URL, verifies the state, exchanges the code, and prints the refresh
 * token — or stores it as a Pulumi secret with --pulumi-config.
 */
import { Command, Option } from "commander";
import { generateOAuthState } from "../../atlassian/oauth/authorization-url";
import { MissingScopesError } from "../../atlassian/errors";
import { DEFAULT_REQUIRED_SCOPES, missingScopes } from "../../atlassian/scopes";
import { openBrowser } from "../authorize/browser";
import { refusalMessage } from "../authorize/callback";
import { type CallbackPage, startCallbackServer } from "../authorize/callback-server";
import { assertPulumiAvailable, assertPulumiConfigKey, describePulumiConfigKey, pulumiConfigNamespace, setPulumiSecret } from "../authorize/pulumi-config";
import { CliError, type CliIo, describeError } from "../io";
import { atlassianFor, clientIdOption, clientSecretOption, jsonOption, parseInteger, requireValue } from "../options";
import { type Runner } from "../run";
import { jsonLine } from "../format/sanitize";

export const ONE_TOKEN_PER_CONNECTOR =
  "Each connector needs its own refresh token: Atlassian rotates the token on every use, so two connectors sharing " +
  "one would knock each other out. Run `jira-connector authorize` once per connector.";

interface AuthorizeFlags {
  clientId?: string;
  clientSecret?: string;
  port: string;
  callbackPath: string;
  timeout: string;
  open: boolean;
  pulumiConfig?: string;
  pulumiStack?: string;
  pulumiCwd?: string;
  json?: boolean;
}

export function authorizeCommand(run: Runner): Command {
  return new Command("authorize")
    .description("get a refresh token for a connector: consent in the browser, callback on http://localhost:<port>")
    .addOption(clientIdOption())
    .addOption(clientSecretOption())
    .addOption(new Option("--port <port>", "port of the local callback server; the app's callback URL must be http://localhost:<port><path>").default("8080"))
    .addOption(new Option("--callback-path <path>", "path of the callback URL registered on the app").default("/callback"))
    .addOption(new Option("--timeout <seconds>", "how long to wait for the consent").default("300"))
    .addOption(new Option("--no-open", "do not try to open a browser (the URL is printed either way)"))
    .addOption(new Option("--pulumi-config <key>", "store the token with `pulumi config set --secret <key>` instead of printing it: a key without a namespace (e.g. acme.refreshToken, the root program's key for connector acme) goes to the project's namespace; ns:key only to namespace ns"))
    .addOption(new Option("--pulumi-stack <stack>", "with --pulumi-config: the stack (default: the current one)"))
    .addOption(new Option("--pulumi-cwd <dir>", "with --pulumi-config: the Pulumi project directory (default: the current one)"))
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `\nThe token is printed on stdout (the only secret this CLI ever prints); instructions go to stderr.\n${ONE_TOKEN_PER_CONNECTOR}`,
    )
    .action((flags: AuthorizeFlags) => run(flags.json, (io) => authorize(io, flags)));
}

async function authorize(io: CliIo, flags: AuthorizeFlags): Promise<number> {
  const clientId = requireValue(flags.clientId, "--client-id", "copy it from the app's Settings page in the Atlassian developer console");
  const clientSecret = requireValue(flags.clientSecret, "--client-secret (or JIRA_CONNECTOR_CLIENT_SECRET)", "copy it from the app's Settings page");
  io.secrets.add(clientSecret);
  const port = parseInteger(flags.port, "--port", 1, 65535);
  const timeoutSeconds = parseInteger(flags.timeout, "--timeout", 1, 24 * 3600);
  const path = flags.callbackPath.startsWith("/") ? flags.callbackPath : `/${flags.callbackPath}`;
  if (!/^\/[A-Za-z0-9._~\/-]*$/.test(path)) throw new CliError("--callback-path must be a URL path such as /callback.", "INVALID_ARGUMENT", 2);
  if (flags.pulumiConfig !== undefined) {
    assertPulumiConfigKey(flags.pulumiConfig);
    await assertPulumiAvailable(io.env, flags.pulumiCwd);
  }

  const atlassian = atlassianFor(io);
  const state = generateOAuthState();
  const server = await startCallbackServer({ port, path, expectedState: state });
  try {
    const url = atlassian.oauth.authorizationUrl({ clientId, redirectUri: server.redirectUri, state });
    const opened = flags.open && io.stderr.isTTY === true && openBrowser(url, io.env);
    io.err(
      `${opened ? "Your browser should open Atlassian's consent screen. If it does not, open" : "Open"} this URL in a browser, ` +
        `sign in as a Jira administrator, pick the site and click Accept:\n\n  ${url}\n\n` +
        `Waiting up to ${timeoutSeconds} s for the redirect to ${server.redirectUri} (it must be the app's callback URL)…\n`,
    );
    const received = await server.next(timeoutSeconds * 1000);
    const outcome = received.outcome;
    const fail = async (error: CliError, page: CallbackPage) => {
      await received.respond(page);
      throw error;
    };
    if (outcome.kind === "state-mismatch") {
      return await fail(
        new CliError(
          "refused the redirect: its state does not match this authorization (a stale browser tab, or a request forged by " +
            "another page). Nothing was exchanged. Run `jira-connector authorize` again and use the URL it prints.",
          "STATE_MISMATCH",
        ),
        { ok: false, title: "Authorization refused", text: "This redirect does not belong to the authorization the terminal started. Nothing was exchanged." },
      );
    }
    if (outcome.kind === "refused") {
      const message = refusalMessage(outcome.error, outcome.description);
      return await fail(new CliError(message, outcome.error === "access_denied" ? "CONSENT_DENIED" : "AUTHORIZATION_REFUSED"), {
        ok: false,
        title: "Authorization not granted",
        text: "No token was issued. See the terminal for what to do.",
      });
    }
    io.secrets.add(outcome.code);
    let tokens;
    try {
      tokens = await atlassian.oauth.exchangeCode({ clientId, clientSecret, code: outcome.code, redirectUri: server.redirectUri });
    } catch (error) {
      return await fail(new CliError(describeError(error).message, describeError(error).code), {
        ok: false,
        title: "Token exchange failed",
        text: "Atlassian did not issue a token. See the terminal for what to do.",
      });
    }
    io.secrets.add(tokens.refreshToken);
    io.secrets.add(tokens.accessToken);
    const missing = missingScopes(DEFAULT_REQUIRED_SCOPES, tokens.grantedScopes);
    if (missing.length > 0) {
      return await fail(new CliError(new MissingScopesError(missing).message, "MISSING_SCOPES"), {
        ok: false,
        title: "Scopes missing",
        text: "The grant lacks scopes the connector needs. See the terminal for what to do.",
      });
    }
    const sites = await atlassian.oauth.accessibleResources(tokens.accessToken).then(
      (resources) => [...new Map(resources.map((r) => [r.id, { name: r.name, url: r.url, cloudId: r.id }])).values()],
      () => undefined,
    );
    await received.respond({ ok: true, title: "Authorized", text: "The connector's refresh token was issued. You can close this tab and return to the terminal." });
    return await deliver(io, flags, tokens.refreshToken, tokens.grantedScopes, sites);
  } finally {
    await server.close();
  }
}

async function deliver(
  io: CliIo,
  flags: AuthorizeFlags,
  refreshToken: string,
  grantedScopes: string[],
  sites: { name: string; url: string; cloudId: string }[] | undefined,
): Promise<number> {
  const reaches = sites === undefined ? "(could not list the sites it reaches)" : sites.length === 0 ? "no site at all — re-run and pick a site" : sites.map((s) => `${s.name} (cloud ID ${s.cloudId})`).join(", ");
  let stored = false;
  let storeError: string | undefined;
  if (flags.pulumiConfig !== undefined) {
    try {
      await setPulumiSecret({ key: flags.pulumiConfig, value: refreshToken, stack: flags.pulumiStack, cwd: flags.pulumiCwd, env: io.env });
      stored = true;
    } catch (error) {
      storeError = describeError(error).message;
    }
  }
  const summary = { grantedScopes, sites: sites ?? null, pulumiConfig: flags.pulumiConfig ?? null, pulumiConfigNamespace: namespaceOf(flags.pulumiConfig), storedInPulumiConfig: stored, reminder: ONE_TOKEN_PER_CONNECTOR };
  if (flags.json) {
    const document = stored ? { ok: true, ...summary } : { ok: storeError === undefined, refreshToken, ...summary, ...(storeError ? { error: { code: "PULUMI_CONFIG_FAILED", message: storeError } } : {}) };
    // The token is the one secret this CLI prints, and only here; everything else in the document is scrubbed.
    if (stored) io.out(jsonLine(document));
    else io.revealSecret(jsonLine(document));
  } else {
    io.err(`Authorized. The grant reaches: ${reaches}.\n`);
    if (stored) {
      io.err(`Stored the refresh token as the Pulumi secret ${describePulumiConfigKey(flags.pulumiConfig!)}${flags.pulumiStack ? ` of stack ${flags.pulumiStack}` : ""}; run \`pulumi up\` within 90 days.\n`);
    } else {
      if (storeError) io.err(`Could not store the token in Pulumi config: ${storeError}\nHere it is, so the authorization is not lost; set it yourself with \`pulumi config set --secret ${flags.pulumiConfig}\`:\n`);
      else io.err("Refresh token (treat it like a password; it is printed once and nowhere stored):\n");
      io.revealSecret(`${refreshToken}\n`);
    }
    io.err(`${ONE_TOKEN_PER_CONNECTOR}\n`);
  }
  return storeError ? 1 : 0;
}

/** `"project"` for a key without a namespace, else the namespace it names; null without --pulumi-config. */
function namespaceOf(key: string | undefined): string | null {
  if (key === undefined) return null;
  const where = pulumiConfigNamespace(key);
  return where.kind === "project" ? "project" : where.namespace;
}
