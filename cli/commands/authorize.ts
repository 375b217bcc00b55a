/**
 * `jira-connector authorize`: the OAuth 2.0 (3LO) consent in one command. Builds the authorization URL (the 13
 * scopes + offline_access, a fresh 256-bit state), serves the callback on http://localhost:<port>, opens the
 * browser when it can and always prints the URL, verifies the state, exchanges the code, and prints the refresh
 * token — or stores it as a Pulumi secret with --pulumi-config, or in a token file with --token-file. It also
 * reports the consent time (when the code was exchanged, on Atlassian's clock): the start of the grant's 365-day
 * expiry, which `oauth.refreshTokenIssuedAt` / `<connector>.refreshTokenIssuedAt` give to the expiry alarm.
 */
import { Command, Option } from "commander";
import { generateOAuthState } from "../../atlassian/oauth/authorization-url";
import { MissingScopesError } from "../../atlassian/errors";
import { DEFAULT_REQUIRED_SCOPES, missingScopes } from "../../atlassian/scopes";
import { openBrowser } from "../authorize/browser";
import { refusalMessage } from "../authorize/callback";
import { type CallbackPage, startCallbackServer } from "../authorize/callback-server";
import { assertPulumiAvailable, assertPulumiConfigKey, consentTimeKeyOf, describePulumiConfigKey, pulumiConfigNamespace, setPulumiPlain, setPulumiSecret } from "../authorize/pulumi-config";
import { consentTimeOf, writeTokenFile } from "../authorize/consent-time";
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
  tokenFile?: string;
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
    .addOption(new Option("--token-file <path>", "write the token (and its consent time) into this token file for `check`/`collect --token-file` instead of printing it; the file must not hold a token yet"))
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
  if (flags.pulumiConfig !== undefined && flags.tokenFile !== undefined) {
    throw new CliError("--pulumi-config and --token-file: pick one place for the refresh token (a token used by both would be revoked by the second use).", "INVALID_ARGUMENT", 2);
  }
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
    // The grant (and its 365-day clock) starts with this exchange: taken just before it, so it is never late.
    const exchangeStartedAt = Date.now();
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
    const consentAt = consentTimeOf(exchangeStartedAt, await atlassian.serverClockOffsetMs());
    return await deliver(io, flags, { refreshToken: tokens.refreshToken, consentAt }, tokens.grantedScopes, sites);
  } finally {
    await server.close();
  }
}

async function deliver(
  io: CliIo,
  flags: AuthorizeFlags,
  issued: { refreshToken: string; consentAt: string },
  grantedScopes: string[],
  sites: { name: string; url: string; cloudId: string }[] | undefined,
): Promise<number> {
  const reaches = sites === undefined ? "(could not list the sites it reaches)" : sites.length === 0 ? "no site at all — re-run and pick a site" : sites.map((s) => `${s.name} (cloud ID ${s.cloudId})`).join(", ");
  const { refreshToken, consentAt } = issued;
  let stored = false;
  let storeError: string | undefined;
  const consentKey = flags.pulumiConfig !== undefined ? consentTimeKeyOf(flags.pulumiConfig) : undefined;
  const where = { stack: flags.pulumiStack, cwd: flags.pulumiCwd, env: io.env };
  try {
    if (flags.pulumiConfig !== undefined) {
      // The consent time first: should it fail, the token is not stored at all and is printed below instead.
      await setPulumiPlain({ key: consentKey!, value: consentAt, ...where });
      await setPulumiSecret({ key: flags.pulumiConfig, value: refreshToken, ...where });
      stored = true;
    } else if (flags.tokenFile !== undefined) {
      await writeTokenFile(flags.tokenFile, refreshToken, consentAt);
      stored = true;
    }
  } catch (error) {
    storeError = describeError(error).message;
  }
  const nextSteps = nextStepCommands(flags, consentAt, stored);
  const summary = {
    grantedScopes,
    sites: sites ?? null,
    refreshTokenIssuedAt: consentAt,
    pulumiConfig: flags.pulumiConfig ?? null,
    pulumiConfigNamespace: namespaceOf(flags.pulumiConfig),
    storedInPulumiConfig: stored && flags.pulumiConfig !== undefined,
    ...(consentKey ? { consentTimeKey: consentKey } : {}),
    ...(flags.tokenFile !== undefined ? { tokenFile: flags.tokenFile, storedInTokenFile: stored } : {}),
    nextSteps,
    reminder: ONE_TOKEN_PER_CONNECTOR,
  };
  if (flags.json) {
    const failure = flags.tokenFile !== undefined ? "TOKEN_FILE_FAILED" : "PULUMI_CONFIG_FAILED";
    const document = stored ? { ok: true, ...summary } : { ok: storeError === undefined, refreshToken, ...summary, ...(storeError ? { error: { code: failure, message: storeError } } : {}) };
    // The token is the one secret this CLI prints, and only here; everything else in the document is scrubbed.
    if (stored) io.out(jsonLine(document));
    else io.revealSecret(jsonLine(document));
  } else {
    io.err(`Authorized. The grant reaches: ${reaches}.\n`);
    io.err(`Consent time: ${consentAt} (the grant expires 365 days after it; the expiry alarm counts from it).\n`);
    if (stored && flags.pulumiConfig !== undefined) {
      io.err(`Stored the refresh token as the Pulumi secret ${describePulumiConfigKey(flags.pulumiConfig)}${flags.pulumiStack ? ` of stack ${flags.pulumiStack}` : ""}, and the consent time as the plain key "${consentKey}"; run \`pulumi up\` within 90 days.\n`);
    } else if (stored) {
      io.err(`Wrote the refresh token and its consent time to the token file ${flags.tokenFile}; use it with \`jira-connector check\`/\`collect --token-file ${flags.tokenFile}\` within 90 days.\n`);
    } else {
      if (storeError) io.err(`Could not store the token ${flags.tokenFile !== undefined ? `in ${flags.tokenFile}` : "in Pulumi config"}: ${storeError}\nHere it is, so the authorization is not lost; store it yourself (next steps below):\n`);
      else io.err("Refresh token (treat it like a password; it is printed once and nowhere stored):\n");
      io.revealSecret(`${refreshToken}\n`);
    }
    if (nextSteps.length > 0) io.err(`Next steps:\n${nextSteps.map((c) => `  ${c}`).join("\n")}\n`);
    io.err(`${ONE_TOKEN_PER_CONNECTOR}\n`);
  }
  return storeError ? 1 : 0;
}

/** The commands still to run (the connector's keys named `<connector>.…` when --pulumi-config did not name them). */
function nextStepCommands(flags: AuthorizeFlags, consentAt: string, stored: boolean): string[] {
  const stack = flags.pulumiStack ? ` --stack ${flags.pulumiStack}` : "";
  if (stored) return flags.tokenFile !== undefined ? [`jira-connector check --token-file ${flags.tokenFile} …`] : ["pulumi up"];
  const tokenKey = flags.pulumiConfig ?? "<connector>.refreshToken";
  return [
    `pulumi config set --secret${stack} ${tokenKey}   (paste the refresh token)`,
    `pulumi config set --plaintext${stack} ${consentTimeKeyOf(tokenKey)} ${consentAt}`,
    "(or in a program: oauth: { …, refreshTokenIssuedAt: \"" + consentAt + "\" })",
  ];
}

/** `"project"` for a key without a namespace, else the namespace it names; null without --pulumi-config. */
function namespaceOf(key: string | undefined): string | null {
  if (key === undefined) return null;
  const where = pulumiConfigNamespace(key);
  return where.kind === "project" ? "project" : where.namespace;
}
