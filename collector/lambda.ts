import { AtlassianError } from "../atlassian/errors";
import { newHolderId } from "../token-store";
import type { Logger, LogFields } from "../atlassian/logger";
import { collectConnector } from "./collect";
import { readCredentials } from "./credentials";
import { authOf } from "./lambda-auth";
import { CollectorConfigurationError, LAMBDA_ENV, parseLambdaConfig } from "./lambda-config";
import { daysUntil, emfLine, type MetricValue, refreshTokenFamilyExpiresAt } from "./metrics";
import { S3SnapshotSink } from "./snapshot/s3-sink";
import { lambdaReadDeadline } from "./decisions/deadline";

/**
 * The scheduled collector's Lambda entry point. Configuration comes from environment variables (no secrets),
 * credentials from Secrets Manager — an OAuth client (the live refresh token then from its own secret) or a scoped
 * API token (no token secret). Logs are structured JSON without
 * secrets; metrics are Embedded Metric Format lines. A failed run throws, so the schedule's retry policy and the
 * dead-letter queue see it; a partial run (e.g. hourly quota exhausted) succeeds but reports Success = 0.
 */
export async function handler(
  event: unknown,
  context?: { awsRequestId?: string; getRemainingTimeInMillis?: () => number },
): Promise<{ complete: boolean; snapshotPrefix: string }> {
  void event;
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const log = (level: string) => (event: string, fields?: LogFields) => write(JSON.stringify({ level, event, ...fields }));
  const logger: Logger = { debug: () => {}, info: log("info"), warn: log("warn") };
  const config = parseLambdaConfig(process.env);
  const started = Date.now();
  // Reads stop before the Lambda timeout, keeping a margin to write the snapshot: a timed-out invocation leaves no
  // manifest at all, whereas a stopped one leaves a partial snapshot that says why (decisions/deadline.ts).
  const remaining = context?.getRemainingTimeInMillis?.();
  const deadline = remaining !== undefined ? lambdaReadDeadline(started, remaining) : undefined;
  const dimensions = { Connector: config.connectorName };
  try {
    const credentials = await readCredentials(config.credentialsSecretArn);
    // The org ID (environment) and its API key (secret) come from two places; one without the other is a mistake.
    if ((config.orgId === undefined) !== (credentials.orgApiKey === undefined)) {
      throw new CollectorConfigurationError([
        config.orgId === undefined
          ? `the credentials secret has an orgApiKey but ${LAMBDA_ENV.orgId} is not set; set the component's org.orgId (or remove the key)`
          : `${LAMBDA_ENV.orgId} is set but the credentials secret has no orgApiKey; set the component's org.apiKey (or remove org)`,
      ]);
    }
    const auth = authOf(credentials, config);
    const tokenStore = auth.tokenStore;
    const sink = new S3SnapshotSink({ bucket: config.bucketName, ...(config.snapshotKmsKeyArn ? { kmsKeyId: config.snapshotKmsKeyArn } : {}) });
    const result = await collectConnector(
      {
        connectorName: config.connectorName,
        site: config.site,
        cloudId: config.cloudId,
        ...auth.settings,
        ...(config.orgId && credentials.orgApiKey ? { org: { orgId: config.orgId, apiKey: credentials.orgApiKey } } : {}),
        inactivityDays: config.inactivityDays,
        auditLookbackDays: config.auditLookbackDays,
        ...(config.pricing ? { pricing: config.pricing } : {}),
        ...(config.limits ? { limits: config.limits } : {}),
      },
      { ...(tokenStore ? { tokenStore } : {}), sink, logger, runId: context?.awsRequestId ?? newHolderId("lambda"), ...(deadline !== undefined ? { deadline } : {}) },
    );
    const now = new Date();
    // A scoped token has no refresh-token family, so no DaysUntilRefreshTokenFamilyExpiry.
    const stored = tokenStore ? await tokenStore.read() : undefined;
    const runMetrics: MetricValue[] = [
      { name: "Success", value: result.complete ? 1 : 0, unit: "Count" },
      { name: "CollectionSeconds", value: (Date.now() - started) / 1000, unit: "Seconds" },
      { name: "Requests", value: result.stats.requests, unit: "Count" },
      { name: "RateLimitedResponses", value: result.stats.rateLimited, unit: "Count" },
      { name: "RateLimitWaitSeconds", value: result.stats.waitedMs / 1000, unit: "Seconds" },
      // Must stay 0: attempts sent on a route during a pause a 429 announced (request-gate.ts); the overlap apart.
      { name: "RequestsSentDuringKnownLimit", value: result.stats.sentDuringKnownLimit, unit: "Count" },
      { name: "RequestsInFlightAtRateLimit", value: result.stats.inFlightAtRateLimit, unit: "Count" },
      // People, not seats: "inactive" is proven by page-view dates; "unknown" no configured source could classify.
      { name: "InactiveSeatHolders", value: result.report.totals.inactivePeople, unit: "Count" },
      { name: "UnclassifiedSeatHolders", value: result.report.totals.unknownPeople, unit: "Count" },
    ];
    const familyDays = stored ? daysUntil(refreshTokenFamilyExpiresAt(stored.familyStartedAt), now) : undefined;
    if (familyDays !== undefined) runMetrics.push({ name: "DaysUntilRefreshTokenFamilyExpiry", value: familyDays, unit: "Count" });
    const apiTokenDays = daysUntil(config.apiTokenExpiresAt, now);
    if (apiTokenDays !== undefined) runMetrics.push({ name: "DaysUntilApiTokenExpiry", value: apiTokenDays, unit: "Count" });
    write(emfLine(dimensions, runMetrics, now));
    for (const product of result.report.products) {
      write(
        emfLine({ ...dimensions, Product: product.productKey }, [
          { name: "SeatsPurchased", value: product.seatsPurchased ?? NaN, unit: "Count" },
          { name: "SeatsUsed", value: product.seatsUsed, unit: "Count" },
          { name: "SeatsRemaining", value: product.seatsRemaining ?? NaN, unit: "Count" },
          { name: "InactiveSeatHolders", value: product.holdersByEvidence.inactive, unit: "Count" },
          { name: "UnclassifiedSeatHolders", value: product.holdersByEvidence.unknown, unit: "Count" },
        ], now),
      );
    }
    if (result.tokenAtRisk) {
      // Fail the invocation so that Lambda's async retry (+1 min, same request ID) presents the token in time.
      throw new Error(`the refresh token is at risk (${result.reasons.find((r) => r.startsWith("refresh token:")) ?? "see the log"}); failing so that Lambda retries`);
    }
    return { complete: result.complete, snapshotPrefix: result.snapshotPrefix };
  } catch (error) {
    write(emfLine(dimensions, [{ name: "Success", value: 0, unit: "Count" }], new Date()));
    // The name and, for Atlassian's typed errors, the code (e.g. CLOUD_ID_MISMATCH) are safe to log; the message is
    // what the runtime reports for the failed invocation, and typed errors' messages are scrubbed of secrets.
    const code = error instanceof AtlassianError ? error.code : undefined;
    logger.warn("collector.run.failed", { connector: config.connectorName, error: error instanceof Error ? error.name : "unknown", ...(code ? { code } : {}) });
    throw error;
  }
}
