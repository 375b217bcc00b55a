/**
 * The collector's first step: turn the configured credential into Jira clients. OAuth: claim, exchange and persist
 * the refresh token under the lease (token-rotation.ts) before the access token is used. Scoped API token: no
 * token to rotate; its scopes are probed (Atlassian does not report them) so the evidence plan knows what it can
 * read, and a token missing one of the connector's own scopes fails the run with every missing scope named.
 */
import type { AtlassianClient } from "../atlassian/client";
import { MissingScopesError } from "../atlassian/errors";
import type { JiraClient } from "../atlassian/jira/jira-client";
import { JIRA_OPERATIONS } from "../atlassian/jira/operations";
import { runScopeProbes } from "../atlassian/jira/scope-probe-reads";
import { CONNECTOR_OPERATIONS, interpretProbes, ISOLATING_PROBES, probeOrder, requiredConnectorScopes } from "../atlassian/scope-probes";
import type { Logger } from "../atlassian/logger";
import type { RefreshTokenStore } from "../token-store";
import { rotateCollectorToken } from "./token-rotation";

/** Reads only evidence sources need: probed so that a scoped token holding their scopes gets them read. */
const EVIDENCE_OPERATIONS = [JIRA_OPERATIONS.bulkChangelogs, JIRA_OPERATIONS.issueComments, JIRA_OPERATIONS.worklogsUpdated, JIRA_OPERATIONS.worklogsByIds];

/**
 * Atlassian refused the scoped token: expired (Atlassian forces an expiry) or revoked. Atlassian cannot extend or
 * restore a token, so the fix is always a new one. The name is assigned, not derived: class names do not survive
 * the minified Lambda bundle.
 */
export class ScopedApiTokenRefusedError extends Error {
  /** A typed, secret-free error: the CLI prints its message (cli/io.ts describeError). */
  readonly code = "SCOPED_API_TOKEN_REFUSED";
  constructor(readonly status: number | undefined) {
    super(
      `Atlassian refused the scoped API token${status ? ` (HTTP ${status})` : ""}: it has expired or was revoked (or the email is not ` +
        "the account that created it). Create a new scoped token at https://id.atlassian.com/manage-profile/security/api-tokens " +
        '("Create API token with scopes", app Jira, the same scopes), then set scopedApiToken.apiToken and scopedApiToken.expiresAt and run pulumi up (CLI: pass it as --scoped-api-token)',
    );
    this.name = "ScopedApiTokenRefusedError";
  }
}

export interface CredentialStepInput {
  atlassian: AtlassianClient;
  connectorName: string;
  site: string;
  cloudId: string;
  oauth?: { clientId: string; clientSecret: string };
  scopedApiToken?: { email: string; apiToken: string };
  tokenStore?: RefreshTokenStore;
  holder: string;
  now: () => Date;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  seed?: { refreshToken: string; seededFrom: string; familyStartedAt?: string };
}

export interface OpenedCredential {
  /** The client for the connector's own reads: OAuth's or the scoped token's (a license client may replace it). */
  jira: JiraClient;
  /** The scopes the credential holds (granted or probed), for the evidence plan. */
  grantedScopes: string[];
  /** OAuth only. */
  familyStartedAt?: string;
  /** OAuth only: the stored token must be presented again before this deadline (see `RotationResult.atRisk`). */
  atRiskDeadline?: number;
}

export async function openCredential(input: CredentialStepInput): Promise<OpenedCredential> {
  if (input.scopedApiToken) return openScopedToken(input, input.scopedApiToken);
  if (!input.oauth || !input.tokenStore) throw new Error("collector settings: an OAuth connector needs oauth and a token store");
  const rotation = await rotateCollectorToken(input.tokenStore, {
    atlassian: input.atlassian,
    oauth: input.oauth,
    site: input.site,
    holder: input.holder,
    now: input.now,
    ...(input.sleep ? { sleep: input.sleep } : {}),
    ...(input.seed ? { seed: input.seed } : {}),
  });
  input.logger.info("collector.token.rotated", {
    connector: input.connectorName,
    familyStartedAt: rotation.record.familyStartedAt,
    tookOver: rotation.tookOver,
    atRisk: rotation.atRisk,
  });
  const { accessToken, grantedScopes } = rotation.exchanged;
  return {
    jira: input.atlassian.jira({ kind: "oauth", cloudId: input.cloudId, accessToken, grantedScopes }),
    grantedScopes,
    familyStartedAt: rotation.record.familyStartedAt,
    ...(rotation.atRisk ? { atRiskDeadline: rotation.deadline } : {}),
  };
}

async function openScopedToken(input: CredentialStepInput, token: { email: string; apiToken: string }): Promise<OpenedCredential> {
  const probing = input.atlassian.jira({ kind: "scoped-api-token", cloudId: input.cloudId, ...token });
  const run = await runScopeProbes(probing, probeOrder([...CONNECTOR_OPERATIONS, ...ISOLATING_PROBES, ...EVIDENCE_OPERATIONS]), []);
  // An expired or revoked token: fail the run (the error alarm), naming what to do.
  if (run.rejected) throw run.rejected.code === "API_TOKEN_REJECTED" ? new ScopedApiTokenRefusedError(run.rejected.status) : run.rejected;
  const findings = interpretProbes(run.reads);
  const required = requiredConnectorScopes();
  const missing = [...findings.missing.filter((s) => required.includes(s)), ...findings.unresolved.flatMap((u) => u.scopes.filter((s) => required.includes(s)))];
  if (missing.length > 0) throw new MissingScopesError([...new Set(missing)].sort(), undefined, "scoped-api-token");
  input.logger.info("collector.scoped-token.probed", { connector: input.connectorName, held: findings.held.length, unverified: findings.unverified.length });
  return {
    jira: input.atlassian.jira({ kind: "scoped-api-token", cloudId: input.cloudId, ...token, grantedScopes: findings.held }),
    grantedScopes: findings.held,
  };
}
