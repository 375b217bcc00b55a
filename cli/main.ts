#!/usr/bin/env node
/** The `jira-connector` binary (package.json `bin`). */
import { createIo } from "./io";
import { main } from "./program";

const io = createIo({ stdout: process.stdout, stderr: process.stderr, env: process.env });
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    io.err("jira-connector: unexpected failure; run again, and report it if it persists\n");
    process.exitCode = 1;
  },
);
