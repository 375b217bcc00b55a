import type * as pulumi from "@pulumi/pulumi";
import { checkConnectionInputs } from "./check";
import { diffConnection } from "./diff";
import type { ConnectionInputs, ConnectionOutputs } from "./inputs";
import { createConnection, deleteConnection, readConnection, updateConnection } from "./lifecycle";

/**
 * The dynamic provider. Pulumi serializes this object (and what it references) into the state as `__provider`;
 * it therefore captures no credentials, no SDK clients and no schema objects — all are built inside the methods.
 * `check` and `diff` are pure, so `pulumi preview` never calls Atlassian or AWS.
 */
export const jiraConnectionProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    return checkConnectionInputs(news);
  },
  async diff(_id: string, olds: ConnectionOutputs, news: Record<string, unknown>) {
    return diffConnection(olds, news);
  },
  async create(inputs: ConnectionInputs) {
    return createConnection(inputs);
  },
  async update(_id: string, olds: ConnectionOutputs, news: ConnectionInputs) {
    return updateConnection(olds, news);
  },
  async read(id: string, props: ConnectionOutputs) {
    return readConnection(id, props);
  },
  async delete() {
    return deleteConnection();
  },
};
