import { AtlassianClient, bulkChangelogs, collectItems, updatedWorklogIds, PaginationStalledError, UnexpectedResponseError, worklogsByIds } from "../../atlassian";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server";

/** The activity listings against a scripted server: they stay on the configured host and stop when a server loops. */
let server: ScriptedServer;
beforeEach(async () => {
  server = await startScriptedServer();
});
afterEach(() => server.close());

const jira = () =>
  new AtlassianClient({ env: { JIRA_CONNECTOR_SITE_URL: `${server.url}/site/{site}` }, retry: { maxRetries: 0 } }).jira({ kind: "api-token", site: "acme", email: "a@example.com", apiToken: "tok-secret" });
const body = (value: unknown) => ({ status: 200, body: JSON.stringify(value) });

async function drain<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

test("worklog/updated: pages are requested with since=<until> on our host, never at the server's nextPage URL", async () => {
  server.reply(
    body({ values: [{ worklogId: 1, updatedTime: 1000 }, { worklogId: 2, updatedTime: 2000 }], since: 0, until: 2000, lastPage: false, nextPage: "https://evil.example/steal" }),
    body({ values: [{ worklogId: 2, updatedTime: 2000 }, { worklogId: 3, updatedTime: 3000 }], since: 2000, until: 3000, lastPage: true }),
  );
  const pages = await drain(updatedWorklogIds(jira(), 0));
  expect(pages).toEqual([{ ids: [1, 2], until: 2000 }, { ids: [2, 3], until: 3000 }]);
  expect(server.received.map((r) => r.url)).toEqual(["/site/acme/rest/api/3/worklog/updated?since=0", "/site/acme/rest/api/3/worklog/updated?since=2000"]);
});

test("worklog/updated: a listing whose until does not advance is an error, not an endless loop", async () => {
  const stuck = body({ values: [{ worklogId: 1, updatedTime: 5 }], since: 5, until: 5, lastPage: false });
  server.reply(stuck, stuck, stuck);
  await expect(drain(updatedWorklogIds(jira(), 5))).rejects.toThrow(PaginationStalledError);
  expect(server.received).toHaveLength(1);
});

test("changelog/bulkfetch: a repeated nextPageToken stops the listing; the POST body names the issues", async () => {
  const page = body({ issueChangeLogs: [{ issueId: "10001", changeHistories: [{ id: "1", author: { accountId: "u1" }, created: "2026-01-01T00:00:00.000+0000" }] }], nextPageToken: "same" });
  server.reply(page, page, page);
  await expect(collectItems(bulkChangelogs(jira(), ["10001", "10002"]))).rejects.toThrow(/repeated a nextPageToken/);
  expect(server.received).toHaveLength(2);
  expect(server.received[0]).toMatchObject({ method: "POST", url: "/site/acme/rest/api/3/changelog/bulkfetch" });
  expect(JSON.parse(server.received[0].body)).toEqual({ issueIdsOrKeys: ["10001", "10002"], maxResults: 10_000 });
  expect(JSON.parse(server.received[1].body)).toMatchObject({ nextPageToken: "same" });
});

test("bulk limits are enforced before a request is sent", () => {
  expect(() => bulkChangelogs(jira(), [])).toThrow(RangeError);
  expect(() => bulkChangelogs(jira(), Array.from({ length: 1001 }, (_, i) => String(i)))).toThrow(/1 to 1000 issue IDs/);
  return expect(worklogsByIds(jira(), Array.from({ length: 1001 }, (_, i) => i))).rejects.toThrow(/at most 1000 IDs/);
});
