#!/usr/bin/env node
// The `coxswain` command: see run.js for how it runs in the repository and when installed.
import { run } from "./run.js";

await run("coxswain");
