import type { AtlassianClient } from "../atlassian/client";
import { AtlassianError } from "../atlassian/errors";
import { type EvidenceSource, markFailed } from "./decisions/evidence";
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

/**
 * The org step of a collection: last-active dates when the memberships and activity were read, the evidence plan
 * updated (failed, with the note, when the org API failed or never mentions this site), and reasons for a partial run.
 */
export async function orgEvidence(input: {
  atlassian: AtlassianClient;
  org: OrgActivitySettings;
  cloudId: string;
  memberships: ReadonlyMap<string, readonly string[]> | undefined;
  accumulator: ActivityAccumulator | undefined;
  gate: AdaptiveRequestGate;
  evidence: EvidenceSource[];
}): Promise<{ evidence: EvidenceSource[]; pageViewsCover?: Set<string>; reasons: string[] }> {
  const { memberships, accumulator } = input;
  if (!memberships || !accumulator) return { evidence: markFailed(input.evidence, "org-last-active", "not read: group membership or activity reads failed"), reasons: [] };
  const failed = (note: string) => ({ evidence: markFailed(input.evidence, "org-last-active", note), reasons: [`org last-active dates: ${note}`] });
  let org: Awaited<ReturnType<typeof readOrgLastActive>>;
  try {
    org = await readOrgLastActive({ ...input, memberships, accumulator });
  } catch (error) {
    if (!(error instanceof AtlassianError)) throw error;
    return failed(error.message);
  }
  if (org.answered.size > 0 && org.mentioningSite === 0) {
    // Not one answer names this site: the org does not manage it, so an absent date proves nothing here.
    return failed(`the organization ${input.org.orgId} answered for ${org.answered.size} account(s) but never mentions this site (cloud ID ${input.cloudId}); check that the site belongs to this organization`);
  }
  return { evidence: input.evidence, pageViewsCover: org.answered, reasons: [] };
}
