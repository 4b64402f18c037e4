import { defineConfig } from "vitest/config";
import { TEST_DIST } from "./test/harness/testDist.js";

/**
 * Four tiers, run in order: unit (pure, no NATS), int (a real nats-server per file), e2e (whole processes),
 * hostile (attacks on a server with users; bounded in `npm test`, larger with COX_HOSTILE_SCALE in `test:hostile`).
 * The machine has 2 cores: integration and end-to-end files run two at a time. Each end-to-end file starts its own
 * system: its own data folder, NATS on a free port (started again on another when one was taken meanwhile), and pod
 * and service ranges of its own (test/harness/upProcess.ts); mostly waiting on processes, two at a time halve the
 * tier's time.
 */
export default defineConfig({
  test: {
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent", COX_DIST_DIR: TEST_DIST },
    // The processes tests start run src/ compiled once into TEST_DIST (test/harness/buildForProcesses.ts).
    globalSetup: ["test/harness/buildForProcesses.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.unit.spec.ts", "test/**/*.unit.spec.ts", "examples/*/*.unit.spec.ts"],
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: "int",
          include: ["src/**/*.int.spec.ts", "test/**/*.int.spec.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/**/*.e2e.spec.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: "hostile",
          include: ["test/hostile/**/*.hostile.spec.ts"],
          testTimeout: 300_000,
          hookTimeout: 60_000,
          maxWorkers: 1,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
