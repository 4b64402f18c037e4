/** Where the tests' global set-up compiles src/ for the processes they start (see buildForProcesses.ts). */
export const TEST_DIST = new URL("../../.test-dist", import.meta.url).pathname;
