import type { AtlassianClient } from "../../atlassian/client";
import { getMyPermissions, getMyself } from "../../atlassian/jira/account";
import type { JiraClient } from "../../atlassian/jira/jira-client";
import { getApplicationRoles, getInstanceLicense } from "../../atlassian/jira/licensing";
import { JIRA_OPERATIONS } from "../../atlassian/jira/operations";
import type { ApplicationRole, InstanceLicense } from "../../atlassian/jira/schemas";
import { assertSiteAccessible } from "../../atlassian/oauth/accessible-resources";
import type { TokenSet } from "../../atlassian/oauth/token-exchange";
import { MissingScopesError, NotAdministratorError } from "../../atlassian/errors";
import { missingScopes } from "../../atlassian/scopes";
import { excessScopes } from "../../atlassian/scope-probes";
import { leastPrivilegeFinding } from "./least-privilege";
import { type CheckOutcome, checkRecorder, recordPrivilege, warningsOf } from "./check-outcomes";
import type { RefreshTokenStore, StoredRefreshToken } from "../../token-store";
import { newHolderId, rotateUnderLease, seedFingerprint } from "../../token-store";

export { seedFingerprint };
import type { OAuthConnectionInputs, ProductSeats } from "./inputs";
import { problemFrom, type ValidationProblem } from "./problems";

/**
 * The validation `create` and `update` run, as one function with its I/O injected. Independent checks run
 * concurrently (tenant_info ∥ token exchange ∥ license checks); only dependent calls are in series. A rotated
 * refresh token is persisted the moment the exchange succeeds — before any other result is awaited — because the
 * presented token dies 10 minutes later whatever else goes wrong.
 */

export type OAuthPlan =
  /** Exchange the configured token (new connector, or the admin re-authorized) and seed the store. */
  | { kind: "exchange-configured" }
  /** Exchange the store's live token (client ID/secret changed) and persist its rotation. */
  | { kind: "exchange-live" }
  /** No token exchange at all; reuse the previous grant facts. */
  | { kind: "none"; grantedScopes: string[]; familyStartedAt: string };

export interface ValidationDeps {
  atlassian: AtlassianClient;
  store: RefreshTokenStore;
  now: () => Date;
  /** The lease holder; default: a new random ID per validation (never shared by two runs). */
  holder?: string;
  sleep?: (ms: number) => Promise<void>;
  leaseWaitMs?: number;
  /** How the "re-run within N minutes" advice names the re-run, e.g. "run `jira-connector check` again". */
  rerunHint?: string;
}

export { VALIDATION_CHECKS, type CheckOutcome, type ValidationCheck, recordPrivilege, warningsOf } from "./check-outcomes";

export interface ValidationResult {
  problems: ValidationProblem[];
  /** Per check, in completion order (the CLI's `check` table); `problems` is the same failures, de-duplicated. */
  checks: CheckOutcome[];
  tokenStored: boolean;
  cloudId?: string;
  grantedScopes: string[];
  familyStartedAt?: string;
  products: ProductSeats[];
  licenseAccountId?: string;
  /** Warnings (least privilege), each naming the property and the fix; `pulumi up` logs them. */
  warnings: string[];
}

/** How long a check waits for another run's lease (a collector run or another check holds it for seconds). */
export const DEFAULT_LEASE_WAIT_MS = 60_000;
/** How long a store outage before the claim is waited out (nothing is presented meanwhile; the token may be at risk). */
const STORE_WAIT_MS = 2 * 60_000;

/** A store failure (the claim or the successor's write), as opposed to Atlassian's answer. */
function storeWriteFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof (error as { location?: unknown })?.location === "string" && !["LEASE_HELD", "CLOCK_SKEW", "TOKEN_REJECTED"].includes(String(code));
}

export async function validateConnection(
  deps: ValidationDeps,
  inputs: OAuthConnectionInputs,
  plan: OAuthPlan,
  checkLicense: boolean,
): Promise<ValidationResult> {
  const { problems, checks, fail, pass } = checkRecorder();
  const requiredScopes = inputs.requiredScopes ?? [];
  let tokenStored = false;

  const cloudIdTask = deps.atlassian.cloudId(inputs.site, { expected: inputs.cloudId }).then(
    (cloudId) => (pass("site"), cloudId),
    (error) => {
      fail("site", problemFrom("site", error, { CLOUD_ID_MISMATCH: "cloudId" }));
      return undefined;
    },
  );

  const oauthTask = (async (): Promise<{ tokens?: TokenSet; familyStartedAt?: string; grantedScopes: string[] }> => {
    if (plan.kind === "none") return { grantedScopes: plan.grantedScopes, familyStartedAt: plan.familyStartedAt };
    let stored: StoredRefreshToken | undefined;
    try {
      stored = await deps.store.read();
      pass("token-store-read");
    } catch (error) {
      fail("token-store-read", problemFrom("tokenStore.secretArn", error));
      return { grantedScopes: [] };
    }
    const issuedAt = inputs.oauth.refreshTokenIssuedAt;
    // The consent time (when given) is the new family's start, so the expiry alarm counts from the consent.
    const configured =
      plan.kind === "exchange-configured"
        ? { refreshToken: inputs.oauth.refreshToken, seededFrom: seedFingerprint(inputs.oauth.refreshToken), ...(issuedAt ? { familyStartedAt: issuedAt } : {}) }
        : undefined;
    if (!configured && !stored) {
      fail("token-exchange", { property: "tokenStore.secretArn", message: "the token store holds no refresh token; supply a new oauth.refreshToken (jira-connector authorize)" });
      return { grantedScopes: [] };
    }
    // Every presentation goes through the lease (single flight with collector runs and other checks): the claim
    // proves the store writable and records the presentation before the token leaves this machine.
    try {
      const rotation = await rotateUnderLease(deps.store, {
        holder: deps.holder ?? newHolderId(`pulumi-${inputs.site}`),
        now: deps.now,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        waitMs: deps.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS,
        storeWaitMs: STORE_WAIT_MS,
        ...(configured ? { configured } : {}),
        exchange: (refreshToken, attempt) => deps.atlassian.oauth.refresh({ ...inputs.oauth, refreshToken, budgetMs: attempt.budgetMs }),
        serverClockOffsetMs: async () => deps.atlassian.serverClockOffsetMs(inputs.site),
        rerunHint: deps.rerunHint ?? "run `pulumi up` again",
      });
      if (rotation.atRisk) {
        // Never "all checks passed" while the stored token must be presented again before its deadline.
        fail("token-exchange", {
          property: "tokenStore.secretArn",
          message: `Atlassian's answers did not rotate a refresh token that an earlier run may already have rotated; ${deps.rerunHint ?? "run `pulumi up` again"} before ${new Date(rotation.deadline).toISOString()} so that it is presented in time`,
        });
        return { grantedScopes: [] };
      }
      tokenStored = true;
      pass("token-exchange");
      pass("token-store-write");
      return { tokens: rotation.exchanged, familyStartedAt: rotation.record.familyStartedAt, grantedScopes: rotation.exchanged.grantedScopes };
    } catch (error) {
      const check = storeWriteFailure(error) ? "token-store-write" : "token-exchange";
      fail(
        check,
        problemFrom(check === "token-store-write" || !configured ? "tokenStore.secretArn" : "oauth.refreshToken", error, {
          INVALID_CLIENT_CREDENTIALS: "oauth.clientSecret",
          REAUTHORIZATION_REQUIRED: "oauth.refreshToken",
          TOKEN_REJECTED: "oauth.refreshToken",
        }),
      );
      return { grantedScopes: [] };
    }
  })();

  const oauthChecks = (async () => {
    const [oauth, cloudId] = await Promise.all([oauthTask, cloudIdTask]);
    if (oauth.tokens || plan.kind === "none") {
      const missing = missingScopes(requiredScopes, oauth.grantedScopes);
      if (missing.length > 0) fail("scopes", { property: "oauth.refreshToken", message: new MissingScopesError(missing).message });
      else pass("scopes");
      recordPrivilege(
        leastPrivilegeFinding(excessScopes(oauth.grantedScopes), inputs.strictScopes === true, "oauth.refreshToken", "remove the extra scopes from the app's permissions in the Atlassian developer console and authorize again (jira-connector authorize)"),
        { pass, fail },
      );
    }
    if (oauth.tokens && cloudId) {
      try {
        assertSiteAccessible(await deps.atlassian.oauth.accessibleResources(oauth.tokens.accessToken), cloudId);
        pass("site-access");
      } catch (error) {
        fail("site-access", problemFrom("oauth.refreshToken", error));
      }
    }
    return oauth;
  })();

  const licenseChecks = (async (): Promise<{ products: ProductSeats[]; accountId?: string }> => {
    if (!checkLicense || !inputs.license) return { products: [] };
    const jira = deps.atlassian.jira({ kind: "api-token", site: inputs.site, email: inputs.license.email, apiToken: inputs.license.apiToken });
    const attribution = { API_TOKEN_REJECTED: "license.apiToken", NOT_ADMINISTRATOR: "license.email" };
    try {
      const [myself, permissions, products] = await Promise.all([getMyself(jira), getMyPermissions(jira, ["ADMINISTER"]), readProducts(jira)]);
      pass("license-account");
      if (!permissions.ADMINISTER) {
        fail("license-admin", { property: "license.email", message: new NotAdministratorError("reading seats", "ADMINISTER permission missing").message });
      } else pass("license-admin");
      pass("seats");
      return { products, accountId: myself.accountId };
    } catch (error) {
      let problem = problemFrom("license.apiToken", error, attribution);
      if ((error as { code?: unknown }).code === "API_TOKEN_REJECTED") {
        // A token with scopes works only through the gateway: one more request tells it from a bad token.
        const cloudId = await cloudIdTask;
        if (cloudId && (await isScopedToken(deps.atlassian, cloudId, inputs.license))) {
          problem = {
            property: "license.apiToken",
            message:
              "this is an API token with scopes, which Atlassian accepts only through the API gateway, not on the site host the license account uses. " +
              "Create a classic token (Create API token, without scopes) for license.apiToken, or switch the connector to scopedApiToken with this token (and remove oauth, license and tokenStore)",
          };
        }
      }
      if ((error as { code?: unknown }).code === "NOT_ADMINISTRATOR") {
        // Authenticated (the API token was accepted), but not allowed to read seats.
        pass("license-account");
        fail("license-admin", problem);
      } else fail("license-account", problem);
      return { products: [] };
    }
  })();

  const [cloudId, oauth, license] = await Promise.all([cloudIdTask, oauthChecks, licenseChecks]);
  let products = license.products;
  if (!inputs.license && oauth.tokens && cloudId && problems.length === 0) {
    // Without license credentials, seats are read through the OAuth grant (needs an admin's consent).
    const jira = deps.atlassian.jira({ kind: "oauth", cloudId, accessToken: oauth.tokens.accessToken, grantedScopes: oauth.grantedScopes });
    try {
      products = await readProducts(jira);
      pass("seats");
    } catch (error) {
      fail("seats", problemFrom("oauth.refreshToken", error));
    }
  }
  return {
    problems: dedupe(problems),
    checks,
    tokenStored,
    cloudId,
    grantedScopes: oauth.grantedScopes,
    familyStartedAt: oauth.familyStartedAt,
    products,
    licenseAccountId: license.accountId,
    warnings: warningsOf(checks),
  };
}

/** Whether the gateway takes `credentials` as a scoped token (its answer is not a plain 401). */
async function isScopedToken(atlassian: AtlassianClient, cloudId: string, credentials: { email: string; apiToken: string }): Promise<boolean> {
  const gateway = atlassian.jira({ kind: "scoped-api-token", cloudId, ...credentials });
  const response = await gateway.send(JIRA_OPERATIONS.myself).catch(() => undefined);
  if (!response) return false;
  // The client's own classifier: accepted, refused for scopes, or authenticated but not permitted all prove the token.
  try {
    gateway.throwOnFailure(JIRA_OPERATIONS.myself, response);
    return true;
  } catch (error) {
    return ["MISSING_SCOPES", "PERMISSION_DENIED", "NOT_ADMINISTRATOR"].includes((error as { code?: string }).code ?? "");
  }
}

/** Seats per product: application roles joined with the license plans. */
async function readProducts(jira: JiraClient): Promise<ProductSeats[]> {
  const [roles, license] = await Promise.all([getApplicationRoles(jira), getInstanceLicense(jira)]);
  return joinProducts(roles, license);
}

export function joinProducts(roles: readonly ApplicationRole[], license: InstanceLicense): ProductSeats[] {
  const plans = new Map(license.applications.map((a) => [a.id, a.plan]));
  return roles
    .map((role) => ({
      key: role.key,
      name: role.name,
      numberOfSeats: role.numberOfSeats ?? null,
      remainingSeats: role.remainingSeats ?? null,
      userCount: role.userCount ?? null,
      hasUnlimitedSeats: role.hasUnlimitedSeats,
      plan: plans.get(role.key) ?? null,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

function dedupe(problems: ValidationProblem[]): ValidationProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.property}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
