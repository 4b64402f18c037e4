import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Container } from "../api/podSpec.js";
import { lastLines, messagePath, readTerminationMessage } from "./terminationMessage.js";

const dir = mkdtempSync(join(tmpdir(), "cox-term-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const c = (more: Partial<Container> = {}): Container => ({ name: "main", image: "local", ...more });

describe("termination messages of process containers", () => {
  it("reads the first 4 KiB of the file written during the attempt, at the default path or the container's own", () => {
    writeFileSync(messagePath(c(), dir), "db unreachable\n");
    expect(readTerminationMessage(c(), dir, 0, 2)).toBe("db unreachable\n");
    const own = join(dir, "own-path");
    writeFileSync(own, "x".repeat(5000));
    expect(readTerminationMessage(c({ terminationMessagePath: own }), dir, 0, 0)).toBe("x".repeat(4096));
    utimesSync(own, new Date(1000), new Date(1000)); // left by an earlier attempt
    expect(readTerminationMessage(c({ terminationMessagePath: own }), dir, Date.now() - 60_000, 1)).toBeUndefined();
  });
  it("falls back to the end of the output only under FallbackToLogsOnError, for a failed container with no message", () => {
    const d = mkdtempSync(join(dir, "logs-"));
    writeFileSync(join(d, "stdout"), Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n") + "\n");
    writeFileSync(join(d, "stderr"), "fatal: no config\n");
    const fallback = c({ terminationMessagePolicy: "FallbackToLogsOnError" });
    const message = readTerminationMessage(fallback, d, 0, 1) ?? "";
    expect(message.split("\n")).toHaveLength(80);
    expect(message.endsWith("line 99\nfatal: no config")).toBe(true);
    expect(readTerminationMessage(fallback, d, 0, 0)).toBeUndefined();
    expect(readTerminationMessage(c(), d, 0, 1)).toBeUndefined();
  });
  it("keeps at most 80 lines and 2 KiB, cutting no character", () => {
    expect(lastLines("a\nb\nc\n", 2, 100)).toBe("b\nc");
    expect(lastLines("é".repeat(2000), 80, 2048)).toBe("é".repeat(1024));
    expect(lastLines(`x${"é".repeat(1100)}`, 80, 2047)).toBe("é".repeat(1023));
  });
});
