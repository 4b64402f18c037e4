/**
 * Vitest global set-up: compiles src/ once into `.test-dist/` (incrementally), so that the processes the tests start
 * (`coxswain`, `coxctl`, their children) run plain JavaScript instead of compiling TypeScript through tsx at every
 * start, which costs each process about a second of CPU. bin/run.js runs from `COX_DIST_DIR` when it is set (the
 * config sets it for the tests). A failed compile leaves the processes on tsx, so a type error never hides a test.
 * The bench compiles the same way into its own folder (its parts then run as the installed package does).
 */
import { execFile } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { TEST_DIST } from "./testDist.js";

/** Compiles src/ into `outDir` (incrementally); true when `outDir` holds a runnable build afterwards. */
export async function compileForProcesses(outDir: string): Promise<boolean> {
  const tsc = new URL("../../node_modules/typescript/bin/tsc", import.meta.url).pathname;
  const root = new URL("../..", import.meta.url).pathname;
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", outDir, "--declaration", "false", "--incremental", "--tsBuildInfoFile", `${outDir}/.tsbuildinfo`], { cwd: root });
  } catch (err) {
    // Type errors still emit JavaScript; anything else (no output at all) falls back to tsx.
    if (!existsSync(`${outDir}/cli/coxswain.js`)) {
      rmSync(outDir, { recursive: true, force: true });
      process.stderr.write(`could not compile for the processes (they run through tsx): ${(err as Error).message.split("\n")[0]}\n`);
    }
  }
  return existsSync(`${outDir}/cli/coxswain.js`);
}

export default async function setup(): Promise<void> {
  await compileForProcesses(TEST_DIST);
}
