import type * as pulumi from "@pulumi/pulumi";
import type * as runtime from "./runtime";

/**
 * The dynamic provider as Pulumi serializes it into the state (`__provider`): a small shim that loads the
 * implementation from the installed package when the engine calls it. The engine runs providers with the Pulumi
 * project's directory as working directory, where `jira-connectors` is installed. Nothing is captured: no
 * credentials, no SDK clients, no schemas. `check` and `diff` are pure, so `pulumi preview` calls neither
 * Atlassian nor AWS.
 */
export const PROVIDER_MODULE = "jira-connectors/bin/providers/jira-connection/runtime";

const load = (): typeof runtime => require(PROVIDER_MODULE);

export const jiraConnectionProvider: pulumi.dynamic.ResourceProvider = {
  check: async (olds, news) => load().check(olds, news),
  diff: async (id, olds, news) => load().diff(id, olds, news),
  create: async (inputs) => load().create(inputs),
  update: async (id, olds, news) => load().update(id, olds, news),
  read: async (id, props) => load().read(id, props),
  delete: async () => load().remove(),
};
