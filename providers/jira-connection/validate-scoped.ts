import { z } from "zod";
import type { AtlassianClient } from "../../atlassian/client";
import { type AtlassianError, NotAdministratorError, UnexpectedResponseError } from "../../atlassian/errors";
import type { JiraClient } from "../../atlassian/jira/jira-client";
import { JIRA_OPERATIONS } from "../../atlassian/jira/operations";
import { runScopeProbes, WRITE_PROBES, type ProbeRun } from "../../atlassian/jira/scope-probe-reads";
import { applicationRoleSchema, licenseSchema, userSchema } from "../../atlassian/jira/schemas";
import { interpretProbes, probeOrder, requiredConnectorScopes } from "../../atlassian/scope-probes";
import type { ProductSeats, ScopedConnectionInputs } from "./inputs";
import { problemFrom, type ValidationProblem } from "./problems";
import { joinProducts, type ValidationResult } from "./validate";
import { checkRecorder, recordPrivilege, type ValidationCheck, warningsOf } from "./check-outcomes";
import { leastPrivilegeFinding } from "./least-privilege";

/**
 * Validation of a scoped-API-token connector: no token exchange, no token store. Atlassian reports no scoped
 * token's scopes, so every read the connector makes is probed at once through the gateway (plus three write
 * probes Jira must refuse, for least privilege); the answers prove the token genuine, list every missing scope in
 * one problem, and carry the seat counts (application roles, licence) validation needs anyway. One round trip
 * when the cloud ID is configured, two when it has to be derived first (the gateway URL contains it).
 */

export const SCOPED_VALIDATION_CHECKS = ["site", "scoped-token", "scopes", "least-privilege", "license-admin", "seats"] as const satisfies readonly ValidationCheck[];

export const CREATE_SCOPED_TOKEN_FIX =
  "create an API token with scopes at https://id.atlassian.com/manage-profile/security/api-tokens (\"Create API token with scopes\", app Jira)";

export interface ScopedValidationDeps {
  atlassian: AtlassianClient;
  now: () => Date;
}

export async function validateScopedConnection(deps: ScopedValidationDeps, inputs: ScopedConnectionInputs): Promise<ValidationResult> {
  const { problems, checks, fail, pass } = checkRecorder();
  const token = inputs.scopedApiToken;
  const empty = { tokenStored: false, grantedScopes: [] as string[], products: [] as ProductSeats[], warnings: [] as string[] };

  const siteTask = deps.atlassian.cloudId(inputs.site, { expected: inputs.cloudId }).then(
    (cloudId) => (pass("site"), cloudId),
    (error) => void fail("site", problemFrom("site", error, { CLOUD_ID_MISMATCH: "cloudId" })),
  );
  // With a configured cloud ID the probes need not wait for tenant_info (a mismatch fails "site" either way).
  const cloudId = inputs.cloudId ?? (await siteTask);
  if (!cloudId) return { ...empty, problems, checks };
  const jira = deps.atlassian.jira({ kind: "scoped-api-token", cloudId, email: token.email, apiToken: token.apiToken });
  const [site, run] = await Promise.all([siteTask, runScopeProbes(jira, [JIRA_OPERATIONS.myself, ...probeOrder()], WRITE_PROBES)]);
  if (!site) return { ...empty, problems, checks };

  if (run.rejected) {
    fail("scoped-token", await rejectedProblem(deps.atlassian, inputs, run.rejected));
    return { ...empty, cloudId, problems, checks };
  }
  pass("scoped-token");

  // Scopes: every missing one in one problem; probes that proved nothing (5xx, rate limit) make it inconclusive.
  const findings = interpretProbes(run.reads);
  const required = requiredConnectorScopes();
  const missing = findings.missing.filter((s) => required.includes(s));
  const unresolved = findings.unresolved.map((u) => `one of ${u.scopes.join(", ")} (${u.operation} was refused)`);
  // A probe that failed otherwise (5xx, rate limit) proves nothing; it matters only if no other probe proved its scopes.
  const failedProbes = run.reads.filter((r) => r.outcome === "other-failure");
  const unverified = findings.unverified.filter((s) => required.includes(s));
  if (missing.length > 0 || unresolved.length > 0) {
    const lacks = [...(missing.length > 0 ? [missing.join(", ")] : []), ...unresolved].join("; and ");
    // A scope whose every probe also needs a missing one cannot be checked yet: say so rather than guess.
    const later = unverified.length > 0 ? ` (${unverified.join(", ")} cannot be checked until then)` : "";
    fail("scopes", {
      property: "scopedApiToken.apiToken",
      message: `the token lacks ${lacks}${later}. Atlassian cannot add scopes to an existing token: ${CREATE_SCOPED_TOKEN_FIX} with these scopes: ${required.join(" ")}`,
    });
  } else if (unverified.length > 0) {
    const failed = failedProbes.filter((r) => r.operation.granularScopes.some((s) => unverified.includes(s)));
    fail("scopes", {
      property: "scopedApiToken.apiToken",
      message: `could not verify ${unverified.join(", ")}: ${failed.map((r) => `${r.operation.method} /rest/api/3${r.operation.path}`).join(", ")} failed (${failed[0]?.error?.message ?? "no answer"}); run again`,
    });
  } else pass("scopes");

  const privilege = leastPrivilegeFinding(writesNamed(run), inputs.strictScopes === true, "scopedApiToken.apiToken", `${CREATE_SCOPED_TOKEN_FIX} with only the read scopes`);
  recordPrivilege(privilege, { pass, fail });

  // Seats come from the probes' own answers (application roles and licence): no further round trip.
  const notAdmin = run.reads.find((r) => r.notAdministrator && r.operation === JIRA_OPERATIONS.applicationRoles);
  let products: ProductSeats[] = [];
  let licenseAccountId: string | undefined;
  if (notAdmin) {
    fail("license-admin", {
      property: "scopedApiToken.email",
      message: new NotAdministratorError("reading seats (GET /rest/api/3/applicationrole)", "the token's account is not a Jira administrator").message,
    });
  } else if (missing.length === 0 && unresolved.length === 0 && unverified.length === 0) {
    pass("license-admin");
    try {
      products = joinProducts(decoded(jira, run, "applicationRoles", z.array(applicationRoleSchema())), decoded(jira, run, "instanceLicense", licenseSchema()));
      licenseAccountId = decodedOptional(jira, run, "myself", userSchema())?.accountId;
      pass("seats");
    } catch (error) {
      fail("seats", problemFrom("scopedApiToken.apiToken", error));
    }
  }
  return { problems, checks, tokenStored: false, cloudId, grantedScopes: findings.held, products, licenseAccountId, warnings: warningsOf(checks) };
}

/**
 * A token refused outright (401 without a scope mismatch): a classic token (the gateway refuses those; the site
 * host takes them), or a wrong email, a mistyped, expired or revoked token. One extra request tells them apart.
 */
async function rejectedProblem(atlassian: AtlassianClient, inputs: ScopedConnectionInputs, error: AtlassianError): Promise<ValidationProblem> {
  const { email, apiToken } = inputs.scopedApiToken;
  const site = atlassian.jira({ kind: "api-token", site: inputs.site, email, apiToken });
  const classic = await site.send(JIRA_OPERATIONS.myself).then((r) => r.status >= 200 && r.status < 300, () => false);
  if (classic) {
    return {
      property: "scopedApiToken.apiToken",
      message:
        `this is a classic API token (no scopes): Atlassian accepts it on ${inputs.site}.atlassian.net but not through the API gateway a scoped token uses. ` +
        `Either ${CREATE_SCOPED_TOKEN_FIX} and put it in scopedApiToken, or use OAuth with this token as license.apiToken`,
    };
  }
  return { property: "scopedApiToken.apiToken", message: `for ${email}: ${error.message}` };
}

function writesNamed(run: ProbeRun): string[] {
  return run.writesAllowed.map((op) => `${op.method} /rest/api/3${op.path} (${op.granularScopes.filter((s) => !s.startsWith("read:")).join(", ")} or a classic write/manage scope)`);
}

type ProbedRead = "applicationRoles" | "instanceLicense" | "myself";

function decoded<S extends z.ZodType>(jira: JiraClient, run: ProbeRun, name: ProbedRead, schema: S): z.output<S> {
  const answer = run.reads.find((r) => r.operation === JIRA_OPERATIONS[name]);
  if (!answer?.response) throw new UnexpectedResponseError(`GET /rest/api/3${JIRA_OPERATIONS[name].path}`, "the probe gave no body to read");
  return jira.decode(JIRA_OPERATIONS[name], schema, answer.response);
}

function decodedOptional<S extends z.ZodType>(jira: JiraClient, run: ProbeRun, name: ProbedRead, schema: S): z.output<S> | undefined {
  return run.reads.find((r) => r.operation === JIRA_OPERATIONS[name])?.response ? decoded(jira, run, name, schema) : undefined;
}
