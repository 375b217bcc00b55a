/**
 * A connector of one of the emulator's sites, ready for `collectConnector`: a file token store in `dir` holding a
 * fresh grant (rotated and its family started at the emulator's now) and OAuth settings, with the site admin's
 * license token for bulk reads unless `license: false`. The set-up the collector suites share.
 */
import * as path from "path";
import { createFileStore } from "../../token-store";
import type { CollectorSettings } from "../../collector/collect";
import type { AtlassianEmulator } from "./atlassian-emulator";

export async function emulatorConnector(
  emulator: AtlassianEmulator,
  dir: string,
  name: string,
  options: { site?: string; grant?: Parameters<AtlassianEmulator["grant"]>[0]; license?: boolean } = {},
) {
  const siteName = options.site ?? "acme";
  const site = emulator.site(siteName);
  const tokenStore = createFileStore({ path: path.join(dir, `${name}.token.json`) });
  const grant = emulator.grant(options.grant);
  const now = new Date(emulator.clock.now()).toISOString();
  await tokenStore.compareAndSwap(undefined, { refreshToken: grant.refreshToken, rotatedAt: now, familyStartedAt: now });
  const settings: CollectorSettings = {
    connectorName: name,
    site: siteName,
    cloudId: site.cloudId,
    oauth: { clientId: emulator.app().clientId, clientSecret: emulator.app().clientSecret },
    ...(options.license === false ? {} : { license: { email: site.admin.email, apiToken: site.admin.apiToken } }),
  };
  return { site, grant, tokenStore, settings };
}
