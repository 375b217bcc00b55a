/** `jira-connector cloud-id <site>`: the site's cloud ID from the unauthenticated `tenant_info` lookup. */
import { Command } from "commander";
import { normalizeSiteName } from "../../atlassian/site-name";
import { type CliIo } from "../io";
import { atlassianFor, jsonOption } from "../options";
import type { Runner } from "../run";
import { jsonLine } from "../format/sanitize";

export function cloudIdCommand(run: Runner): Command {
  return new Command("cloud-id")
    .description("print a site's cloud ID (from https://<site>.atlassian.net/_edge/tenant_info)")
    .argument("<site>", "acme, acme.atlassian.net or https://acme.atlassian.net")
    .addOption(jsonOption())
    .action((site: string, flags: { json?: boolean }) => run(flags.json, (io) => cloudId(io, site, flags)));
}

async function cloudId(io: CliIo, site: string, flags: { json?: boolean }): Promise<number> {
  const name = normalizeSiteName(site);
  const id = await atlassianFor(io).cloudId(name);
  io.out(flags.json ? jsonLine({ ok: true, site: name, cloudId: id }) : `${id}\n`);
  return 0;
}
