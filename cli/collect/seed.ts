/**
 * Seeding the token store before a local collection: a refresh token given on the command line (fresh from
 * `authorize`) is presented by the collection itself, under the store's lease (`rotateUnderLease` with
 * `configured`). It never replaces a stored token before its exchange succeeded (an empty store receives it with
 * the claim, as there is nothing to lose). The same fingerprint rule as the Pulumi provider: running `collect`
 * twice with the same variable set never presents a token that was already rotated out.
 */
import { decideSeed, type RefreshTokenStore, seedFingerprint } from "../../token-store";
import { CliError } from "../io";

export type SeedAction = "seeded" | "reseeded" | "store";

export interface SeedPlan {
  action: SeedAction;
  /** The configured token to present, when it is to replace the store's. */
  seed?: { refreshToken: string; seededFrom: string; familyStartedAt?: string };
}

export async function planSeed(store: RefreshTokenStore, refreshToken: string | undefined, now: Date, force: boolean, issuedAt?: string): Promise<SeedPlan> {
  const stored = await store.read();
  if (!refreshToken) {
    if (stored) return { action: "store" };
    throw new CliError(
      `the token store ${store.location} holds no refresh token yet: pass --refresh-token (or JIRA_CONNECTOR_REFRESH_TOKEN) ` +
        "once, with a token from `jira-connector authorize`, to seed it.",
      "TOKEN_STORE_EMPTY",
    );
  }
  const seededFrom = seedFingerprint(refreshToken);
  const decision = decideSeed(stored, seededFrom, now.getTime(), force);
  if (decision.kind === "use-stored") return { action: "store" };
  if (decision.kind === "refuse") {
    throw new CliError(
      `not seeding ${store.location} with --refresh-token: ${decision.reason}. Drop --refresh-token to use the stored ` +
        "token, point --token-file/--token-secret-arn at this connector's own store, or pass --force to replace it.",
      "TOKEN_STORE_IN_USE",
      2,
    );
  }
  // The consent time (when given) is the new family's start: the record's expiry figures count from it.
  return { action: stored ? "reseeded" : "seeded", seed: { refreshToken, seededFrom, ...(issuedAt ? { familyStartedAt: issuedAt } : {}) } };
}
