/** A managed nats-server in its own process group still ends with the process that started it. */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventually } from "../../test/harness/natsServer.js";

describe("a managed nats-server in its own process group", () => {
  const dir = mkdtempSync(join(tmpdir(), "cox-own-group-"));
  let serverPid = 0;
  afterAll(() => {
    // Should the test fail, the server it left is ended by its pid (this test started it).
    if (serverPid && existsSync(`/proc/${serverPid}`) && readFileSync(`/proc/${serverPid}/cmdline`, "utf8").includes(dir)) process.kill(serverPid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("is sent SIGTERM when its parent dies of an uncaught error without stopping it", async () => {
    const script = join(dir, "parent.mts");
    writeFileSync(script, [
      `import { ManagedNatsServer } from ${JSON.stringify(new URL("./managedServer.ts", import.meta.url).pathname)};`,
      `const server = new ManagedNatsServer({ port: 0, storeDir: ${JSON.stringify(join(dir, "store"))}, ownProcessGroup: true });`,
      "await server.start();",
      "console.log(`PID ${server.pid}`);",
      "throw new Error(\"the parent crashes\");",
    ].join("\n"));
    const parent = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    parent.stdout.on("data", (c: Buffer) => { out += c.toString(); });
    parent.stderr.on("data", (c: Buffer) => { out += c.toString(); });
    const code = await new Promise<number | null>((resolve) => parent.once("exit", (c) => resolve(c)));
    serverPid = Number(/PID (\d+)/.exec(out)?.[1] ?? 0);
    expect({ code, started: serverPid > 0 }, out).toEqual({ code: 1, started: true });
    await eventually(() => !existsSync(`/proc/${serverPid}`) || readFileSync(`/proc/${serverPid}/stat`, "utf8").includes(") Z "), 15_000, 50);
  });
});
