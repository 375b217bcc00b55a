import type { AtlassianClient } from "../atlassian/client";
import { ORG_LAST_ACTIVE_OPERATION } from "../atlassian/org/last-active-dates";
import { runUntilFailure } from "./concurrent-pages";
import { type ActivityAccumulator, orgMentionsSite } from "./decisions/activity";
import type { AdaptiveRequestGate } from "./request-gate";

/** The organization whose Admin API gives last-active dates (optional; see atlassian/org/last-active-dates.ts). */
export interface OrgActivitySettings {
  orgId: string;
  /** An organization API key from Atlassian Administration. Secret. */
  apiKey: string;
}

/**
 * Last-active dates of every member of a seat-granting group: one request per account (Atlassian allows roughly 200
 * a minute per organization, so this suits sites with up to a few thousand seat holders), concurrently under the
 * gate. Accounts outside the organization's directory (apps, customers, unmanaged accounts) answer 404 and are
 * skipped. Returns the accounts the directory answered for (for them no date means no use, page views included) and
 * how many of those answers mention this site at all.
 */
export async function readOrgLastActive(input: {
  atlassian: AtlassianClient;
  org: OrgActivitySettings;
  /** This site, to count the answers that mention it. */
  cloudId: string;
  memberships: ReadonlyMap<string, readonly string[]>;
  accumulator: ActivityAccumulator;
  gate: AdaptiveRequestGate;
}): Promise<{ answered: Set<string>; mentioningSite: number }> {
  const accounts = new Set<string>();
  for (const members of input.memberships.values()) for (const id of members) accounts.add(id);
  const found = new Set<string>();
  let mentioningSite = 0;
  await runUntilFailure([...accounts].sort(), (request) => input.gate.run(ORG_LAST_ACTIVE_OPERATION, request), async (accountId) => {
    const access = await input.atlassian.org.lastActiveDates({ ...input.org, accountId });
    if (access === undefined) return;
    found.add(accountId);
    if (orgMentionsSite(access, { cloudId: input.cloudId })) mentioningSite++;
    input.accumulator.addOrgLastActive(accountId, access);
  });
  return { answered: found, mentioningSite };
}
