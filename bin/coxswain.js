#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so the package needs no build step.
// Until the entry point installs its own handlers, nothing has started: a signal while the modules load ends the process cleanly.
const early = () => process.exit(0);
process.once("SIGTERM", early);
process.once("SIGINT", early);
globalThis[Symbol.for("coxswain.earlySignalHandler")] = early;
const { register } = await import("tsx/esm/api");
register();
await import("../src/cli/coxswain.ts");
