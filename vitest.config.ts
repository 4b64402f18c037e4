import { defineConfig } from "vitest/config";

/** Three tiers: unit (pure, no NATS), int (a real nats-server per file), e2e (whole processes). */
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["src/**/*.unit.spec.ts", "test/**/*.unit.spec.ts"], testTimeout: 10_000 } },
      {
        test: {
          name: "int",
          include: ["src/**/*.int.spec.ts", "test/**/*.int.spec.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/**/*.e2e.spec.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
