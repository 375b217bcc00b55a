import type { ValidationProblem } from "./problems";

/**
 * Least privilege is part of validation: a connector only reads, so a credential that can also write, delete or
 * manage is reported — a warning at `pulumi up`, or a failure with `strictScopes: true`. Pure.
 */
export function leastPrivilegeFinding(
  excess: readonly string[],
  strict: boolean,
  property: string,
  fix: string,
): { strict: boolean; problem: ValidationProblem } | undefined {
  if (excess.length === 0) return undefined;
  return {
    strict,
    problem: {
      property,
      message:
        `the credential can do more than read: ${excess.join(excess.some((e) => e.includes(" ")) ? "; " : ", ")}. A connector only reads; ${fix}` +
        (strict ? "" : " (set strictScopes: true to make this an error)"),
    },
  };
}
