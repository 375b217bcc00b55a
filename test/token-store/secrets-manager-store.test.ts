/** The Secrets Manager store over real HTTP to moto (a local AWS emulator). */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { inspect } from "node:util";
import {
  MalformedStoreValueError,
  PENDING_STAGE,
  SecretsManagerRefreshTokenStore,
  TokenStoreConfigurationError,
  TokenStoreNotFoundError,
  TokenStorePermissionError,
  TokenStoreUnavailableError,
  createSecretsManagerStore,
  saveIfNewer,
} from "../../token-store";
import { toTokenStoreError } from "../../token-store/secrets-manager-errors";
import { startMoto, type Moto } from "../support/moto";
import { describeStoreContract } from "./contract";
import { expectNoSecrets, record, rejectionOf } from "./helpers";

let moto: Moto;
let savedEnv: NodeJS.ProcessEnv;
let admin: SecretsManagerClient;

beforeAll(async () => {
  moto = await startMoto();
  savedEnv = { ...process.env };
  Object.assign(process.env, moto.env);
  admin = new SecretsManagerClient({});
});

afterAll(async () => {
  admin?.destroy();
  process.env = savedEnv;
  await moto?.stop();
});

async function newSecretArn(): Promise<string> {
  const created = await admin.send(new CreateSecretCommand({ Name: `jira-connector/test-${randomUUID()}` }));
  return created.ARN!;
}

async function stagesOf(arn: string): Promise<Record<string, string[]>> {
  return (await admin.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages ?? {};
}

describeStoreContract("Secrets Manager store (moto)", {
  fresh: async () => createSecretsManagerStore({ secretArn: await newSecretArn() }),
  writeRaw: async (store, raw) => {
    const arn = (store as SecretsManagerRefreshTokenStore).secretArn;
    await admin.send(new PutSecretValueCommand({ SecretId: arn, SecretString: raw }));
  },
});

describe("Secrets Manager store specifics", () => {
  it("names the secret ARN in its location and takes the region from the ARN", () => {
    const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jira-AbCdEf";
    const store = createSecretsManagerStore({ secretArn: arn });
    expect(store.location).toBe(`secretsmanager:${arn}`);
    expect(store.region).toBe("eu-west-1");
    expect(createSecretsManagerStore({ secretArn: arn, region: "us-east-1" }).region).toBe("us-east-1");
  });

  it("survives Pulumi's closure serializer and works when loaded from the serialized text", async () => {
    const arn = await newSecretArn();
    const store = createSecretsManagerStore({ secretArn: arn });
    const [seed, next, racerA, racerB] = [record(1), record(2), record(3), record(4)];
    const job = async (): Promise<unknown[]> => {
      const seeded = (await saveIfNewer(store, seed)).written;
      const rotated = (await saveIfNewer(store, next)).written;
      const replayed = (await saveIfNewer(store, seed)).written;
      // Racing writers exercise `instanceof TokenStoreConflictError` inside the serialized saveIfNewer.
      await Promise.all([saveIfNewer(store, racerB), saveIfNewer(store, racerA)]);
      const stale = (await store.compareAndSwap(undefined, seed).catch((error: unknown) => error)) as Error;
      return [seeded, rotated, replayed, stale.name, (stale as { code?: string }).code, stale.message.length > 40];
    };
    const { text } = await pulumi.runtime.serializeFunction(job);
    expect(text).toContain('require("@aws-sdk/client-secrets-manager")');
    // Run in a fresh Node process, as the Pulumi host runs it: compiled from text, modules resolved from the project.
    const dir = await fs.mkdtemp(path.join(tmpdir(), "serialized-store-"));
    const file = path.join(dir, "closure.js");
    await fs.writeFile(file, text, { mode: 0o600 });
    const loader = [
      'const Module = require("node:module");',
      `const filename = ${JSON.stringify(path.join(__dirname, "__serialized.js"))};`,
      "const m = new Module(filename); m.filename = filename; m.paths = Module._nodeModulePaths(require('node:path').dirname(filename));",
      `m._compile(require("node:fs").readFileSync(${JSON.stringify(file)}, "utf8"), filename);`,
      "m.exports.handler().then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write(e.name + ': ' + e.message); process.exit(1); });",
    ].join("\n");
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ["-e", loader], {
        env: { ...process.env, ...moto.env },
        timeout: 30_000,
      });
      expect(JSON.parse(stdout)).toEqual([true, true, false, "TokenStoreConflictError", "CONFLICT", true]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    expect((await store.read())!.refreshToken).toBe(racerB.refreshToken);
  });

  it("a missing secret is a typed error naming the ARN, for reads and writes", async () => {
    const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:does-not-exist-AbCdEf";
    const store = createSecretsManagerStore({ secretArn: arn });
    const next = record(1);
    const attempts = [() => store.read(), () => store.compareAndSwap(undefined, next), () => saveIfNewer(store, next)];
    for (const attempt of attempts) {
      const error = await rejectionOf(attempt());
      expect(error).toBeInstanceOf(TokenStoreNotFoundError);
      expect((error as Error).message).toContain(arn);
      expect((error as Error).message).toMatch(/create the secret/);
      expectNoSecrets(error, [next.refreshToken]);
    }
  });

  it("a secret scheduled for deletion says how to restore it", async () => {
    const arn = await newSecretArn();
    const store = createSecretsManagerStore({ secretArn: arn });
    await store.compareAndSwap(undefined, record(1));
    await admin.send(new DeleteSecretCommand({ SecretId: arn, RecoveryWindowInDays: 7 }));
    const error = await rejectionOf(store.read());
    expect(error).toBeInstanceOf(TokenStoreNotFoundError);
    expect((error as Error).message).toMatch(/scheduled for deletion.*restore-secret/);
  });

  it("a binary secret is malformed, and the value is never quoted", async () => {
    const arn = await newSecretArn();
    const secret = "rt-secret-binary-0123456789";
    await admin.send(new PutSecretValueCommand({ SecretId: arn, SecretBinary: Buffer.from(secret) }));
    const error = await rejectionOf(createSecretsManagerStore({ secretArn: arn }).read());
    expect(error).toBeInstanceOf(MalformedStoreValueError);
    expect((error as Error).message).toMatch(/SecretBinary/);
    expectNoSecrets(error, [secret, Buffer.from(secret).toString("base64")]);
  });

  it("leaves no pending label behind, whether the swap wins or loses", async () => {
    const arn = await newSecretArn();
    const store = createSecretsManagerStore({ secretArn: arn });
    const v1 = await store.compareAndSwap(undefined, record(1));
    const v2 = await store.compareAndSwap(v1, record(2));
    await rejectionOf(store.compareAndSwap(v1, record(3)));
    await rejectionOf(store.compareAndSwap(undefined, record(4)));
    const stages = await stagesOf(arn);
    expect(stages[v2]).toEqual(["AWSCURRENT"]);
    expect(stages[v1]).toEqual(["AWSPREVIOUS"]);
    expect(Object.values(stages).flat()).not.toContain(PENDING_STAGE);
  });

  it("stores the documented JSON document", async () => {
    const arn = await newSecretArn();
    const r = record(1);
    await createSecretsManagerStore({ secretArn: arn }).compareAndSwap(undefined, r);
    const { GetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager");
    const value = await admin.send(new GetSecretValueCommand({ SecretId: arn }));
    expect(JSON.parse(value.SecretString!)).toEqual({ schema: 1, ...r });
  });

  it("without a region anywhere, says how to give one", async () => {
    const saved = { region: process.env.AWS_REGION, defaultRegion: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    const previousConfig = process.env.AWS_CONFIG_FILE;
    process.env.AWS_CONFIG_FILE = "/nonexistent/aws-config";
    try {
      const error = await rejectionOf(createSecretsManagerStore({ secretArn: "jira-by-name" }).read());
      expect(error).toBeInstanceOf(TokenStoreConfigurationError);
      expect((error as Error).message).toMatch(/AWS_REGION/);
    } finally {
      process.env.AWS_REGION = saved.region;
      if (saved.defaultRegion !== undefined) process.env.AWS_DEFAULT_REGION = saved.defaultRegion;
      if (previousConfig === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = previousConfig;
    }
  });

  it("an unreachable endpoint is a retryable unavailable error", async () => {
    const arn = await newSecretArn();
    const endpoint = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9"; // discard port: connection refused
    try {
      const error = await rejectionOf(createSecretsManagerStore({ secretArn: arn }).read());
      expect(error).toBeInstanceOf(TokenStoreUnavailableError);
      expect(error).toMatchObject({ retryable: true, operation: "GetSecretValue" });
    } finally {
      process.env.AWS_ENDPOINT_URL = endpoint;
    }
  });
});

describe("AWS error mapping", () => {
  const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:jira-AbCdEf";
  const context = { location: `secretsmanager:${arn}`, secretArn: arn, secrets: ["rt-secret-echoed-by-aws-123"] };
  const awsError = (name: string, message: string, extra: object = {}) =>
    Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode: 400 }, ...extra });

  it("access denied names the action, the ARN and the fix", () => {
    const error = toTokenStoreError(
      awsError("AccessDeniedException", "User: arn:aws:sts::1:assumed-role/collector is not authorized"),
      "PutSecretValue",
      context,
    );
    expect(error).toBeInstanceOf(TokenStorePermissionError);
    expect(error.message).toContain(`Grant secretsmanager:PutSecretValue on ${arn}`);
    expect(error).toMatchObject({ code: "PERMISSION_DENIED", action: "secretsmanager:PutSecretValue" });
  });

  it("KMS failures name the KMS permission", () => {
    const error = toTokenStoreError(awsError("DecryptionFailure", "KMS said no"), "GetSecretValue", context);
    expect(error).toMatchObject({ code: "PERMISSION_DENIED", action: "kms:Decrypt" });
  });

  it("scrubs a token echoed in a backend message", () => {
    const error = toTokenStoreError(
      awsError("ValidationException", "Value 'rt-secret-echoed-by-aws-123' at 'secretString' failed"),
      "PutSecretValue",
      context,
    );
    expect(error.message).toContain("[REDACTED]");
    expectNoSecrets(error, ["rt-secret-echoed-by-aws-123"]);
  });

  it("throttling and server faults are retryable", () => {
    expect(toTokenStoreError(awsError("ThrottlingException", "slow down"), "GetSecretValue", context).retryable).toBe(true);
    expect(toTokenStoreError(awsError("InternalServiceError", "x", { $fault: "server" }), "PutSecretValue", context))
      .toBeInstanceOf(TokenStoreUnavailableError);
  });

  it("bad credentials are a configuration error", () => {
    const error = toTokenStoreError(awsError("UnrecognizedClientException", "bad key"), "GetSecretValue", context);
    expect(error).toBeInstanceOf(TokenStoreConfigurationError);
    expect(error.message).toContain(arn);
  });

  it("the store object itself holds nothing secret", async () => {
    const store = createSecretsManagerStore({ secretArn: arn });
    expect(inspect(store)).not.toMatch(/rt-secret/);
  });
});
