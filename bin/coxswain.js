#!/usr/bin/env node
// The `coxswain` command: see run.js for how it runs in the repository and when installed.
// Until the entry point installs its own handlers, nothing has started: a signal while the modules load ends the process cleanly.
const early = () => process.exit(0);
process.once("SIGTERM", early);
process.once("SIGINT", early);
globalThis[Symbol.for("coxswain.earlySignalHandler")] = early;
const { run } = await import("./run.js");
await run("coxswain");
