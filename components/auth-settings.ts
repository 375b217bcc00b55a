import * as pulumi from "@pulumi/pulumi";
import { checkScopedApiToken } from "../providers/jira-connection/check-auth";
import { UNKNOWN } from "../providers/jira-connection/inputs";
import type { JiraConnectorArgs } from "./args";

/**
 * The authentication part of `resolveSettings`: exactly one of `oauth` and `scopedApiToken`, and nothing next to a
 * scoped token that only OAuth uses. Messages mirror JiraConnection's check (providers/jira-connection/check-auth.ts)
 * so preview fails here, before anything is registered, with the same fix. Never quotes a secret.
 */

const present = (value: unknown) => value !== undefined && value !== null;

/** Args a program written in JavaScript may pass although `JiraConnectorArgs` has no such field. */
const NOT_COMPONENT_ARGS: Record<string, string> = {
  tokenStore: "the component creates the refresh-token secret itself (OAuth only)",
  requiredScopes: "the component requires the connector's own read scopes",
};

export function authMethodOf(args: JiraConnectorArgs, problems: string[]): "oauth" | "scoped-api-token" {
  const scoped = present(args.scopedApiToken);
  const extra = args as unknown as Record<string, unknown>;
  for (const [key, why] of Object.entries(NOT_COMPONENT_ARGS)) {
    if (!present(extra[key])) continue;
    problems.push(
      scoped
        ? `${key} is not used with scopedApiToken: a scoped token has no refresh token to store and its scopes are probed on every run; remove ${key}`
        : `${key} is not a JiraConnector arg: ${why}; remove ${key}`,
    );
  }
  if (scoped && present(args.oauth)) {
    problems.push(
      "scopedApiToken: set exactly one of oauth and scopedApiToken, not both: to use the scoped API token remove oauth (and license); to keep OAuth remove scopedApiToken",
    );
    return "scoped-api-token";
  }
  if (!scoped && !present(args.oauth)) {
    problems.push(
      "scopedApiToken is missing, and so is oauth: set scopedApiToken: { email, apiToken, expiresAt } (an API token with scopes, the recommended method) or oauth: { clientId, clientSecret, refreshToken }",
    );
    return "oauth";
  }
  if (!scoped) return "oauth";
  // The provider's own field checks, on the values known now (Outputs are checked by JiraConnection on `up`).
  checkScopedApiToken(
    { scopedApiToken: knownNow(args.scopedApiToken), license: args.license },
    new Date(),
    (property, reason) => problems.push(`${property} ${reason}`),
  );
  return "scoped-api-token";
}

/** The plain fields of `value`; Outputs and promises become the provider's "unknown" sentinel, which checks skip. */
function knownNow(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, pulumi.Output.isInstance(field) || field instanceof Promise ? UNKNOWN : field]),
  );
}
