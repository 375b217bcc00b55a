/**
 * Presenting a refresh token to a local token file: Atlassian rotates the token on that exchange and the successor
 * lives only in the file. A `pulumi up` given the same token afterwards presents a rotated-out token, and Atlassian
 * revokes the whole grant for that. `check` refuses without --yes (a check before `up` is exactly that mistake;
 * `check --before-up` presents nothing); `collect`, whose local file is the connector's own store when it runs
 * locally, warns.
 */
import { FileRefreshTokenStore, type RefreshTokenStore } from "../../token-store";
import { CliError } from "../io";

export function tokenFileWarning(store: RefreshTokenStore | undefined, presentsToken: boolean): string | undefined {
  if (!presentsToken || !(store instanceof FileRefreshTokenStore)) return undefined;
  return (
    `the refresh token is presented now and its rotated successor is saved only in ${store.path}: from now on that file holds the grant. ` +
    "Do not give the same token to `pulumi up` (or to another store) afterwards: it will have been rotated out, and presenting it revokes the grant. " +
    "For a connector deployed with Pulumi, run `jira-connector check --before-up` instead, or `authorize` a separate token for local use."
  );
}

export function requireConfirmation(warning: string | undefined, confirmed: boolean): void {
  if (warning && !confirmed) throw new CliError(`not presenting the refresh token without --yes: ${warning}`, "CONFIRMATION_REQUIRED", 2);
}
