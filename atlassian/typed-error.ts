/**
 * Gives a typed error its identity explicitly: message, name, code, retryable and any extra fields. Class names do
 * not survive minified bundles (the Lambda), and `new.target`, `super(message)` and field initialisers do not
 * survive Pulumi's closure serializer — so every typed error family in this package assigns its properties here.
 */
export function assignErrorIdentity(
  error: Error,
  identity: { message: string; name: string; code: string; retryable: boolean },
  fields: Record<string, unknown> = {},
): void {
  const define = (key: string, value: unknown, enumerable: boolean) =>
    Object.defineProperty(error, key, { value, enumerable, writable: true, configurable: true });
  define("message", identity.message, false);
  define("name", identity.name, false);
  define("code", identity.code, true);
  define("retryable", identity.retryable, true);
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) define(key, value, true);
  if (typeof Object.getOwnPropertyDescriptor(error, "stack")?.value !== "string" && Error.captureStackTrace) {
    Error.captureStackTrace(error, error.constructor);
  }
}
