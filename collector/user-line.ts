/**
 * One line of `users.ndjson.gz`, serialized by hand: the same bytes as `JSON.stringify` of the record, at a third
 * of the cost. At 100k users the file is written after the last membership page, so its CPU is the run's tail (and
 * Lambda at 512 MB has about a third of a vCPU). The part that depends on group membership is one of a few
 * combinations, serialized once each (`accessFragment`).
 */
import type { UserActivity } from "./decisions/activity";
import type { SeatHolderUserFields } from "./decisions/seat-holders";

/** A user's product access as `users.ndjson.gz` records it. */
export interface ProductLine {
  key: string;
  /** The user's groups that grant it. */
  via: string[];
}

/** A combination of granting groups, its products and their JSON (`accessFragment`): shared by its users' lines. */
export interface UserAccess {
  groups: readonly string[];
  products: readonly ProductLine[];
  fragment: string;
}

/** `"grantingGroups":[…],"products":[…]`: the record's membership fields, shared by every user of the combination. */
export function accessFragment(groups: readonly string[], products: readonly ProductLine[]): string {
  return `"grantingGroups":${JSON.stringify(groups)},"products":${JSON.stringify(products)}`;
}

/** The record of one user: identity, then `access` (an `accessFragment`), then the last activity seen. */
export function userLine(user: SeatHolderUserFields, access: UserAccess, seen: UserActivity | undefined): string {
  const { accountId, accountType, active, displayName } = user;
  const emailAddress = user.emailAddress ?? null;
  const lastActivityAt = seen?.lastActivityAt ?? null;
  const lastActivitySource = seen?.lastActivitySource ?? "none";
  // Fields whose type the schema did not settle (a checkpoint file edited by hand) take the general path, so the
  // line is always what JSON.stringify would write (an undefined field is left out, not written as `undefined`).
  if (
    typeof accountId !== "string" ||
    typeof accountType !== "string" ||
    typeof active !== "boolean" ||
    typeof displayName !== "string" ||
    (emailAddress !== null && typeof emailAddress !== "string") ||
    (lastActivityAt !== null && typeof lastActivityAt !== "string") ||
    typeof lastActivitySource !== "string"
  ) {
    const record = { accountId, accountType, active, displayName, emailAddress, grantingGroups: access.groups, products: access.products, lastActivityAt, lastActivitySource };
    return JSON.stringify(record);
  }
  return (
    `{"accountId":${JSON.stringify(accountId)},"accountType":${JSON.stringify(accountType)},"active":${active},` +
    `"displayName":${JSON.stringify(displayName)},"emailAddress":${emailAddress === null ? "null" : JSON.stringify(emailAddress)},` +
    `${access.fragment},"lastActivityAt":${lastActivityAt === null ? "null" : JSON.stringify(lastActivityAt)},` +
    `"lastActivitySource":${JSON.stringify(lastActivitySource)}}`
  );
}
