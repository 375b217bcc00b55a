import type { JiraClient } from "./jira-client";
import { JIRA_OPERATIONS } from "./operations";
import { nextEnvelopeOffset, type Page, paginateByOffset } from "./pagination";
import { type AuditRecord, auditRecordsSchema } from "./schemas";

export interface AuditRecordOptions {
  /** Inclusive lower bound (ISO-8601 on the wire). */
  from?: Date;
  to?: Date;
  /** Space-separated terms matched against summary, category, object names (account IDs for users), etc. */
  filter?: string;
  pageSize?: number;
}

/** Audit records (`GET /auditing/record`, offset/limit envelope). Admin only; unavailable on all-free plans. */
export function auditRecords(client: JiraClient, options: AuditRecordOptions = {}): AsyncGenerator<Page<AuditRecord>> {
  const schema = auditRecordsSchema(); // one for the listing, as searchUsers and searchIssues do
  return paginateByOffset(
    `GET /rest/api/3${JIRA_OPERATIONS.auditRecords.path}`,
    (offset) => auditRecordsPage(client, options, offset, schema),
    (offset, page) => nextEnvelopeOffset(offset, { received: page.items.length, total: page.total }),
  );
}

/** One page of `GET /auditing/record` at `offset` (for callers that fetch pages concurrently once `total` is known). */
export async function auditRecordsPage(
  client: JiraClient,
  options: AuditRecordOptions,
  offset: number,
  // Callers reading many pages build it once: a zod schema compiles its parser on first use.
  schema = auditRecordsSchema(),
): Promise<{ items: AuditRecord[]; total?: number }> {
  const page = await client.get(JIRA_OPERATIONS.auditRecords, schema, {
    query: {
      offset,
      limit: Math.min(options.pageSize ?? 1000, 1000),
      filter: options.filter,
      from: options.from?.toISOString(),
      to: options.to?.toISOString(),
    },
  });
  return { items: page.records, total: page.total };
}
