import * as runtime from "../../providers/jira-connection/runtime";

/**
 * The dynamic-provider host prints `${error}: ${error.stack}` for a failed check/diff/read/delete; the runtime's
 * errors keep the message (shown with the resource) and make that line short, with no stack frames.
 */
test("a failed refresh keeps its message, and prints as one line without stack frames", async () => {
  const error = (await runtime.read("acme/not-a-cloud-id", {} as never).catch((e: unknown) => e)) as Error;
  expect(error).toBeInstanceOf(Error);
  expect(error.message.length).toBeGreaterThan(0);
  const printed = `${error}: ${error.stack}`;
  expect(printed).toBe("JiraConnection refresh failed: see the error reported for the connector");
});
