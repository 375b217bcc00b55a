import { type ChildProcess, spawn } from "child_process";
import { promisify } from "util";

/**
 * Drives Pulumi's own dynamic-provider host (shipped in @pulumi/pulumi) over gRPC, exactly as the engine does:
 * Configure, then Check/Diff/Create/Read/Update/Delete with `__provider` in every property struct.
 * See pulumi-dynamic-providers.md §5.3.
 */

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js");
const pb = require("@pulumi/pulumi/proto/provider_pb");
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");


export interface DiffReply {
  changes: "UNKNOWN" | "NONE" | "SOME";
  replaces: string[];
}

export interface ProviderHost {
  check(urn: string, olds: object, news: object): Promise<{ inputs: Record<string, unknown>; failures: { property: string; reason: string }[] }>;
  diff(id: string, urn: string, olds: object, news: object): Promise<DiffReply>;
  create(urn: string, inputs: object): Promise<{ id: string; properties: Record<string, unknown> }>;
  read(id: string, urn: string, properties: object): Promise<{ id: string; properties: Record<string, unknown> }>;
  update(id: string, urn: string, olds: object, news: object): Promise<Record<string, unknown>>;
  delete(id: string, urn: string, properties: object): Promise<void>;
  stderr(): string;
  close(): void;
}

/** Starts the host with `cwd` as the Pulumi project directory (see user-project.ts). */
export async function startProviderHost(cwd: string, env: Record<string, string>, config: Record<string, string> = {}): Promise<ProviderHost> {
  const child: ChildProcess = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/dynamic-provider"), "127.0.0.1:1"], {
    cwd,
    env: { ...process.env, ...env, PULUMI_NODEJS_PROJECT: "jira-connectors" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0].trim();
      if (out.includes("\n") && /^\d+$/.test(line)) resolve(line);
    });
    child.on("exit", (code) => reject(new Error(`provider host exited (${code}): ${stderr}`)));
  });
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = (method: string, request: unknown): Promise<any> =>
    promisify(client[method].bind(client))(request).catch((error: Error) => {
      throw new Error(`${method}: ${error.message}${stderr ? `\n--- host stderr ---\n${stderr}` : ""}`);
    });
  const S = (o: object) => Struct.fromJavaScript(o);

  await call("configure", new pb.ConfigureRequest().setArgs(S(config)));

  return {
    async check(urn, olds, news) {
      const reply = await call("check", new pb.CheckRequest().setUrn(urn).setOlds(S(olds)).setNews(S(news)));
      return {
        inputs: reply.getInputs()?.toJavaScript() ?? {},
        failures: reply.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, urn, olds, news) {
      const reply = await call("diff", new pb.DiffRequest().setId(id).setUrn(urn).setOlds(S(olds)).setNews(S(news)));
      return { changes: (["UNKNOWN", "NONE", "SOME"] as const)[reply.getChanges()], replaces: reply.getReplacesList() };
    },
    async create(urn, inputs) {
      const reply = await call("create", new pb.CreateRequest().setUrn(urn).setProperties(S(inputs)));
      return { id: reply.getId(), properties: reply.getProperties().toJavaScript() };
    },
    async read(id, urn, properties) {
      const reply = await call("read", new pb.ReadRequest().setId(id).setUrn(urn).setProperties(S(properties)));
      return { id: reply.getId(), properties: reply.getProperties().toJavaScript() };
    },
    async update(id, urn, olds, news) {
      const reply = await call("update", new pb.UpdateRequest().setId(id).setUrn(urn).setOlds(S(olds)).setNews(S(news)));
      return reply.getProperties().toJavaScript();
    },
    async delete(id, urn, properties) {
      await call("delete", new pb.DeleteRequest().setId(id).setUrn(urn).setProperties(S(properties)));
    },
    stderr: () => stderr,
    close() {
      client.close();
      child.kill();
    },
  };
}
