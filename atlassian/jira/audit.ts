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
  const operation = JIRA_OPERATIONS.auditRecords;
  const schema = auditRecordsSchema();
  return paginateByOffset(
    `GET /rest/api/3${operation.path}`,
    async (offset) => {
      const page = await client.get(operation, schema, {
        query: {
          offset,
          limit: Math.min(options.pageSize ?? 1000, 1000),
          filter: options.filter,
          from: options.from?.toISOString(),
          to: options.to?.toISOString(),
        },
      });
      return { items: page.records, total: page.total };
    },
    (offset, page) => nextEnvelopeOffset(offset, { received: page.items.length, total: page.total }),
  );
}
