/**
 * Seeding the token store before a local collection: a refresh token given on the command line (fresh from
 * `authorize`) replaces the store's only if it is a token the store was not already seeded from — the same
 * fingerprint rule the Pulumi provider uses, so running `collect` twice with the same variable set never presents
 * a token that was already rotated out.
 */
import type { RefreshTokenStore } from "../../token-store";
import { saveIfNewer } from "../../token-store";
import { seedFingerprint } from "../../providers/jira-connection/validate";
import { CliError } from "../io";

export type SeedAction = "seeded" | "reseeded" | "store";

export async function seedTokenStore(store: RefreshTokenStore, refreshToken: string | undefined, now: Date): Promise<SeedAction> {
  const stored = await store.read();
  if (!refreshToken) {
    if (stored) return "store";
    throw new CliError(
      `the token store ${store.location} holds no refresh token yet: pass --refresh-token (or JIRA_CONNECTOR_REFRESH_TOKEN) ` +
        "once, with a token from `jira-connector authorize`, to seed it.",
      "TOKEN_STORE_EMPTY",
    );
  }
  const fingerprint = seedFingerprint(refreshToken);
  if (stored?.seededFrom === fingerprint) return "store";
  const at = now.toISOString();
  await saveIfNewer(store, { refreshToken, rotatedAt: at, familyStartedAt: at, seededFrom: fingerprint });
  return stored ? "reseeded" : "seeded";
}
