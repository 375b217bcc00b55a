import type * as pulumi from "@pulumi/pulumi";

/** Options of the component's children: always parented; `dependsOn` kept as a plain list so it can be extended. */
export interface ChildOptions extends pulumi.CustomResourceOptions {
  parent: pulumi.Resource;
  dependsOn?: pulumi.Resource[];
}

/** `opts`, additionally waiting for `resources`. */
export function after(opts: ChildOptions, ...resources: pulumi.Resource[]): ChildOptions {
  return { ...opts, dependsOn: [...(opts.dependsOn ?? []), ...resources] };
}
