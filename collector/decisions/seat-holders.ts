/**
 * Who holds a seat of each Jira product, and why. In Jira Cloud a product (application role) is granted through
 * groups: the role's `groups` are its product-access groups, and every member of one of them holds the product.
 * Pure: the collector fetches roles, the members of exactly those groups and all users, then calls this.
 */
import type { ApplicationRole, JiraUser } from "../../atlassian";

/** Why a member of a granting group does not take a seat. */
export type ExclusionReason = "inactive" | "app" | "customer" | "other-account-type";

export interface SeatHolder {
  accountId: string;
  displayName: string;
  /** Null when the user's privacy settings hide it. */
  emailAddress: string | null;
  /** The granting group(s) the account is in, sorted: removing it from all of them frees the seat. */
  groups: string[];
}

export interface ExcludedMember {
  accountId: string;
  reason: ExclusionReason;
  accountType: string;
  groups: string[];
}

export interface ProductSeatHolders {
  productKey: string;
  productName: string;
  /** Sorted by accountId. */
  holders: SeatHolder[];
  /** Members of granting groups that Atlassian does not bill, with the reason; sorted by accountId. */
  excluded: ExcludedMember[];
  /** Members not found in the user listing: neither counted nor excluded (the listing was stale or partial). */
  unresolved: string[];
  /** Granting groups whose membership was not supplied: the holder list is a lower bound. */
  missingGroups: string[];
}

/**
 * How a member is treated, following how Atlassian bills Jira: it counts active `atlassian` accounts only.
 * - inactive (deactivated) accounts keep their group memberships but release the seat;
 * - `app` accounts (Connect/Forge/OAuth apps, automation bots) never consume a product seat;
 * - `customer` accounts are JSM portal customers, free and outside the product's user tier;
 * - `unknown` or a future account type is excluded but listed, so it stays visible instead of silently counted.
 */
export function exclusionReason(user: Pick<JiraUser, "accountType" | "active">): ExclusionReason | undefined {
  if (user.accountType === "app") return "app";
  if (user.accountType === "customer") return "customer";
  if (user.accountType !== "atlassian") return "other-account-type";
  return user.active ? undefined : "inactive";
}

/**
 * Seat holders per product. `memberships` maps a group name to its members' account IDs (a missing key means
 * "not fetched", an empty array "fetched, empty"); `users` maps account IDs to the user listing's entries.
 * A role with `hasUnlimitedSeats` is treated the same way: its holders still matter for activity reporting.
 */
export function seatHolders(
  roles: readonly ApplicationRole[],
  memberships: ReadonlyMap<string, Iterable<string>>,
  users: ReadonlyMap<string, SeatHolderUserFields>,
): ProductSeatHolders[] {
  return [...roles]
    .sort((a, b) => compare(a.key, b.key))
    .map((role) => productHolders(role, memberships, users));
}

function productHolders(
  role: ApplicationRole,
  memberships: ReadonlyMap<string, Iterable<string>>,
  users: ReadonlyMap<string, SeatHolderUserFields>,
): ProductSeatHolders {
  // accountId → granting groups it is in; a user in several groups is one holder with all of them.
  const groupsOf = new Map<string, string[]>();
  const missingGroups: string[] = [];
  for (const group of new Set(role.groups)) {
    const members = memberships.get(group);
    if (members === undefined) {
      missingGroups.push(group);
      continue;
    }
    for (const accountId of members) {
      // Arrays, not Sets: most people are in one granting group, and 100k Sets cost ~15 MB more at the peak.
      const groups = groupsOf.get(accountId);
      if (groups === undefined) groupsOf.set(accountId, [group]);
      else if (!groups.includes(group)) groups.push(group);
    }
  }
  const holders: SeatHolder[] = [];
  const excluded: ExcludedMember[] = [];
  const unresolved: string[] = [];
  // The default sort orders strings by code unit, as `compare` does, without a call per comparison.
  for (const accountId of [...groupsOf.keys()].sort()) {
    const groups = groupsOf.get(accountId)!.sort(compare);
    const user = users.get(accountId);
    if (!user) {
      unresolved.push(accountId);
      continue;
    }
    const reason = exclusionReason(user);
    if (reason) excluded.push({ accountId, reason, accountType: user.accountType, groups });
    else holders.push({ accountId, displayName: user.displayName, emailAddress: user.emailAddress ?? null, groups });
  }
  return {
    productKey: role.key,
    productName: role.name,
    holders,
    excluded,
    unresolved,
    missingGroups: missingGroups.sort(compare),
  };
}

/** The fields of a user listing entry that decide seat holding (the collector keeps only these). */
export type SeatHolderUserFields = Pick<JiraUser, "accountId" | "accountType" | "active" | "displayName" | "emailAddress">;

/** Code-unit order: locale-independent, so output is identical wherever the collector runs. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
