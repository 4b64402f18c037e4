/** The process runtime's probe handlers against real sockets on loopback: they ask the pod's own address. */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Container, Probe } from "../api/podSpec.js";
import { runProbe } from "./probes.js";

const POD_IP = `127.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}.7`;
const container = Container.parse({ name: "web", image: "local" });
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((_q, s) => s.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, POD_IP, () => resolve()));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("probes of a pod listening on its own address (POD_IP)", () => {
  it("an httpGet probe and a tcpSocket probe without host reach the server on POD_IP", async () => {
    const env = { POD_IP };
    expect(await runProbe(container, Probe.parse({ httpGet: { path: "/", port } }), env)).toEqual({ ok: true });
    expect(await runProbe(container, Probe.parse({ tcpSocket: { port } }), env)).toEqual({ ok: true });
  });

  it("a pod without an address is probed on 127.0.0.1, where this server does not listen", async () => {
    const result = await runProbe(container, Probe.parse({ httpGet: { path: "/", port } }), {});
    expect(result.ok).toBe(false);
    expect(result.message).toContain(`GET http://127.0.0.1:${port}/`);
  });
});
