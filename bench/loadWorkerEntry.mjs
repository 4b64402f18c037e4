// The thread of bench/loadWorker.ts when it runs as TypeScript (the bench under tsx, a test under vitest). Node 20
// does not apply the hooks of `--import tsx` to a worker thread, so the thread starts here, in plain JavaScript, and
// imports the module named by its first argument through tsx's tsImport (found from this file, whatever the working
// folder). Node 22 takes the same path.
import { argv } from "node:process";
import { tsImport } from "tsx/esm/api";

await tsImport(argv[2], import.meta.url);
