import { AtlassianError } from "../../atlassian/errors";

/** One failed validation, attributed to the input property an admin has to fix. */
export interface ValidationProblem {
  property: string;
  message: string;
}

/**
 * All validation problems of one create/update, reported together so an admin fixes everything in one round.
 * Messages come from typed errors, which never contain secret values.
 */
export class ConnectionValidationError extends Error {
  constructor(
    readonly site: string,
    readonly problems: ValidationProblem[],
    /** Whether a rotated refresh token was safely stored despite the failures. */
    readonly tokenStored: boolean,
  ) {
    super(
      `JiraConnection "${site}" failed validation (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p, i) => `  ${i + 1}. ${p.property}: ${p.message}`).join("\n") +
        (tokenStored
          ? "\nThe refresh token was exchanged and its rotated successor is saved in the token store; the configured " +
            "token is no longer needed unless you re-authorize."
          : ""),
    );
    this.name = "ConnectionValidationError";
  }
}

/** Maps an error to the property to fix. Unknown (non-Atlassian) errors keep a generic message, never their data. */
export function problemFrom(defaultProperty: string, error: unknown, propertyByCode: Record<string, string> = {}): ValidationProblem {
  if (error instanceof AtlassianError) {
    return { property: propertyByCode[error.code] ?? defaultProperty, message: error.message };
  }
  const named = error as { name?: unknown; code?: unknown; message?: unknown };
  if (typeof named?.code === "string" && typeof named?.message === "string" && named.name !== "Error") {
    return { property: propertyByCode[named.code] ?? defaultProperty, message: named.message };
  }
  return { property: defaultProperty, message: `unexpected failure (${typeof named?.name === "string" ? named.name : "error"})` };
}
