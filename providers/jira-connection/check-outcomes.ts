import type { leastPrivilegeFinding } from "./least-privilege";
import type { ValidationProblem } from "./problems";

/** Validation outcomes, shared by both methods' validations (validate.ts, validate-scoped.ts) and the CLI's table. */

/** The checks `validateConnection` runs, in the order a report lists them. */
export const VALIDATION_CHECKS = ["site", "token-store-read", "token-exchange", "token-store-write", "scopes", "least-privilege", "site-access", "license-account", "license-admin", "seats"] as const;
/** Every check either method runs (a scoped token's are in validate-scoped.ts). */
export type ValidationCheck = (typeof VALIDATION_CHECKS)[number] | "scoped-token";

/**
 * One check's outcome: passed (possibly with a warning: the connector works, but should be changed), or failed with
 * the problem it reported. Checks that never ran are absent.
 */
export type CheckOutcome = { check: ValidationCheck; ok: true; warning?: string } | { check: ValidationCheck; ok: false; problem: ValidationProblem };

/** The outcomes of one validation as they are recorded: every failure is also a problem of the thrown error. */
export function checkRecorder() {
  const problems: ValidationProblem[] = [];
  const checks: CheckOutcome[] = [];
  const fail = (check: ValidationCheck, problem: ValidationProblem) => {
    problems.push(problem);
    checks.push({ check, ok: false, problem });
  };
  const pass = (check: ValidationCheck, warning?: string) => void checks.push({ check, ok: true, ...(warning ? { warning } : {}) });
  return { problems, checks, fail, pass };
}

/** The warnings among passed checks, as `property: message` lines. */
export function warningsOf(checks: readonly CheckOutcome[]): string[] {
  return checks.flatMap((c) => (c.ok && c.warning ? [c.warning] : []));
}

/** A least-privilege finding as a check outcome: pass, pass with a warning, or (strictScopes) a failure. */
export function recordPrivilege(
  finding: ReturnType<typeof leastPrivilegeFinding>,
  to: { pass: (check: ValidationCheck, warning?: string) => void; fail: (check: ValidationCheck, problem: ValidationProblem) => void },
): void {
  if (!finding) to.pass("least-privilege");
  else if (finding.strict) to.fail("least-privilege", finding.problem);
  else to.pass("least-privilege", `${finding.problem.property}: ${finding.problem.message}`);
}
