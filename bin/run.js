// Runs one of the CLIs. In the repository the TypeScript sources run through tsx (a dev dependency); the installed
// package has no src/ and runs the JavaScript that `npm run build` (prepack) compiled into dist/.
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

/**
 * Imports the entry point of `cli` (`coxctl`, `coxswain`): from `COX_DIST_DIR` when that is set and compiled (the
 * tests compile src/ there once, so the processes they start skip tsx), else from src/ when it is there, else from
 * dist/.
 */
export async function run(cli) {
  const compiled = process.env.COX_DIST_DIR ? `${process.env.COX_DIST_DIR}/cli/${cli}.js` : "";
  if (compiled && existsSync(compiled)) {
    await import(pathToFileURL(compiled).href);
    return;
  }
  const source = new URL(`../src/cli/${cli}.ts`, import.meta.url);
  if (existsSync(source)) {
    const { register } = await import("tsx/esm/api");
    register();
    await import(source.href);
  } else {
    await import(new URL(`../dist/cli/${cli}.js`, import.meta.url).href);
  }
}
