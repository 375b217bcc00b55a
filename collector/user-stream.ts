import type { JiraClient } from "../atlassian/jira/jira-client";
import type { ListingBounds } from "../atlassian/jira/listing-bounds";
import type { ApplicationRole, JiraUser } from "../atlassian/jira/schemas";
import { searchUsers } from "../atlassian/jira/users";
import type { UserActivity } from "./decisions/activity";
import type { SeatHolderUserFields } from "./decisions/seat-holders";
import type { Charge } from "./reads";
import type { NdjsonGzipWriter } from "./snapshot/ndjson";

/** What the seat report needs of a user: keeping whole user entries (avatar URLs, self links) cost ~50 MB at 100k. */
export type SeatHolderUser = SeatHolderUserFields;

/** Filled in as users stream past, so a listing cut short still leaves what was read. */
export interface UserStreamResult {
  /** Seat holders (members of a granting group) by account ID. */
  holders: Map<string, SeatHolderUser>;
  /** Users written, including those replayed from a checkpoint. */
  fetched: number;
  /** The `users/search` offset after the last page read whole: where a resumed listing starts. */
  offset: number;
}

/** Users a previous run of the same collection read, replayed before the listing goes on from `offset`. */
export interface UserStreamResume {
  users: AsyncIterable<SeatHolderUser>;
  offset: number;
  /** Read ahead in this run (user-prefetch.ts), not an hour earlier: the listing cannot have shifted in between. */
  sameListing?: boolean;
  /** The listing was read to its end: replay only, no further request. */
  ended?: boolean;
  /** The read-ahead's failure at `offset`: thrown after the replay, so the listing ends there (partial). */
  failure?: unknown;
  /** What the read-ahead read: the listing's bounds count it (one listing, one bound). */
  alreadyRead?: { items: number; pages: number };
}

/**
 * Every user (`users/search`), streamed into `users.ndjson.gz` with the groups and products that make them billable
 * and their last activity. The account → groups index lives only in this function, so it can be collected before
 * the seat report is built (at 100k users it is ~10 MB of the run's peak).
 */
export async function streamUsers(input: {
  jira: JiraClient;
  roles: readonly ApplicationRole[];
  memberships: ReadonlyMap<string, readonly string[]>;
  activity: ReadonlyMap<string, UserActivity>;
  out: NdjsonGzipWriter<Record<string, unknown>>;
  charge: Charge;
  result: UserStreamResult;
  resume?: UserStreamResume;
  /** Every user's raw fields, for a checkpoint (discarded by the caller unless the run stops on the quota). */
  checkpoint?: NdjsonGzipWriter<SeatHolderUser>;
  /** The listing's bounds (collector/limits.ts): beyond them it ends, the users read so far kept. */
  bounds?: ListingBounds;
}): Promise<void> {
  const productsByGroup = new Map<string, string[]>();
  for (const role of input.roles) for (const group of role.groups) productsByGroup.set(group, [...(productsByGroup.get(group) ?? []), role.key]);
  const groupsByAccount = new Map<string, string[]>();
  for (const [group, members] of input.memberships) {
    for (const id of members) {
      const groups = groupsByAccount.get(id);
      if (groups === undefined) groupsByAccount.set(id, [group]);
      else groups.push(group);
    }
  }
  // A user added while the listing was split over runs (an hour apart) can shift another into two pages: a resumed
  // listing writes each once. Only then: the set costs ~10 MB at 100k users.
  const written = input.resume && !input.resume.sameListing ? new Set<string>() : undefined;
  // Users share a few group combinations: each combination's products are worked out once (5 µs a user at 100k).
  const productsOf = new Map<string, { key: string; via: string[] }[]>();
  const productLines = (groups: readonly string[]) => {
    const id = groups.join("\u0000");
    let lines = productsOf.get(id);
    if (lines === undefined) {
      const keys = [...new Set(groups.flatMap((g) => productsByGroup.get(g) ?? []))].sort();
      lines = keys.map((key) => ({ key, via: groups.filter((g) => productsByGroup.get(g)?.includes(key)) }));
      productsOf.set(id, lines);
    }
    return lines;
  };
  const write = async (user: SeatHolderUser) => {
    if (written?.has(user.accountId)) return;
    written?.add(user.accountId);
    await input.checkpoint?.write(seatHolderUser(user));
    input.result.fetched++;
    const groups = (groupsByAccount.get(user.accountId) ?? []).sort();
    if (groups.length > 0) input.result.holders.set(user.accountId, seatHolderUser(user));
    const seen = input.activity.get(user.accountId);
    await input.out.write({
      accountId: user.accountId,
      accountType: user.accountType,
      active: user.active,
      displayName: user.displayName,
      emailAddress: user.emailAddress ?? null,
      grantingGroups: groups,
      products: productLines(groups),
      lastActivityAt: seen?.lastActivityAt ?? null,
      lastActivitySource: seen?.lastActivitySource ?? "none",
    });
  };
  if (input.resume) {
    for await (const user of input.resume.users) await write(user);
    input.result.offset = input.resume.offset;
  }
  if (input.resume?.ended) return;
  if (input.resume && "failure" in input.resume) throw input.resume.failure;
  for await (const page of searchUsers(input.jira, {
    startAt: input.result.offset,
    ...(input.bounds ? { bounds: input.bounds } : {}),
    ...(input.resume?.alreadyRead ? { alreadyRead: input.resume.alreadyRead } : {}),
  })) {
    input.charge("users-search", page.items.length);
    for (const user of page.items) await write(user);
    // Only now is the page whole in the files: a checkpoint never resumes past a half-written page.
    input.result.offset = page.startAt + page.items.length;
  }
}

export function seatHolderUser(user: JiraUser | SeatHolderUser): SeatHolderUser {
  const { accountId, accountType, active, displayName, emailAddress } = user;
  return { accountId, accountType, active, displayName, emailAddress };
}
