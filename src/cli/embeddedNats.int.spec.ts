/** The managed nats-server of `coxswain up` when another process binds its port between the look and the bind. */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, ManagedNatsServer } from "../nats/managedServer.js";
import { EmbeddedNatsError, startOnFreePort } from "./embeddedNats.js";

const dirs: string[] = [];
const store = () => { const d = mkdtempSync(join(tmpdir(), "cox-embedded-")); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** Listens on 127.0.0.1:port until closed: the port is taken. */
function hold(port: number): Promise<Server> {
  return new Promise((resolve) => { const s = createServer(); s.listen(port, "127.0.0.1", () => resolve(s)); });
}

describe("startOnFreePort", () => {
  it("starts the server on another free port when the one it was given is taken by then", async () => {
    const port = await freePort();
    const holder = await hold(port);
    const asked: number[] = [];
    const server = await startOnFreePort((p) => { asked.push(p); return new ManagedNatsServer({ port: p, storeDir: store() }); }, port);
    try {
      expect(asked[0]).toBe(port);
      expect(asked.slice(1)).toEqual([0]);
      expect(server.port).not.toBe(port);
      expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    } finally {
      await server.stop();
      holder.close();
    }
  });

  it("gives up after its attempts when every port it gets is taken, naming nats-server's own words", async () => {
    const port = await freePort();
    const holder = await hold(port);
    try {
      // Every attempt is made on the held port: the third failure is the error.
      const tries = startOnFreePort(() => new ManagedNatsServer({ port, storeDir: store() }), port);
      await expect(tries).rejects.toThrow(EmbeddedNatsError);
      await expect(tries).rejects.toThrow(/address already in use/);
    } finally {
      holder.close();
    }
  });
});
