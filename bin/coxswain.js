#!/usr/bin/env -S node --max-semi-space-size=4
// The `coxswain` command: see run.js for how it runs in the repository and when installed.
// --max-semi-space-size=4: a young generation of 8 MiB instead of V8's 32 (src/cli/heapTuning.ts says why); V8 reads
// it only at start, so it is on this line (and in `npm start`, and the bench's parts read it from here).
// Until the entry point installs its own handlers, nothing has started: a signal while the modules load ends the process cleanly.
const early = () => process.exit(0);
process.once("SIGTERM", early);
process.once("SIGINT", early);
globalThis[Symbol.for("coxswain.earlySignalHandler")] = early;
const { run } = await import("./run.js");
await run("coxswain");
