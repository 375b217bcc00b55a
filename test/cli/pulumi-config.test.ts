/** `setPulumiSecret` failing: Pulumi's stderr is scrubbed of the token (sent on stdin) before it is cut to 400. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { describePulumiConfigKey, pulumiConfigNamespace, setPulumiSecret } from "../../cli/authorize/pulumi-config";
import { locatePulumiCli } from "../e2e/pulumi-cli";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-config-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A `pulumi` that prints `pad` characters, then echoes its stdin (the token) to stderr, and fails. */
function echoingPulumi(pad: number): string {
  const bin = path.join(tmp, `bin-${pad}`);
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\nprintf 'error: %0${pad}d ' 0 >&2\ncat >&2\necho >&2\nexit 1\n`, { mode: 0o755 });
  return bin;
}

test("a token Pulumi echoes across the 400-character cut leaves no prefix in the error", async () => {
  const token = `eyJ${"Kq7Zx9".repeat(16)}`;
  // "error: " (7) + pad + " " puts the token's start 20 characters before the cut.
  const bin = echoingPulumi(400 - 20 - 8);
  const error = await setPulumiSecret({ key: "refreshToken", value: token, env: { PATH: `${bin}:${process.env.PATH}` } }).then(
    () => undefined,
    (caught: unknown) => caught as Error,
  );
  expect(error?.message).toMatch(/failed \(exit 1: error: 0+ \[REDACTED\]\)\.$/);
  expect(error?.message).not.toContain(token.slice(0, 6));
});

describe("which namespace a --pulumi-config key lands in", () => {
  test("a bare key (with or without dots) is the project's; `ns:key` names a namespace", () => {
    expect(pulumiConfigNamespace("acme.refreshToken")).toEqual({ kind: "project" });
    expect(pulumiConfigNamespace("refreshToken")).toEqual({ kind: "project" });
    expect(pulumiConfigNamespace("acme:refreshToken")).toEqual({ kind: "explicit", namespace: "acme" });
    expect(describePulumiConfigKey("acme:refreshToken")).toMatch(/namespace "acme" \(read only by `new pulumi.Config\("acme"\)`/);
  });

  // The real CLI (when `npm run test:setup` provided one): the claim above is Pulumi's behaviour, not ours.
  const cli = locatePulumiCli();
  (cli.kind === "run" ? test : test.skip)("the real `pulumi config set --secret acme.refreshToken` writes <project>:acme.refreshToken", async () => {
    const project = path.join(tmp, "project");
    fs.mkdirSync(path.join(project, "state"), { recursive: true });
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: jira-connectors\nruntime: nodejs\n");
    const env = { ...process.env, PATH: cli.kind === "run" ? cli.cli.path : "", PULUMI_BACKEND_URL: `file://${path.join(project, "state")}`, PULUMI_CONFIG_PASSPHRASE: "test", PULUMI_SKIP_UPDATE_CHECK: "true" };
    expect(spawnSync("pulumi", ["stack", "init", "dev"], { cwd: project, env }).status).toBe(0);
    await setPulumiSecret({ key: "acme.refreshToken", value: "SECRET-refresh-token", cwd: project, env });
    await setPulumiSecret({ key: "other:refreshToken", value: "SECRET-other-token", cwd: project, env });
    const stackFile = fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8");
    expect(stackFile).toMatch(/^ {2}jira-connectors:acme\.refreshToken:\n {4}secure: /m);
    expect(stackFile).toMatch(/^ {2}other:refreshToken:\n {4}secure: /m);
    expect(stackFile).not.toContain("SECRET-");
  }, 60_000);
});
