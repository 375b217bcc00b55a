/**
 * Maps AWS SDK (S3) failures to typed snapshot errors that name the bucket, the key and the IAM grant that fixes
 * them. SDK errors are never attached (not even as `cause`): they carry request metadata we do not control.
 */
import {
  boundDetail,
  SnapshotError,
  SnapshotPermissionError,
  SnapshotStorageConfigurationError,
  SnapshotStorageNotFoundError,
  SnapshotStorageRejectedError,
  SnapshotStorageUnavailableError,
} from "./errors";
import { isTransientSdkError, type SdkErrorShape } from "../../token-store/aws-sdk-errors";

/** What an error-mapping call needs to know about the sink and the object. */
export interface S3ErrorContext {
  location: string;
  bucket: string;
  /** The full S3 key (prefix included). */
  key: string;
  /** The sink prefix (`""` or ending in `/`), to scope the suggested grant to `<prefix>connectors/<name>/*`. */
  prefix: string;
  kmsKeyId: string | undefined;
}


const TRANSIENT_NAMES = ["SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "TimeoutError", "ThrottlingException"];
const CREDENTIAL_NAMES = [
  "CredentialsProviderError",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "TokenRefreshRequired",
  "InvalidToken",
];
/** Every S3 call of a write (single or multipart) is authorised by `s3:PutObject`, except the abort. */
const IAM_ACTION: Record<string, string> = {
  PutObject: "s3:PutObject",
  CreateMultipartUpload: "s3:PutObject",
  UploadPart: "s3:PutObject",
  CompleteMultipartUpload: "s3:PutObject",
  AbortMultipartUpload: "s3:AbortMultipartUpload",
  GetObject: "s3:GetObject",
};

/** Converts anything thrown by S3 `operation` into a `SnapshotError`. */
export function toS3SnapshotError(error: unknown, operation: string, context: S3ErrorContext): SnapshotError {
  if (error instanceof SnapshotError) return error;
  const { location, bucket, key } = context;
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === "string" ? shape.name : "Error";
  const rawMessage = typeof shape.message === "string" ? shape.message : String(error);
  const detail = `${name}: ${boundDetail(rawMessage)}`;
  const target = `s3://${bucket}/${key}`;

  if (name === "AccessDenied" || name === "AccessDeniedException" || name === "Forbidden") {
    const kmsAction = /\bkms:[A-Za-z]+/.exec(rawMessage)?.[0];
    if (kmsAction !== undefined || /\bKMS\b/.test(rawMessage)) {
      return new SnapshotPermissionError(
        location,
        kmsAction ?? "kms:GenerateDataKey and kms:Decrypt",
        `the KMS key ${context.kmsKeyId ?? "that encrypts the bucket"}`,
        detail,
        "Multipart uploads with SSE-KMS need both kms:GenerateDataKey and kms:Decrypt; the key policy must allow them too.",
      );
    }
    const action = IAM_ACTION[operation] ?? `s3:${operation}`;
    return new SnapshotPermissionError(
      location,
      action,
      grantScope(bucket, key, context.prefix),
      detail,
      operation === "GetObject"
        ? `Without s3:ListBucket on arn:aws:s3:::${bucket}, S3 also answers AccessDenied for a key that does not ` +
            `exist (e.g. latest.json before the first complete run): grant it too.`
        : "",
    );
  }
  if (name === "NoSuchBucket") {
    return new SnapshotStorageNotFoundError(
      location,
      `the bucket ${bucket} does not exist (${detail}). Create it, or fix the bucket name and region.`,
    );
  }
  if (name.startsWith("KMS.") || name === "KMSKeyNotAccessibleFault") {
    return new SnapshotStorageConfigurationError(
      location,
      `${operation} of ${target} failed because of the KMS key ${context.kmsKeyId ?? "(bucket default)"} (${detail}). ` +
        `Check that the key exists, is enabled and is in the bucket's region.`,
    );
  }
  if (name === "PermanentRedirect" || name === "AuthorizationHeaderMalformed" || name === "IllegalLocationConstraintException") {
    return new SnapshotStorageConfigurationError(
      location,
      `the bucket ${bucket} is in another region than the client's (${detail}). Pass { region } or set AWS_REGION.`,
    );
  }
  if (CREDENTIAL_NAMES.includes(name)) {
    return new SnapshotStorageConfigurationError(
      location,
      `AWS rejected or could not find credentials for ${operation} (${detail}). Configure credentials for an ` +
        `identity allowed ${IAM_ACTION[operation] ?? `s3:${operation}`} on ${grantScope(bucket, key, context.prefix)}.`,
    );
  }
  if (/region is missing/i.test(rawMessage)) {
    return new SnapshotStorageConfigurationError(
      location,
      `no AWS region for the bucket ${bucket}: pass { region } or set AWS_REGION.`,
    );
  }
  if (isTransientSdkError(shape, name, rawMessage, TRANSIENT_NAMES)) {
    return new SnapshotStorageUnavailableError(location, operation, target, detail);
  }
  return new SnapshotStorageRejectedError(location, operation, target, detail);
}

/**
 * The resource to grant: `arn:aws:s3:::bucket/<prefix>connectors/<name>/*` for layout keys (one grant covers every
 * snapshot of that connector, and `latest.json`), else the object's own ARN.
 */
export function grantScope(bucket: string, key: string, prefix: string): string {
  const relative = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  const connector = /^connectors\/[^/]+\//.exec(relative)?.[0];
  return `arn:aws:s3:::${bucket}/${connector !== undefined ? `${prefix}${connector}*` : key}`;
}
