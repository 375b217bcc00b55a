/**
 * `jira-connector check`: the validation `pulumi up` runs (the provider's own `validateConnection`, or
 * `validateScopedConnection` with --scoped-api-token), as a pass/fail table. Checking an OAuth connector exchanges
 * the refresh token, which rotates it, so a token store is required to keep the successor: --token-file or
 * --token-secret-arn (a token file needs --yes: cli/check/token-file-warning.ts). Before the first `pulumi up`,
 * `--before-up` runs every check that presents no token (cli/check/before-up.ts). A scoped token needs no store:
 * probing it consumes nothing. With --org-id/--org-api-key, the organization API key and the organization's hold on
 * the site are checked first (cli/check/org-check.ts); if they fail, nothing is exchanged or stored.
 */
import { Command, Option } from "commander";
import { checkConnectionInputs } from "../../providers/jira-connection/check";
import type { OAuthConnectionInputs, ScopedConnectionInputs } from "../../providers/jira-connection/inputs";
import { validateConnection, type ValidationResult } from "../../providers/jira-connection/validate";
import { SCOPED_VALIDATION_CHECKS, validateScopedConnection } from "../../providers/jira-connection/validate-scoped";
import { newHolderId } from "../../token-store";
import { allPassed, checkRows, quotaRow, renderCheckTable, type CheckRow } from "../check/check-rows";
import { flagOf, inFlagTerms } from "../check/flags";
import { checkOrg } from "../check/org-check";
import { beforeUpRows, deferredToUp, validateBeforeUp } from "../check/before-up";
import { requireConfirmation, tokenFileWarning } from "../check/token-file-warning";
import { CliError, type CliIo } from "../io";
import {
  atlassianFor,
  clientIdOption,
  clientSecretOption,
  ENV,
  jsonOption,
  licenseOptions,
  orgFrom,
  orgOptions,
  scopedTokenFrom,
  scopedTokenOptions,
  secretOption,
  tokenStoreFrom,
  tokenStoreOptions,
  type OrgFlags,
  type ScopedTokenFlags,
  type TokenStoreFlags,
  issuedAtOption,
  parseIssuedAt,
} from "../options";
import type { Runner } from "../run";
import { jsonLine } from "../format/sanitize";

export const TOKEN_STORE_REQUIRED =
  "check needs a token store: --token-file <path> or --token-secret-arn <arn>. Checking exchanges the refresh token, " +
  "and Atlassian rotates it on every exchange (the old one dies 10 minutes later), so the successor must be saved somewhere. " +
  "Before the first `pulumi up` of a JiraConnector (its token secret does not exist yet), use --before-up: every check that does not present the token.";

interface CheckFlags extends TokenStoreFlags, OrgFlags, ScopedTokenFlags {
  refreshTokenIssuedAt?: string;
  site?: string;
  cloudId?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  licenseEmail?: string;
  apiToken?: string;
  beforeUp?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** A syntactically valid placeholder for inputs the CLI does not take from the user (never sent anywhere). */
const PLACEHOLDER_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:jira-connector-cli";

export function checkCommand(run: Runner): Command {
  const command = new Command("check")
    .description("run the connector's validation (the same as `pulumi up`) and print a pass/fail table per check")
    .addOption(new Option("--site <site>", "the Jira Cloud site: acme, acme.atlassian.net or https://acme.atlassian.net"))
    .addOption(new Option("--cloud-id <uuid>", "the cloud ID to expect (default: derived from the site)"))
    .addOption(clientIdOption())
    .addOption(clientSecretOption())
    .addOption(secretOption("--refresh-token <token>", "a refresh token from `authorize` to seed the token store (default: the store's live token)", ENV.refreshToken))
    .addOption(issuedAtOption());
  for (const option of [...licenseOptions(), ...tokenStoreOptions(), ...scopedTokenOptions(), ...orgOptions()]) command.addOption(option);
  return command
    .addOption(new Option("--before-up", "before the first `pulumi up`: run every check that does not present the refresh token (site, cloud ID, license account, admin, seats; org); no token store"))
    .addOption(new Option("--yes", "with --token-file and a refresh token to present: confirm that the file, not `pulumi up`, gets the rotated token"))
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `\n${TOKEN_STORE_REQUIRED}\nPresenting --refresh-token with --token-file moves the grant into that file (a later \`pulumi up\` with the same token revokes it), so it needs --yes.`,
    )
    .action((flags: CheckFlags) => run(flags.json, (io) => check(io, flags)));
}

async function check(io: CliIo, flags: CheckFlags): Promise<number> {
  for (const secret of [flags.clientSecret, flags.refreshToken, flags.apiToken]) io.secrets.add(secret);
  const scoped = scopedTokenFrom(io, flags);
  const beforeUp = flags.beforeUp === true && !scoped;
  const store = scoped ? undefined : tokenStoreFrom(flags);
  if (beforeUp && store) {
    throw new CliError("--before-up presents no refresh token, so it takes no token store: drop --token-file/--token-secret-arn.", "INVALID_ARGUMENT", 2);
  }
  if (!scoped && !store && !beforeUp) throw new CliError(TOKEN_STORE_REQUIRED, "TOKEN_STORE_REQUIRED", 2);
  const warning = tokenFileWarning(store, flags.refreshToken !== undefined);
  requireConfirmation(warning, flags.yes === true);
  if (warning && !flags.json) io.err(`Warning: ${warning}\n`);
  if (Boolean(flags.licenseEmail) !== Boolean(flags.apiToken)) {
    throw new CliError("--license-email and --api-token go together: pass both (seats through an admin's API token) or neither.", "INVALID_ARGUMENT", 2);
  }
  const org = orgFrom(io, flags);
  const atlassian = atlassianFor(io);
  const inputs = scoped ? scopedInputs(flags, scoped) : oauthInputs(flags);
  // The org half first: a wrong org key or org must not cost a token rotation (nothing is stored when it fails).
  const orgRows: CheckRow[] = org ? await checkOrg(atlassian, { ...org, site: inputs.site, cloudId: inputs.cloudId ?? (await siteCloudId(atlassian, inputs.site)) }) : [];
  const orgOk = orgRows.every((r) => r.status === "pass");
  const notRun: ValidationResult = { problems: [], checks: [], tokenStored: false, grantedScopes: [], products: [], warnings: [] };
  let result = notRun;
  if (orgOk && inputs.scopedApiToken) result = await validateScopedConnection({ atlassian, now: () => new Date() }, inputs);
  else if (orgOk && beforeUp && inputs.oauth) result = await validateBeforeUp(atlassian, inputs);
  else if (orgOk && store && inputs.oauth) {
    result = await validateConnection(
      { atlassian, store, now: () => new Date(), holder: newHolderId("cli-check"), rerunHint: "run `jira-connector check` again" },
      inputs,
      flags.refreshToken ? { kind: "exchange-configured" } : { kind: "exchange-live" },
      true,
    );
  }
  const quota = scoped ? undefined : quotaRow(result.products, { license: inputs.license !== undefined });
  const expiry = scoped && flags.scopedTokenExpiresAt === undefined ? [EXPIRY_NOT_CHECKED] : [];
  const allRows = checkRows(result.checks, { license: inputs.license !== undefined, ...(scoped ? { checks: SCOPED_VALIDATION_CHECKS } : {}) });
  const validation = beforeUp ? beforeUpRows(allRows, { license: inputs.license !== undefined }) : allRows;
  const rows = [...orgRows, ...validation, ...expiry, ...(quota ? [quota] : [])];
  // Rows --before-up leaves for `pulumi up` are not failures; anything else not run (an earlier failure) is.
  const ok = allPassed(rows.filter((r) => !deferredToUp(r)));
  if (flags.json) {
    io.out(
      jsonLine({
        ok,
        site: inputs.site,
        cloudId: result.cloudId ?? null,
        authMethod: scoped ? "scoped-api-token" : "oauth",
        beforeUp,
        tokenStore: store?.location ?? null,
        tokenStored: result.tokenStored,
        checks: rows,
        grantedScopes: result.grantedScopes,
        products: result.products,
        warnings: warning ? [warning] : [],
      }),
    );
  } else {
    io.out(renderCheckTable(rows));
    const stored = beforeUp
      ? "The refresh token was not presented: `pulumi up` exchanges it first, into the connector's own secret, and runs the rows not run here."
      : !store
      ? "A scoped token is not consumed by checking; nothing was stored."
      : result.tokenStored
        ? `The rotated refresh token is saved in ${store.location}; use it (not the old one) from now on.`
        : `Nothing was written to ${store.location}.`;
    io.out(`\n${ok ? "All checks passed" : "Some checks failed"} for site ${inputs.site}${result.cloudId ? ` (cloud ID ${result.cloudId})` : ""}. ${stored}\n`);
  }
  return ok ? 0 : 1;
}

const EXPIRY_NOT_CHECKED: CheckRow = {
  check: "scoped-token-expiry",
  label: "scoped token expiry date",
  status: "skipped",
  message: "no --scoped-token-expires-at: `pulumi up` requires the expiry you chose (Atlassian forces one and does not report it)",
};

/** The site's cloud ID for matching the org's workspaces; undefined when the lookup fails (the site row reports it). */
async function siteCloudId(atlassian: ReturnType<typeof atlassianFor>, site: string): Promise<string | undefined> {
  try {
    return await atlassian.cloudId(site);
  } catch {
    return undefined;
  }
}

/** The provider's own input checks (syntax, no network); each failure names the flag to fix. */
function oauthInputs(flags: CheckFlags): OAuthConnectionInputs {
  return checkedInputs<OAuthConnectionInputs>({
    site: flags.site,
    ...(flags.cloudId ? { cloudId: flags.cloudId } : {}),
    oauth: {
      clientId: flags.clientId,
      clientSecret: flags.clientSecret,
      refreshToken: flags.refreshToken ?? "live-token-from-the-store",
      ...(flags.refreshTokenIssuedAt ? { refreshTokenIssuedAt: parseIssuedAt(flags.refreshTokenIssuedAt, flags.refreshToken) } : {}),
    },
    ...(flags.licenseEmail ? { license: { email: flags.licenseEmail, apiToken: flags.apiToken } } : {}),
    tokenStore: { secretArn: flags.tokenSecretArn ?? PLACEHOLDER_ARN, ...(flags.tokenSecretArn && flags.region ? { region: flags.region } : {}) },
  });
}

/** Without --scoped-token-expires-at the expiry is not checked: a placeholder date a day ahead stands in for it. */
function scopedInputs(flags: CheckFlags, token: { email: string; apiToken: string }): ScopedConnectionInputs {
  const expiresAt = flags.scopedTokenExpiresAt ?? new Date(Date.now() + 86_400_000).toISOString();
  return checkedInputs<ScopedConnectionInputs>({
    site: flags.site,
    ...(flags.cloudId ? { cloudId: flags.cloudId } : {}),
    scopedApiToken: { ...token, expiresAt },
  });
}

function checkedInputs<T>(raw: Record<string, unknown>): T {
  const { inputs, failures } = checkConnectionInputs(raw);
  if (failures.length > 0) {
    const lines = failures.map((f) => `  ${flagOf(f.property)}: ${inFlagTerms(f.reason.replace(/^[^:]+: /, ""))}`);
    throw new CliError(`invalid options:\n${lines.join("\n")}`, "INVALID_ARGUMENT", 2);
  }
  return inputs as unknown as T;
}
