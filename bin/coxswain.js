#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4
// The `coxswain` command: see run.js for how it runs in the repository and when installed.
// --max-semi-space-size=4: a young generation of 8 MiB instead of V8's 32 (src/cli/heapTuning.ts says why); V8 reads
// it only at start, so it is on this line (and in `npm start`, and the bench's parts read it from here).
// MALLOC_ARENA_MAX=2: glibc keeps at most two malloc arenas instead of one per thread that allocates (V8's and
// libuv's workers), each holding freed memory of its own; the four parts of the bench held 15–28 MiB less RSS at
// 10,000 pods (docs/benchmarks.md). glibc reads it only at start; other C libraries ignore it.
// Until the entry point installs its own handlers, nothing has started: a signal while the modules load ends the process cleanly.
const early = () => process.exit(0);
process.once("SIGTERM", early);
process.once("SIGINT", early);
globalThis[Symbol.for("coxswain.earlySignalHandler")] = early;
const { run } = await import("./run.js");
await run("coxswain");
