import { z } from "zod";

/**
 * zod schemas for the activity evidence beyond audit records: changelogs, comments, worklogs. Built lazily (see
 * schemas.ts). Only the fields that say who acted and when are kept; the rest (bodies, items) is stripped.
 */

const actorSchema = () => z.object({ accountId: z.string().optional() }).nullish();
// Atlassian sends `2024-01-01T10:00:00.000+0000`; its examples sometimes epoch milliseconds.
const instantSchema = () => z.union([z.string(), z.number()]).nullish();

export const changelogHistorySchema = () => z.object({ id: z.string().optional(), author: actorSchema(), created: instantSchema() });
export type ChangelogHistory = z.output<ReturnType<typeof changelogHistorySchema>>;

export const bulkChangelogPageSchema = () =>
  z.object({
    issueChangeLogs: z.array(z.object({ issueId: z.string().optional(), changeHistories: z.array(changelogHistorySchema()).default([]) })).default([]),
    nextPageToken: z.string().nullish(),
  });

export const commentSchema = () =>
  z.object({ id: z.string().optional(), author: actorSchema(), updateAuthor: actorSchema(), created: instantSchema(), updated: instantSchema() });
export type IssueComment = z.output<ReturnType<typeof commentSchema>>;

/** `PageOfComments`, also the shape of the `comment` field of a searched issue. */
export const commentPageSchema = () =>
  z.object({
    startAt: z.number().optional(),
    maxResults: z.number().optional(),
    total: z.number().optional(),
    comments: z.array(commentSchema()).default([]),
  });
export type CommentPage = z.output<ReturnType<typeof commentPageSchema>>;

export const changedWorklogsSchema = () =>
  z.object({
    values: z.array(z.object({ worklogId: z.number(), updatedTime: z.number().optional() })).default([]),
    since: z.number().optional(),
    until: z.number().optional(),
    lastPage: z.boolean().optional(),
    nextPage: z.string().optional(),
  });

export const worklogSchema = () =>
  z.object({
    id: z.string().optional(),
    issueId: z.string().optional(),
    author: actorSchema(),
    updateAuthor: actorSchema(),
    started: instantSchema(),
    created: instantSchema(),
    updated: instantSchema(),
  });
export type Worklog = z.output<ReturnType<typeof worklogSchema>>;

export const worklogListSchema = () => z.array(worklogSchema());
