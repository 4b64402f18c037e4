/**
 * Vitest global set-up: compiles src/ once into `.test-dist/` (incrementally), so that the processes the tests start
 * (`coxswain`, `coxctl`, their children) run plain JavaScript instead of compiling TypeScript through tsx at every
 * start, which costs each process about a second of CPU. bin/run.js runs from `COX_DIST_DIR` when it is set (the
 * config sets it for the tests). A failed compile leaves the processes on tsx, so a type error never hides a test.
 */
import { execFile } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { TEST_DIST } from "./testDist.js";

export default async function setup(): Promise<void> {
  const tsc = new URL("../../node_modules/typescript/bin/tsc", import.meta.url).pathname;
  const root = new URL("../..", import.meta.url).pathname;
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", TEST_DIST, "--declaration", "false", "--incremental", "--tsBuildInfoFile", `${TEST_DIST}/.tsbuildinfo`], { cwd: root });
  } catch (err) {
    // Type errors still emit JavaScript; anything else (no output at all) falls back to tsx.
    if (!existsSync(`${TEST_DIST}/cli/coxswain.js`)) {
      rmSync(TEST_DIST, { recursive: true, force: true });
      process.stderr.write(`test set-up: could not compile for the processes (they run through tsx): ${(err as Error).message.split("\n")[0]}\n`);
    }
  }
}
