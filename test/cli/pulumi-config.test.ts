/** `setPulumiSecret` failing: Pulumi's stderr is scrubbed of the token (sent on stdin) before it is cut to 400. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { setPulumiSecret } from "../../cli/authorize/pulumi-config";

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
