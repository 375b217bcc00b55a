import type { JiraClient } from "../atlassian/jira/jira-client";
import type { ListingBounds } from "../atlassian/jira/listing-bounds";
import type { ApplicationRole, JiraUser } from "../atlassian/jira/schemas";
import { searchUsers } from "../atlassian/jira/users";
import type { UserActivity } from "./decisions/activity";
import type { SeatHolderUserFields } from "./decisions/seat-holders";
import type { Charge } from "./reads";
import { lineInBoth, type NdjsonGzipWriter } from "./snapshot/ndjson";
import { accessFragment, type UserAccess, userLine } from "./user-line";

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
  // Users share a few group combinations: each combination's products, and their JSON, are worked out once.
  const accessOf = new Map<string, UserAccess>();
  const access = (groups: readonly string[]): UserAccess => {
    // The JSON of the list: unambiguous whatever a group name holds (a joined string could make two lists one).
    const id = JSON.stringify(groups);
    let found = accessOf.get(id);
    if (found === undefined) {
      const keys = [...new Set(groups.flatMap((g) => productsByGroup.get(g) ?? []))].sort();
      const products = keys.map((key) => ({ key, via: groups.filter((g) => productsByGroup.get(g)?.includes(key)) }));
      found = { groups: [...groups], products, fragment: accessFragment(groups, products) };
      accessOf.set(id, found);
    }
    return found;
  };
  const noGroups: string[] = [];
  // Not async: a promise per user (two per user with the fleet copy) was a fifth of writing the file. A promise is
  // returned only when a writer's gzip is behind, and awaited before the next user.
  const write = (user: SeatHolderUser): Promise<void> | undefined => {
    if (written?.has(user.accountId)) return undefined;
    written?.add(user.accountId);
    input.result.fetched++;
    const groups = groupsByAccount.get(user.accountId)?.sort() ?? noGroups;
    if (groups.length > 0) input.result.holders.set(user.accountId, seatHolderUser(user));
    const checkpoint = input.checkpoint;
    const queued = input.out.writeLine(userLine(user, access(groups), input.activity.get(user.accountId)));
    return checkpoint ? lineInBoth(queued, () => checkpoint.writeLine(JSON.stringify(seatHolderUser(user)))) : queued;
  };
  if (input.resume) {
    for await (const user of input.resume.users) {
      const pending = write(user);
      if (pending !== undefined) await pending;
    }
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
    for (const user of page.items) {
      const pending = write(user);
      if (pending !== undefined) await pending;
    }
    // Only now is the page whole in the files: a checkpoint never resumes past a half-written page.
    input.result.offset = page.startAt + page.items.length;
  }
}

export function seatHolderUser(user: JiraUser | SeatHolderUser): SeatHolderUser {
  const { accountId, accountType, active, displayName, emailAddress } = user;
  return { accountId, accountType, active, displayName, emailAddress };
}
