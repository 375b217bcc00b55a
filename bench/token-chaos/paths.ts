/**
 * The production paths that present a refresh token, each driven through one `Writer`:
 * - the collector (collector/collect.ts): `rotateCollectorToken`, the very call `collectConnector` makes;
 * - `collect --refresh-token` (cli/commands/collect.ts): `planSeed` (with --force: an admin re-authorized), then the
 *   collector's rotation with `configured`;
 * - `pulumi up` and `jira-connector check` (providers/jira-connection/validate.ts): `validateConnection` itself, with
 *   `exchange-configured` (a new consent's token) or `exchange-live` (the store's token).
 */
import { planSeed } from "../../cli/collect/seed";
import { checkConnectionInputs } from "../../providers/jira-connection/check";
import type { OAuthConnectionInputs as ConnectionInputs } from "../../providers/jira-connection/inputs";
import { validateConnection } from "../../providers/jira-connection/validate";
import { rotateCollectorToken } from "../../collector/token-rotation";
import type { Writer } from "./writer";

export const SITE = "acme";

export type PathKind = "collector" | "cli-collect-seed" | "pulumi-up-seed" | "check-seed" | "check-live" | "pulumi-up-live";

export interface PathOutcome {
  ok: boolean;
  /** "rotated", "at-risk", or the failure (error name or the failed validation check). */
  result: string;
}

export async function runPath(writer: Writer, kind: PathKind, configuredToken?: string, issuedAt?: string): Promise<PathOutcome> {
  try {
    switch (kind) {
      case "collector":
        return await collectorRotation(writer);
      case "cli-collect-seed": {
        const plan = await planSeed(writer.store, configuredToken, writer.now(), true, issuedAt);
        return await collectorRotation(writer, plan.seed);
      }
      case "pulumi-up-seed":
      case "check-seed":
        return await validate(writer, { kind: "exchange-configured" }, configuredToken!, issuedAt);
      case "check-live":
      case "pulumi-up-live":
        return await validate(writer, { kind: "exchange-live" }, "unused-configured-token");
    }
  } catch (error) {
    return { ok: false, result: writer.crashed ? "crashed" : ((error as Error).name ?? "Error") };
  }
}

async function collectorRotation(writer: Writer, seed?: { refreshToken: string; seededFrom: string; familyStartedAt?: string }): Promise<PathOutcome> {
  const app = writer.world.emulator.app();
  const rotation = await rotateCollectorToken(writer.store, {
    atlassian: writer.atlassian,
    oauth: { clientId: app.clientId, clientSecret: app.clientSecret },
    site: SITE,
    holder: writer.plan.holder,
    now: writer.now,
    sleep: writer.sleep,
    ...(seed ? { seed } : {}),
  });
  // An at-risk rotation fails the invocation (collector/lambda.ts), so that Lambda retries inside the deadline.
  return rotation.atRisk ? { ok: false, result: "at-risk" } : { ok: true, result: "rotated" };
}

async function validate(writer: Writer, plan: { kind: "exchange-configured" | "exchange-live" }, refreshToken: string, issuedAt?: string): Promise<PathOutcome> {
  const result = await validateConnection(
    { atlassian: writer.atlassian, store: writer.store, now: writer.now, holder: writer.plan.holder, sleep: writer.sleep, rerunHint: "run again" },
    inputs(writer, refreshToken, issuedAt),
    plan,
    false,
  );
  if (writer.crashed) return { ok: false, result: "crashed" };
  if (result.tokenStored) return { ok: true, result: "rotated" };
  const failed = result.checks.find((c) => !c.ok && (c.check === "token-exchange" || c.check === "token-store-write" || c.check === "token-store-read"));
  const message = failed && !failed.ok ? failed.problem.message : "";
  if (/answers did not rotate/.test(message)) return { ok: false, result: "at-risk" };
  const kind = /holds the token until/.test(message) ? "lease-held" : /clock/.test(message) ? "clock-skew" : /could not be saved/.test(message) ? "not-saved" : "failed";
  return { ok: false, result: `${failed?.check ?? "validation"}:${kind}` };
}

function inputs(writer: Writer, refreshToken: string, issuedAt?: string): ConnectionInputs {
  const app = writer.world.emulator.app();
  const raw = {
    site: `https://${SITE}.atlassian.net/`,
    oauth: { clientId: app.clientId, clientSecret: app.clientSecret, refreshToken, ...(issuedAt ? { refreshTokenIssuedAt: issuedAt } : {}) },
    tokenStore: { secretArn: "arn:aws:secretsmanager:us-east-1:000000000000:secret:jira-connector-bench" },
  };
  const { inputs, failures } = checkConnectionInputs(raw, writer.now());
  if (failures.length > 0) throw new Error(`bench inputs invalid: ${JSON.stringify(failures)}`);
  return inputs as unknown as ConnectionInputs;
}
