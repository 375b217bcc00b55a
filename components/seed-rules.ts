import * as pulumi from "@pulumi/pulumi";
import { fingerprint, newFingerprintSalt } from "../providers/jira-connection/fingerprint";

/**
 * Rules across all connectors of one Pulumi program, checked while the program runs (so `pulumi preview` fails):
 * connector names are unique, and no two connectors share a refresh token. Atlassian rotates refresh tokens on every
 * exchange and revokes the whole grant when a rotated-out token is presented again, so two connectors consuming the
 * same token would knock each other out; each connector needs its own authorization.
 *
 * Tokens are compared by salted fingerprint (the salt is random per process and never leaves it); errors name the
 * connectors, never a token. There is one registry per program run, keyed by the run's root `Stack` resource, so
 * an Automation API process running a program twice starts afresh; it lives on `globalThis` so that two loaded
 * copies of this package (source and `bin/`) share it. Outside a stack (unit tests with mocks) one registry serves
 * the whole process.
 */

interface Registry {
  salt: string;
  names: Set<string>;
  /** refresh-token fingerprint → connector name */
  tokens: Map<string, string>;
}

const REGISTRIES_KEY = Symbol.for("jira-connectors/components/seed-rules");

interface Registries {
  byRun: WeakMap<object, Registry>;
  outsideStack: Registry;
}

const newRegistry = (): Registry => ({ salt: newFingerprintSalt(), names: new Set(), tokens: new Map() });

function registry(): Registry {
  const global = globalThis as { [REGISTRIES_KEY]?: Registries };
  const registries = (global[REGISTRIES_KEY] ??= { byRun: new WeakMap(), outsideStack: newRegistry() });
  const run = pulumi.runtime.getStackResource();
  if (run === undefined) return registries.outsideStack;
  let current = registries.byRun.get(run);
  if (current === undefined) registries.byRun.set(run, (current = newRegistry()));
  return current;
}

/** A RunError: the engine prints its message alone (it is a user error, the stack would only be noise). */
export class DuplicateConnectorError extends pulumi.RunError {
  constructor(message: string) {
    super(message);
    this.name = "DuplicateConnectorError";
  }
}

/**
 * Registers connector `name` and its refresh token. Throws at once for a duplicate name, and for a duplicate
 * token given as a plain string; a token given as an Output is checked when it resolves, and the returned Output
 * (the same token, still secret) fails then — pass it on to the resource that consumes the token.
 */
export function claimConnector(name: string, refreshToken: pulumi.Input<string>): pulumi.Output<string> {
  const rules = claimName(name);
  if (typeof refreshToken === "string") claimToken(rules, name, refreshToken);
  return pulumi.output(refreshToken).apply((token) => {
    if (typeof refreshToken !== "string") claimToken(rules, name, token);
    return token;
  });
}

/**
 * Registers connector `name` only: a scoped API token does not rotate, so connectors may share one (the name must
 * still be unique).
 */
export function claimConnectorName(name: string): undefined {
  claimName(name);
  return undefined;
}

function claimName(name: string): Registry {
  const rules = registry();
  if (rules.names.has(name)) {
    throw new DuplicateConnectorError(
      `two connectors are named ${JSON.stringify(name)}: connector names must be unique within a program ` +
        "(set `name` on one of them)",
    );
  }
  rules.names.add(name);
  return rules;
}

function claimToken(rules: Registry, name: string, token: string): void {
  const print = fingerprint(rules.salt, "refreshToken", token);
  const owner = rules.tokens.get(print);
  if (owner !== undefined && owner !== name) {
    throw new DuplicateConnectorError(
      `connectors ${JSON.stringify(owner)} and ${JSON.stringify(name)} are configured with the same refresh token: ` +
        "each connector needs its own grant (run `jira-connector authorize` once per connector), because Atlassian " +
        "revokes a grant when a rotated-out token is used again",
    );
  }
  rules.tokens.set(print, name);
}
