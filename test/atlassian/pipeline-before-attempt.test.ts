/** `PipelineOptions.beforeAttempt`: asked before every attempt, again after each wait; a throw sends nothing. */
import { RateLimitedError, RequestPipeline } from "../../atlassian";
import type { FetchLike } from "../../atlassian/http/pipeline";

const headers = { get: () => null };
function fetchAnswering(statuses: number[], sent: string[]): FetchLike {
  return async () => {
    sent.push("attempt");
    const status = statuses.shift() ?? 200;
    return { status, headers, text: async () => "{}" };
  };
}
const request = { operation: "GET /rest/api/3/myself", method: "GET" as const, url: "https://acme.atlassian.net/rest/api/3/myself" };

test("every attempt, the retry included, is sent only once the hook answers without a wait", async () => {
  const sent: string[] = [];
  let waits = 2;
  const pipeline = new RequestPipeline({
    fetch: fetchAnswering([503, 200], sent),
    sleep: async () => undefined,
    retry: { baseDelayMs: 1 },
    beforeAttempt: (operation) => {
      sent.push(`ask ${operation}`);
      if (waits-- > 0) return Promise.resolve().then(() => void sent.push("waited"));
      return undefined;
    },
  });
  const response = await pipeline.send(request);
  expect(response.status).toBe(200);
  const ask = `ask ${request.operation}`;
  expect(sent).toEqual([ask, "waited", ask, "waited", ask, "attempt", ask, "attempt"]);
});

test("a hook that throws ends the call before anything is sent", async () => {
  const sent: string[] = [];
  const pipeline = new RequestPipeline({
    fetch: fetchAnswering([], sent),
    beforeAttempt: () => {
      throw new RateLimitedError(request.operation, undefined, "jira-quota-global-based");
    },
  });
  await expect(pipeline.send(request)).rejects.toBeInstanceOf(RateLimitedError);
  expect(sent).toEqual([]);
});
