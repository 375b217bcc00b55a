import { AtlassianError } from "../atlassian/errors";
import { deflateRawSync, inflateRawSync } from "zlib";
import type { JiraClient } from "../atlassian/jira/jira-client";
import type { ListingBounds } from "../atlassian/jira/listing-bounds";
import { searchUsers } from "../atlassian/jira/users";
import type { Charge } from "./reads";
import { type SeatHolderUser, seatHolderUser, type UserStreamResume } from "./user-stream";

/**
 * `users/search` read ahead while the memberships are still being read. The user listing is one chain of pages
 * (each offset waits for the previous page) on its own burst bucket, so reading it after the memberships, as the
 * stream once did, added its whole chain (~100 round trips at 100k users) to the run. The stream needs the
 * memberships to annotate each user, so the pages are kept — compactly, one deflated JSON array per page (~2 MB at
 * 100k users) — and replayed once they are known (`resume()`); the listing continues from where the read-ahead
 * stopped. A failure that may pass (a 5xx after the pipeline's retries) is not reported: the stream's own read from
 * that offset tries again. Any other (a bound, a body over the cap) ends the listing there: the stream replays what
 * was read and then reports it, without requesting the page again (a 20 MB body twice).
 */
export class UserPrefetch {
  private pages: Buffer[] = [];
  private failure: unknown;
  /** Pages and users read; the listing starts at 0 and advances by what each page held, so `items` is the offset reached. */
  private readonly read = { items: 0, pages: 0 };
  private stopped = false;
  /** The read-ahead reached the listing's end (the empty page): nothing is left to read. */
  private ended = false;
  private readonly done: Promise<void>;

  constructor(jira: JiraClient, charge: Charge, bounds?: ListingBounds) {
    this.done = this.readAhead(jira, charge, bounds).catch((error: unknown) => {
      // A failure that may pass (5xx, a burst 429) gets the stream's own attempts; any other is final.
      if (!(error instanceof AtlassianError && error.retryable)) this.failure = error;
    });
  }

  private async readAhead(jira: JiraClient, charge: Charge, bounds: ListingBounds | undefined): Promise<void> {
    for await (const page of searchUsers(jira, { startAt: 0, ...(bounds ? { bounds } : {}) })) {
      // A page that arrived is kept (it was paid for); none is requested after `stop()`/`resume()`.
      charge("users-search", page.items.length);
      // Deflated (fastest level): ~10× smaller than the JSON, for a few ms per 1000 users.
      this.pages.push(deflateRawSync(JSON.stringify(page.items.map(seatHolderUser)), { level: 1 }));
      this.read.pages++;
      this.read.items += page.items.length;
      if (this.stopped) return;
    }
    this.ended = true;
  }

  /** The run failed: read no further pages. */
  stop(): void {
    this.stopped = true;
  }

  /** Stops the read-ahead after the page in flight: its users (each page released as it is replayed) and where the listing goes on. */
  async resume(): Promise<UserStreamResume> {
    // The memberships are known: the stream goes on from here itself. Waiting for the read-ahead to reach the end
    // would hold a server's endless listing in memory until its bound, with nothing written meanwhile.
    this.stopped = true;
    await this.done;
    const pages = this.pages;
    this.pages = [];
    async function* users(): AsyncGenerator<SeatHolderUser> {
      for (let i = 0; i < pages.length; i++) {
        const page = JSON.parse(inflateRawSync(pages[i]!).toString("utf8")) as SeatHolderUser[];
        pages[i] = Buffer.alloc(0);
        yield* page;
      }
    }
    // One listing read in one go: no user can appear twice, so the stream need not remember every ID.
    return {
      users: users(),
      offset: this.read.items,
      sameListing: true,
      alreadyRead: { ...this.read },
      ...(this.failure !== undefined ? { failure: this.failure } : {}),
      ...(this.ended ? { ended: true } : {}),
    };
  }
}
