import { UNKNOWN } from "./inputs";

/** Field checks shared by `check` and its authentication part. Values still unknown at preview pass as they are. */

/** Longer than any Atlassian credential or name (the component's MAX_CREDENTIAL_LENGTH is the same bound). */
export const MAX_FIELD_LENGTH = 8192;

export const isUnknown = (value: unknown) => value === UNKNOWN;

export function objectOrFail(
  value: unknown,
  property: string,
  fix: string,
  fail: (property: string, reason: string) => void,
): Record<string, unknown> | undefined {
  if (isUnknown(value)) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fail(property, `is missing or not an object; ${fix}`);
    return undefined;
  }
  return value as Record<string, unknown>;
}

export function requiredString(
  value: unknown,
  property: string,
  fix: string,
  fail: (property: string, reason: string) => void,
  options: { noSpaces?: boolean } = {},
): void {
  if (isUnknown(value)) return;
  if (typeof value !== "string" || value.trim() === "") fail(property, `is missing or empty; ${fix}`);
  else if (options.noSpaces && /\s/.test(value)) fail(property, `contains whitespace (a copy-paste error?); ${fix}`);
  else if (/\p{Cc}/u.test(value)) fail(property, `contains a control character (a copy-paste error?); ${fix}`);
  else if (value.length > MAX_FIELD_LENGTH) fail(property, `is ${value.length} characters, more than ${MAX_FIELD_LENGTH} (was a file or several values pasted?); ${fix}`);
}

