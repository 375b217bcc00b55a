/**
 * `jira-connector check`: the validation `pulumi up` runs (the provider's own `validateConnection`), as a
 * pass/fail table. Checking exchanges the refresh token, which rotates it, so a token store is required to keep
 * the successor: --token-file or --token-secret-arn. With --org-id/--org-api-key, the organization API key and the
 * organization's hold on the site are checked first (cli/check/org-check.ts); if they fail, nothing is exchanged or
 * stored.
 */
import { Command, Option } from "commander";
import { checkConnectionInputs } from "../../providers/jira-connection/check";
import type { ConnectionInputs } from "../../providers/jira-connection/inputs";
import { validateConnection, type ValidationResult } from "../../providers/jira-connection/validate";
import { newHolderId } from "../../token-store";
import { allPassed, checkRows, FLAG_OF_PROPERTY, leastPrivilegeRow, quotaRow, renderCheckTable, type CheckRow } from "../check/check-rows";
import { checkOrg } from "../check/org-check";
import { CliError, type CliIo } from "../io";
import { atlassianFor, clientIdOption, clientSecretOption, ENV, jsonOption, licenseOptions, orgFrom, orgOptions, secretOption, tokenStoreFrom, tokenStoreOptions, type OrgFlags, type TokenStoreFlags } from "../options";
import type { Runner } from "../run";

export const TOKEN_STORE_REQUIRED =
  "check needs a token store: --token-file <path> or --token-secret-arn <arn>. Checking exchanges the refresh token, " +
  "and Atlassian rotates it on every exchange (the old one dies 10 minutes later), so the successor must be saved somewhere.";

interface CheckFlags extends TokenStoreFlags, OrgFlags {
  site?: string;
  cloudId?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  licenseEmail?: string;
  apiToken?: string;
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
    .addOption(secretOption("--refresh-token <token>", "a refresh token from `authorize` to seed the token store (default: the store's live token)", ENV.refreshToken));
  for (const option of [...licenseOptions(), ...tokenStoreOptions(), ...orgOptions()]) command.addOption(option);
  return command
    .addOption(jsonOption())
    .addHelpText("after", `\n${TOKEN_STORE_REQUIRED}`)
    .action((flags: CheckFlags) => run(flags.json, (io) => check(io, flags)));
}

async function check(io: CliIo, flags: CheckFlags): Promise<number> {
  for (const secret of [flags.clientSecret, flags.refreshToken, flags.apiToken]) io.secrets.add(secret);
  const store = tokenStoreFrom(flags);
  if (!store) throw new CliError(TOKEN_STORE_REQUIRED, "TOKEN_STORE_REQUIRED", 2);
  if (Boolean(flags.licenseEmail) !== Boolean(flags.apiToken)) {
    throw new CliError("--license-email and --api-token go together: pass both (seats through an admin's API token) or neither.", "INVALID_ARGUMENT", 2);
  }
  const org = orgFrom(io, flags);
  const inputs = validInputs(flags);
  const atlassian = atlassianFor(io);
  // The org half first: a wrong org key or org must not cost a token rotation (nothing is stored when it fails).
  const orgRows: CheckRow[] = org ? await checkOrg(atlassian, { ...org, site: inputs.site, cloudId: inputs.cloudId ?? (await siteCloudId(atlassian, inputs.site)) }) : [];
  const orgOk = orgRows.every((r) => r.status === "pass");
  const result = orgOk
    ? await validateConnection(
        { atlassian, store, now: () => new Date(), holder: newHolderId("cli-check"), rerunHint: "run `jira-connector check` again" },
        inputs,
        flags.refreshToken ? { kind: "exchange-configured" } : { kind: "exchange-live" },
        true,
      )
    : { checks: [], tokenStored: false, cloudId: undefined, grantedScopes: [] as string[], products: [] as ValidationResult["products"] };
  const quota = quotaRow(result.products, { license: inputs.license !== undefined });
  const privilege = leastPrivilegeRow(result.grantedScopes);
  const rows = [...orgRows, ...checkRows(result.checks, { license: inputs.license !== undefined }), ...(privilege ? [privilege] : []), ...(quota ? [quota] : [])];
  const ok = allPassed(rows);
  if (flags.json) {
    io.out(
      `${JSON.stringify({
        ok,
        site: inputs.site,
        cloudId: result.cloudId ?? null,
        tokenStore: store.location,
        tokenStored: result.tokenStored,
        checks: rows,
        grantedScopes: result.grantedScopes,
        products: result.products,
      })}\n`,
    );
  } else {
    io.out(renderCheckTable(rows));
    io.out(
      `\n${ok ? "All checks passed" : "Some checks failed"} for site ${inputs.site}${result.cloudId ? ` (cloud ID ${result.cloudId})` : ""}. ` +
        `${result.tokenStored ? `The rotated refresh token is saved in ${store.location}; use it (not the old one) from now on.` : `Nothing was written to ${store.location}.`}\n`,
    );
  }
  return ok ? 0 : 1;
}

/** The site's cloud ID for matching the org's workspaces; undefined when the lookup fails (the site row reports it). */
async function siteCloudId(atlassian: ReturnType<typeof atlassianFor>, site: string): Promise<string | undefined> {
  try {
    return await atlassian.cloudId(site);
  } catch {
    return undefined;
  }
}

/** The provider's own input checks (syntax, no network); each failure names the flag to fix. */
function validInputs(flags: CheckFlags): ConnectionInputs {
  const raw: Record<string, unknown> = {
    site: flags.site,
    ...(flags.cloudId ? { cloudId: flags.cloudId } : {}),
    oauth: { clientId: flags.clientId, clientSecret: flags.clientSecret, refreshToken: flags.refreshToken ?? "live-token-from-the-store" },
    ...(flags.licenseEmail ? { license: { email: flags.licenseEmail, apiToken: flags.apiToken } } : {}),
    tokenStore: { secretArn: flags.tokenSecretArn ?? PLACEHOLDER_ARN, ...(flags.tokenSecretArn && flags.region ? { region: flags.region } : {}) },
  };
  const { inputs, failures } = checkConnectionInputs(raw);
  if (failures.length > 0) {
    const lines = failures.map((f) => `  ${FLAG_OF_PROPERTY[f.property] ?? f.property}: ${f.reason.replace(/^[^:]+: /, "")}`);
    throw new CliError(`invalid options:\n${lines.join("\n")}`, "INVALID_ARGUMENT", 2);
  }
  return inputs as unknown as ConnectionInputs;
}
