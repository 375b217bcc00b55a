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

export const check = (olds: Record<string, unknown>, news: Record<string, unknown>) => checkConnectionInputs(news, new Date(), olds);
export const diff = (id: string, olds: ConnectionOutputs, news: Record<string, unknown>) => diffConnection(olds, news, id);
export const create = (inputs: ConnectionInputs) => createConnection(inputs);
export const update = (_id: string, olds: ConnectionOutputs, news: ConnectionInputs) => updateConnection(olds, news);
export const read = (id: string, props: ConnectionOutputs) => readConnection(id, props);
export const remove = () => deleteConnection();
