/**
 * Maps AWS SDK failures to typed store errors that name the secret ARN and the fix.
 *
 * SDK errors are never attached (not even as `cause`): they carry request metadata we do not control, and this
 * package's rule is that nothing secret reaches an error. Their name and scrubbed message are kept as text.
 */
import {
  scrubSecrets,
  TokenStoreConfigurationError,
  TokenStoreError,
  TokenStoreNotFoundError,
  TokenStorePermissionError,
  TokenStoreRejectedError,
  TokenStoreUnavailableError,
} from "./errors";
import { isTransientSdkError, type SdkErrorShape } from "./aws-sdk-errors";

/** What an error-mapping call needs to know about the store. */
export interface SecretContext {
  location: string;
  secretArn: string;
  /** Values to scrub from backend messages (the token being written, if any). */
  secrets: ReadonlyArray<string | undefined>;
}


const TRANSIENT_NAMES = ["ThrottlingException", "InternalServiceError", "TimeoutError", "RequestTimeout"];
const CREDENTIAL_NAMES = [
  "CredentialsProviderError",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "InvalidClientTokenId",
];

/** Converts anything thrown by `operation` (e.g. `PutSecretValue`) into a `TokenStoreError`. */
export function toTokenStoreError(error: unknown, operation: string, context: SecretContext): TokenStoreError {
  if (error instanceof TokenStoreError) return error;
  const { location, secretArn } = context;
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === "string" ? shape.name : "Error";
  const rawMessage = typeof shape.message === "string" ? shape.message : String(error);
  const message = scrubSecrets(rawMessage, context.secrets);
  const detail = `${name}: ${message}`;
  const action = `secretsmanager:${operation}`;

  switch (name) {
    case "AccessDeniedException":
      return new TokenStorePermissionError(location, action, secretArn, detail);
    case "DecryptionFailure":
      return new TokenStorePermissionError(location, "kms:Decrypt", `the KMS key of ${secretArn}`, detail);
    case "EncryptionFailure":
      return new TokenStorePermissionError(location, "kms:GenerateDataKey", `the KMS key of ${secretArn}`, detail);
    case "ResourceNotFoundException":
      return new TokenStoreNotFoundError(
        location,
        `the secret ${secretArn} was not found (${detail}). Check the ARN and the region, or create the secret ` +
          `(the JiraConnector component creates it) before seeding it.`,
      );
    case "InvalidRequestException":
      if (/deleted|deletion/i.test(rawMessage)) return scheduledForDeletion(location, secretArn);
      break;
  }
  if (CREDENTIAL_NAMES.includes(name)) {
    return new TokenStoreConfigurationError(
      location,
      `AWS rejected or could not find credentials for ${operation} (${detail}). Configure credentials for an ` +
        `identity allowed ${action} on ${secretArn} (environment, profile or role).`,
    );
  }
  if (/region is missing/i.test(rawMessage)) {
    return new TokenStoreConfigurationError(
      location,
      `no AWS region for ${secretArn}: pass { region }, use the secret's full ARN, or set AWS_REGION.`,
    );
  }
  if (isTransientSdkError(shape, name, rawMessage, TRANSIENT_NAMES)) {
    return new TokenStoreUnavailableError(location, operation, detail);
  }
  return new TokenStoreRejectedError(location, operation, detail);
}

/** A secret pending deletion still answers DescribeSecret but refuses everything else. */
export function scheduledForDeletion(location: string, secretArn: string): TokenStoreNotFoundError {
  return new TokenStoreNotFoundError(
    location,
    `the secret ${secretArn} is scheduled for deletion. Restore it (aws secretsmanager restore-secret ` +
      `--secret-id ${secretArn}) or point the connector at another secret.`,
  );
}
