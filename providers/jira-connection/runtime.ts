/**
 * The provider's implementation, loaded at run time by the serialized shim in `provider.ts` from the installed
 * package (`jira-connectors/bin/providers/jira-connection/runtime`). Keeping the implementation out of the
 * serialized text keeps `__provider` small and stable across upgrades, and avoids the closure serializer's limits
 * (class fields, `Error` subclasses, native functions).
 */
import { checkConnectionInputs } from "./check";
import { diffConnection } from "./diff";
import type { ConnectionInputs, ConnectionOutputs } from "./inputs";
import { createConnection, deleteConnection, readConnection, updateConnection } from "./lifecycle";

export const check = (olds: Record<string, unknown>, news: Record<string, unknown>) => quietly("check", () => checkConnectionInputs(news, new Date(), olds));
export const diff = (id: string, olds: ConnectionOutputs, news: Record<string, unknown>) => quietly("diff", () => diffConnection(olds, news, id));
export const create = (inputs: ConnectionInputs) => createConnection(inputs);
export const update = (_id: string, olds: ConnectionOutputs, news: ConnectionInputs) => updateConnection(olds, news);
export const read = (id: string, props: ConnectionOutputs) => quietly("refresh", () => readConnection(id, props));
export const remove = () => quietly("delete", () => deleteConnection());

/**
 * The SDK's dynamic-provider host prints `${error}: ${error.stack}` for a failed check/diff/read/delete (not for
 * create/update), which the engine shows as a stack trace next to the real message. The engine shows the message
 * with the resource anyway, so the error keeps it and the host prints one short line instead.
 */
async function quietly<T>(operation: string, body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : `JiraConnection ${operation} failed`;
    const quiet = new Error(message);
    quiet.stack = "see the error reported for the connector";
    quiet.toString = () => `JiraConnection ${operation} failed`;
    throw quiet;
  }
}
