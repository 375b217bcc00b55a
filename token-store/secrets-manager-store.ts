/**
 * A refresh-token store in AWS Secrets Manager, shared by the Pulumi provider (seeds it) and the collector
 * (rotates it on every run).
 *
 * ## Compare-and-swap with version stages
 * The value is JSON `{"schema":1,"refreshToken","rotatedAt","familyStartedAt"}`; the current record is the version
 * labelled `AWSCURRENT`, and its VersionId is the record's `version`. `compareAndSwap(V, next)`:
 * 1. `PutSecretValue` of `next` with a fresh `ClientRequestToken` and `VersionStages: ["JIRA_CONNECTOR_PENDING"]`,
 *    so readers keep seeing V: the new version N is stored but not current.
 * 2. `UpdateSecretVersionStage({ VersionStage: "AWSCURRENT", MoveToVersionId: N, RemoveFromVersionId: V })`.
 *    Secrets Manager refuses it when `AWSCURRENT` is no longer on V; that refusal is the conflict.
 * 3. On any failure of step 2, `DescribeSecret` decides: `AWSCURRENT` on N means we won (an SDK retry of a move
 *    that had succeeded); on V means step 2 failed for another reason (e.g. permissions), which is rethrown; anywhere
 *    else means another writer won: `TokenStoreConflictError`.
 * 4. Best effort, the pending label is removed from N (only if still there), so N is left with `AWSCURRENT` (won)
 *    or no label at all (lost: Secrets Manager deprecates it and eventually deletes it).
 *
 * **Unseeded store** (`expectedVersion` undefined; the secret exists with no value): Secrets Manager attaches
 * `AWSCURRENT` to a secret's *first* version itself, whatever stages the call names, and only one version can be
 * first. So step 1 alone decides: N came back labelled `AWSCURRENT` → won; otherwise another writer seeded it first
 * → conflict. (If versions exist but none is current, which only a manual label removal causes, N is attached with
 * `MoveToVersionId` and no `RemoveFromVersionId`, which AWS refuses once any version holds the label.)
 *
 * ## Residual races (honest list)
 * - A writer that dies between steps 1 and 2 leaves its token only in a version labelled
 *   `JIRA_CONNECTOR_PENDING` (until another writer's step 1 moves the label). It is recoverable by hand
 *   (`aws secretsmanager get-secret-value --version-stage JIRA_CONNECTOR_PENDING`) but nothing reads it.
 * - Two writers' step 1 race for the single pending label; the loser's version becomes unlabelled early. Harmless:
 *   step 2 names versions by id, and AWS does not delete versions younger than 24 hours.
 * - Step 3 may report a conflict for a write that did land and was then superseded by a third writer's CAS from N
 *   before the `DescribeSecret`. No token is lost (the successor had read N); `saveIfNewer` re-reads and stops.
 * - ABA: if someone moves `AWSCURRENT` back to an old version V by hand, a stale writer expecting V succeeds.
 * - If the secret is deleted and re-created between read and CAS, a CAS expecting V seeds the new secret.
 * - Each CAS creates a version; AWS keeps at most ~100 within 24 hours, far above one rotation per run.
 *
 * IAM: `secretsmanager:GetSecretValue`, `DescribeSecret`, `PutSecretValue`, `UpdateSecretVersionStage` on the
 * secret (plus `kms:Decrypt` / `kms:GenerateDataKey` for a customer-managed key).
 *
 * Pulumi's closure serializer captures this module: the SDK is `require`d inside the methods, and no client, schema
 * or other non-plain object lives at module level or on the instance.
 */
import { randomUUID } from "node:crypto";
import { MalformedStoreValueError, TokenStoreConflictError, TokenStoreRejectedError } from "./errors";
import { assertValidRecord, parseRecord, serializeRecord } from "./record";
import { scheduledForDeletion, toTokenStoreError, type SecretContext } from "./secrets-manager-errors";
import type { RefreshTokenRecord, RefreshTokenStore, StoredRefreshToken } from "./types";

type Sdk = typeof import("@aws-sdk/client-secrets-manager");
type Client = InstanceType<Sdk["SecretsManagerClient"]>;

/** The label a new version carries between `PutSecretValue` and the `AWSCURRENT` move. */
export const PENDING_STAGE = "JIRA_CONNECTOR_PENDING";
const CURRENT_STAGE = "AWSCURRENT";
/** GetSecretValue attempts when AWSCURRENT is briefly not found on a secret that has versions. */
const READ_ATTEMPTS = 4;

export interface SecretsManagerStoreOptions {
  /** The secret's ARN (a name also works, but then the region must come from options or the environment). */
  secretArn: string;
  /**
   * Default: the region in `secretArn`, else the SDK's default chain (`AWS_REGION`, profile). The SDK's standard
   * `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_SECRETS_MANAGER`) points it at an emulator.
   */
  region?: string;
}

/** A `RefreshTokenStore` backed by one Secrets Manager secret. See the module comment for the CAS design. */
export class SecretsManagerRefreshTokenStore implements RefreshTokenStore {
  readonly location: string;
  readonly secretArn: string;
  readonly region: string | undefined;
  /** This clock minus AWS's, from the last response's `Date` header (see `serverClockOffsetMs`). */
  private clockOffsetMs: number | undefined;

  constructor(options: SecretsManagerStoreOptions) {
    if (typeof options.secretArn !== "string" || options.secretArn.trim() === "") {
      throw new TokenStoreRejectedError("secretsmanager:", "configuration", "secretArn is empty");
    }
    this.secretArn = options.secretArn;
    this.location = `secretsmanager:${options.secretArn}`;
    this.region = options.region ?? /^arn:[^:]+:secretsmanager:([a-z0-9-]+):/.exec(options.secretArn)?.[1];
  }

  serverClockOffsetMs(): number | undefined {
    return this.clockOffsetMs;
  }

  /** The `AWSCURRENT` record, or `undefined` when the secret exists but was never given a value. */
  async read(): Promise<StoredRefreshToken | undefined> {
    return this.withClient([], async (client, sdk, context) => {
      for (let attempt = 1; ; attempt++) {
        let response;
        try {
          response = await client.send(
            new sdk.GetSecretValueCommand({ SecretId: this.secretArn, VersionStage: CURRENT_STAGE }),
          );
        } catch (error) {
          // "No AWSCURRENT value" and "no such secret" are the same exception; DescribeSecret tells them apart.
          if ((error as { name?: unknown }).name !== "ResourceNotFoundException") {
            throw toTokenStoreError(error, "GetSecretValue", context);
          }
          const stages = await this.describeStages(client, sdk, context);
          if (Object.keys(stages).length === 0) return undefined; // no version at all: never seeded
          // Versions exist: the label may have been caught mid-move by a concurrent writer (moto shows this
          // window; AWS may, as it is eventually consistent). Look again before concluding anything.
          if (attempt < READ_ATTEMPTS) {
            await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
            continue;
          }
          if (this.hasCurrent(stages)) throw toTokenStoreError(error, "GetSecretValue", context);
          return undefined; // versions but none current: only a hand-removed label does this; treat as unseeded
        }
        if (response.SecretString === undefined) {
          throw new MalformedStoreValueError(
            this.location,
            ["it holds SecretBinary instead of a JSON SecretString"],
            response.VersionId,
          );
        }
        if (!response.VersionId) {
          throw new TokenStoreRejectedError(this.location, "GetSecretValue", "the response has no VersionId");
        }
        const record = parseRecord(response.SecretString, this.location, response.VersionId);
        return { ...record, version: response.VersionId };
      }
    });
  }

  /** Compare-and-swap through version stages; see the module comment. Returns the new VersionId. */
  async compareAndSwap(expectedVersion: string | undefined, next: RefreshTokenRecord): Promise<string> {
    assertValidRecord(next, this.location);
    return this.withClient([next.refreshToken], async (client, sdk, context) => {
      let put;
      try {
        put = await client.send(
          new sdk.PutSecretValueCommand({
            SecretId: this.secretArn,
            // Fresh per CAS: the SDK's own retries reuse it, so a retried put cannot create a second version.
            ClientRequestToken: randomUUID(),
            SecretString: serializeRecord(next),
            VersionStages: [PENDING_STAGE],
          }),
        );
      } catch (error) {
        throw toTokenStoreError(error, "PutSecretValue", context);
      }
      const newVersion = put.VersionId;
      if (!newVersion) throw new TokenStoreRejectedError(this.location, "PutSecretValue", "no VersionId returned");
      try {
        // The secret's first version: AWS made it current. Only one writer can be first.
        if (put.VersionStages?.includes(CURRENT_STAGE)) return newVersion;
        await this.promote(client, sdk, context, expectedVersion, newVersion);
        return newVersion;
      } finally {
        await this.removePendingLabel(client, sdk, newVersion);
      }
    });
  }

  /** Step 2 and 3: move AWSCURRENT to `newVersion` iff it is on `expectedVersion`, or explain why not. */
  private async promote(
    client: Client,
    sdk: Sdk,
    context: SecretContext,
    expectedVersion: string | undefined,
    newVersion: string,
  ): Promise<void> {
    let moveError: unknown;
    if (expectedVersion !== undefined || !this.hasCurrent(await this.describeStages(client, sdk, context))) {
      try {
        await client.send(
          new sdk.UpdateSecretVersionStageCommand({
            SecretId: this.secretArn,
            VersionStage: CURRENT_STAGE,
            MoveToVersionId: newVersion,
            ...(expectedVersion !== undefined ? { RemoveFromVersionId: expectedVersion } : {}),
          }),
        );
        return;
      } catch (error) {
        moveError = error;
      }
    }
    const current = await this.settledCurrentVersion(client, sdk, context);
    if (current === newVersion) return; // a retried move that had already succeeded
    if (current !== undefined && current !== expectedVersion) {
      throw new TokenStoreConflictError(this.location, expectedVersion, `it now holds version ${current}`);
    }
    // AWSCURRENT did not move (still on expectedVersion, or nowhere): the move failed for its own reason.
    throw toTokenStoreError(
      moveError ?? new Error("AWSCURRENT could not be attached"),
      "UpdateSecretVersionStage",
      context,
    );
  }

  /** Best effort: a leftover pending label is harmless, so failures here never mask the CAS outcome. */
  private async removePendingLabel(client: Client, sdk: Sdk, version: string): Promise<void> {
    try {
      // Refused (and ignored) when another writer's put has already moved the label to its own version.
      await client.send(
        new sdk.UpdateSecretVersionStageCommand({
          SecretId: this.secretArn,
          VersionStage: PENDING_STAGE,
          RemoveFromVersionId: version,
        }),
      );
    } catch {
      // Intentionally ignored: see above.
    }
  }

  /** VersionId → staging labels. Throws the typed not-found / scheduled-for-deletion errors. */
  private async describeStages(client: Client, sdk: Sdk, context: SecretContext): Promise<Record<string, string[]>> {
    let description;
    try {
      description = await client.send(new sdk.DescribeSecretCommand({ SecretId: this.secretArn }));
    } catch (error) {
      throw toTokenStoreError(error, "DescribeSecret", context);
    }
    if (description.DeletedDate !== undefined) throw scheduledForDeletion(this.location, this.secretArn);
    return description.VersionIdsToStages ?? {};
  }

  /**
   * The version holding AWSCURRENT, looking again a few times if none does: another writer's move may be caught
   * half-done (moto shows this window) and must not be mistaken for "our move failed for its own reason".
   */
  private async settledCurrentVersion(client: Client, sdk: Sdk, context: SecretContext): Promise<string | undefined> {
    for (let attempt = 1; ; attempt++) {
      const stages = await this.describeStages(client, sdk, context);
      const current = Object.keys(stages).find((id) => stages[id]!.includes(CURRENT_STAGE));
      if (current !== undefined || attempt >= READ_ATTEMPTS) return current;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
  }

  private hasCurrent(stages: Record<string, string[]>): boolean {
    return Object.values(stages).some((labels) => labels.includes(CURRENT_STAGE));
  }

  /** One short-lived client per operation: nothing non-serializable survives between calls. */
  private async withClient<T>(
    secrets: string[],
    body: (client: Client, sdk: Sdk, context: SecretContext) => Promise<T>,
  ): Promise<T> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the module comment (closure capture)
    const sdk = require("@aws-sdk/client-secrets-manager") as Sdk;
    const context: SecretContext = { location: this.location, secretArn: this.secretArn, secrets };
    let client: Client;
    try {
      client = new sdk.SecretsManagerClient(this.region !== undefined ? { region: this.region } : {});
    } catch (error) {
      throw toTokenStoreError(error, "configuration", context);
    }
    // Every response's Date header tells how far this clock is from AWS's (the lease refuses takeovers when far off).
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const date = Date.parse(String((result.response as { headers?: Record<string, string> })?.headers?.date ?? ""));
        if (!Number.isNaN(date)) this.clockOffsetMs = Date.now() - date;
        return result;
      },
      { step: "deserialize", name: "jiraConnectorsServerDate" },
    );
    try {
      return await body(client, sdk, context);
    } finally {
      client.destroy();
    }
  }
}
