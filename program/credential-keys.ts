/**
 * The root program's credential keys, `<connector>.<credential>` (flat keys in the project's namespace: the dot is
 * part of the name, so no `--path`), and the migration from the old form, a secret `connectors` list with the
 * credentials inside. The old form is refused rather than read with a warning: reading it keeps every change in
 * one opaque line (the problem the split solves), and the migration is a few commands that change no resource.
 */
import { normalizeSiteName, siteNameProblem } from "../atlassian/site-name";

/** The connector's name, as the program names its resources and prefixes its credential keys. */
export function connectorNameOf(entry: { name?: string; site: string }): string {
  return entry.name ?? (siteNameProblem(entry.site) === undefined ? normalizeSiteName(entry.site) : entry.site);
}

/** Each credential key's suffix → where the value comes from (for the "is not set" message). */
export const CREDENTIAL_KEYS = {
  clientSecret: "the OAuth app's secret: developer console → Settings",
  refreshToken: "`jira-connector authorize … --pulumi-config <connector>.refreshToken` stores it",
  scopedApiToken: 'the API token with scopes: id.atlassian.com → "Create API token with scopes", app Jira',
  apiToken: "the license account's classic API token",
  orgApiKey: "an organization API key: admin.atlassian.com → Settings → API keys",
} as const;

/** Where each credential sat in an entry of the old form. */
const LEGACY_PATHS: readonly (readonly [string, string, keyof typeof CREDENTIAL_KEYS])[] = [
  ["oauth", "clientSecret", "clientSecret"],
  ["oauth", "refreshToken", "refreshToken"],
  ["scopedApiToken", "apiToken", "scopedApiToken"],
  ["license", "apiToken", "apiToken"],
  ["org", "apiKey", "orgApiKey"],
];

export interface LegacyPath {
  index: number;
  path: string;
  credential: keyof typeof CREDENTIAL_KEYS;
}

/** The credentials a parsed `connectors` value still holds (none in the current form). */
export function legacyCredentialPaths(json: unknown): LegacyPath[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((entry, index) =>
    LEGACY_PATHS.filter(([group, field]) => {
      const holder = (entry as Record<string, unknown> | null)?.[group];
      return typeof holder === "object" && holder !== null && field in holder;
    }).map(([group, field, credential]) => ({ index, path: `${group}.${field}`, credential })),
  );
}

/**
 * The commands that turn the old form into the new one, with the stack named: each credential is copied from the
 * list into its own secret key, then the list is stored again, plain and without them. Never a value: `jq` moves
 * them through pipes.
 */
export function legacyMigrationCommands(entries: readonly { name?: string; site?: unknown }[], legacy: readonly LegacyPath[], stack?: string): string[] {
  const s = stack ? ` --stack ${stack}` : "";
  const nameOf = (i: number) => {
    const { name, site } = entries[i] ?? {};
    return typeof name === "string" ? name : typeof site === "string" ? connectorNameOf({ site }) : `<name of connector ${i}>`;
  };
  const copies = legacy.map(
    (l) => `    pulumi config get${s} connectors | jq -r '.[${l.index}].${l.path}' | pulumi config set --secret${s} ${nameOf(l.index)}.${l.credential}`,
  );
  const strip = LEGACY_PATHS.map(([group, field]) => `.${group}.${field}`).join(", ");
  return [
    "holds credentials (the old form). Each credential now has a secret key of its own and the list is plain, so a pull request shows each change on its own line. " +
      "Move them with these commands (jq moves the values; nothing is printed), then run `pulumi preview`: no resource changes",
    ...copies,
    `    pulumi config get${s} connectors | jq -c '[.[] | del(${strip})]' | pulumi config set --plaintext${s} connectors`,
  ];
}

export function credentialsMissing(problems: readonly string[]): string[] {
  return [...problems, "each credential of a connector is a secret key `<connector>.<credential>` next to the plain `connectors` list (see README, Deploying with Pulumi)"];
}
