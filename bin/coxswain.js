#!/usr/bin/env node
// In the repository the TypeScript sources run through tsx (a dev dependency); the installed package has no src/
// and runs the JavaScript that `npm run build` (prepack) compiled into dist/.
import { existsSync } from "node:fs";

const source = new URL("../src/cli/coxswain.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import("../dist/cli/coxswain.js");
}
