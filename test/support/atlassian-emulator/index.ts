/** The emulator ships with the package as the sandbox (sandbox/emulator/); tests keep importing it from here. */
export * from "../../../sandbox/emulator";
