import { z } from "zod";

/**
 * zod schemas for the Jira responses we read, built lazily by functions: a schema object held at module level
 * cannot be captured by Pulumi's closure serializer, and the dynamic provider imports this module.
 * Objects strip unknown keys (Atlassian adds fields over time); fields we rely on are required.
 */

export const groupNameSchema = () => z.object({ name: z.string(), groupId: z.string().nullish() });

const listWrapper = <T extends z.ZodType>(item: T) =>
  z.object({ size: z.number().optional(), items: z.array(item).default([]) });

export const userSchema = () =>
  z.object({
    accountId: z.string(),
    /** `atlassian` | `app` | `customer` | `unknown` — kept open: Atlassian may add types. */
    accountType: z.string().default("unknown"),
    active: z.boolean(),
    displayName: z.string().default(""),
    /** Absent or null when the user's privacy settings hide it. */
    emailAddress: z.string().nullish(),
    timeZone: z.string().optional(),
    locale: z.string().optional(),
    groups: listWrapper(groupNameSchema()).optional(),
    applicationRoles: listWrapper(z.object({ key: z.string().optional(), name: z.string().optional() })).optional(),
  });
export type JiraUser = z.output<ReturnType<typeof userSchema>>;

export const permissionsSchema = () =>
  z.object({
    permissions: z.record(
      z.string(),
      z.object({ key: z.string().optional(), type: z.string().optional(), havePermission: z.boolean().optional() }),
    ),
  });

export const applicationRoleSchema = () =>
  z.object({
    key: z.string(),
    name: z.string().default(""),
    groups: z.array(z.string()).default([]),
    defaultGroups: z.array(z.string()).default([]),
    groupDetails: z.array(groupNameSchema()).default([]),
    numberOfSeats: z.number().optional(),
    remainingSeats: z.number().optional(),
    userCount: z.number().optional(),
    userCountDescription: z.string().optional(),
    hasUnlimitedSeats: z.boolean().default(false),
    platform: z.boolean().optional(),
  });
export type ApplicationRole = z.output<ReturnType<typeof applicationRoleSchema>>;

export const licenseSchema = () =>
  z.object({ applications: z.array(z.object({ id: z.string(), plan: z.string() })).default([]) });
export type InstanceLicense = z.output<ReturnType<typeof licenseSchema>>;

/** `value` is a string on the wire, e.g. "115"; the figure is cached by Atlassian for up to 7 days. */
export const licenseMetricSchema = () => z.object({ key: z.string(), value: z.string() });

export const pageBeanSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    startAt: z.number().optional(),
    maxResults: z.number().optional(),
    total: z.number().optional(),
    isLast: z.boolean().optional(),
    nextPage: z.string().optional(),
    values: z.array(item).default([]),
  });

export const groupDetailsSchema = () => z.object({ groupId: z.string().nullish(), name: z.string() });
export type GroupDetails = z.output<ReturnType<typeof groupDetailsSchema>>;

export const groupMemberSchema = () =>
  z.object({
    accountId: z.string(),
    accountType: z.string().default("unknown"),
    active: z.boolean().optional(),
    displayName: z.string().optional(),
    emailAddress: z.string().nullish(),
    timeZone: z.string().optional(),
  });
export type GroupMember = z.output<ReturnType<typeof groupMemberSchema>>;

const auditItemSchema = () =>
  z.object({
    id: z.string().optional(),
    name: z.string().optional(),
    typeName: z.string().optional(),
    parentId: z.string().optional(),
    parentName: z.string().optional(),
  });

export const auditRecordSchema = () =>
  z.object({
    id: z.number(),
    summary: z.string().default(""),
    category: z.string().optional(),
    eventSource: z.string().optional(),
    /** `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g. `2014-03-19T18:45:42.967+0000`. */
    created: z.string(),
    authorAccountId: z.string().optional(),
    remoteAddress: z.string().optional(),
    description: z.string().optional(),
    objectItem: auditItemSchema().optional(),
    associatedItems: z.array(auditItemSchema()).default([]),
    changedValues: z
      .array(z.object({ fieldName: z.string().optional(), changedFrom: z.string().optional(), changedTo: z.string().optional() }))
      .default([]),
  });
export type AuditRecord = z.output<ReturnType<typeof auditRecordSchema>>;

export const auditRecordsSchema = () =>
  z.object({
    offset: z.number().optional(),
    limit: z.number().optional(),
    total: z.number().optional(),
    records: z.array(auditRecordSchema()).default([]),
  });

const issueUserSchema = () =>
  z.object({ accountId: z.string().optional(), displayName: z.string().optional(), active: z.boolean().optional() });

export const issueSchema = () =>
  z.object({
    id: z.string(),
    key: z.string().optional(),
    fields: z
      .looseObject({
        creator: issueUserSchema().nullish(),
        reporter: issueUserSchema().nullish(),
        assignee: issueUserSchema().nullish(),
        // Real responses carry `2024-01-01T10:00:00.000+0000`; Atlassian's own example has epoch milliseconds.
        created: z.union([z.string(), z.number()]).nullish(),
        updated: z.union([z.string(), z.number()]).nullish(),
      })
      .default({}),
  });
export type JiraIssue = z.output<ReturnType<typeof issueSchema>>;

export const issueSearchPageSchema = () =>
  z.object({
    issues: z.array(issueSchema()).default([]),
    isLast: z.boolean().optional(),
    nextPageToken: z.string().nullish(),
  });

export const serverInfoSchema = () =>
  z.object({ baseUrl: z.string().optional(), version: z.string().optional(), deploymentType: z.string().optional() });
