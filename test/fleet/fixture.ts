/**
 * A fleet folder from the emulator: several sites, each collected by the CLI's `collect` (in-process) into one
 * `--out` directory, so the views read exactly what the collector writes. Alex Admin's account holds every product
 * on every site of a seed (the emulator shares the admin and member accounts across sites).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { runInProcess } from "../cli/helpers";

export const FLEET_SITES = ["acme", "globex", "initech"] as const;

export interface Fleet {
  emu: AtlassianEmulator;
  dir: string;
  /** Collects every site once more (a second snapshot per connector), `ms` later on the emulator's clock. */
  collectAll(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFleet(): Promise<Fleet> {
  const emu = await startAtlassianEmulator({ sites: FLEET_SITES.map((name, i) => ({ name, users: 30 + 10 * i, issues: 40, auditRecords: 60 })) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-"));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-home-"));
  const grants = new Map(FLEET_SITES.map((name) => [name, emu.grant({ sites: [name] }).refreshToken]));
  let seeded = false;
  const collectAll = async (ms = 0): Promise<void> => {
    emu.clock.advance(ms);
    for (const name of FLEET_SITES) {
      const site = emu.site(name);
      const flags = [
        "--client-id", emu.app().clientId,
        "--client-secret", emu.app().clientSecret,
        ...(seeded ? [] : ["--refresh-token", grants.get(name)!]),
        "--license-email", site.admin.email,
        "--api-token", site.admin.apiToken,
        // Prices on one site only: the views must carry costs where known and NULL elsewhere.
        ...(name === "acme" ? ["--price", "jira-software=8.60", "--price", "jira-servicedesk=23.50", "--currency", "USD"] : []),
      ];
      const run = await runInProcess(["collect", "--out", dir, "--site", name, ...flags, "--json"], { ...emu.env, XDG_CONFIG_HOME: home });
      if (run.code !== 0) throw new Error(`collect ${name} failed (${run.code}): ${run.stdout} ${run.stderr}`);
    }
    seeded = true;
  };
  return {
    emu,
    dir,
    collectAll,
    close: async () => {
      await emu.close();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
