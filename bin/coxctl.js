#!/usr/bin/env node
// The `coxctl` command: see run.js for how it runs in the repository and when installed.
import { run } from "./run.js";

await run("coxctl");
