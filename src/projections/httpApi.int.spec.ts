import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNats, uniqueName, eventually, type TestNats } from "../../test/harness/natsServer.js";
import { startApi, type Api } from "./index.js";

describe("the read model's plain-HTTP port", () => {
  let t: TestNats;
  let api: Api;
  let base: string;

  beforeAll(async () => {
    t = await startTestNats();
    api = await startApi(await t.connect(), {
      prefix: uniqueName("w"), name: uniqueName("h"), httpPort: 0,
      httpRoutes: () => (_req, res) => { res.writeHead(418); res.end("routed"); },
    });
    base = `http://127.0.0.1:${api.http?.port}`;
  });
  afterAll(async () => {
    await api?.stop();
    await t?.cleanup();
  });

  it("serves health, readiness and metrics itself and hands every other path to its routes", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, 5_000);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/coxswain_projection_lag_events \d+/);
    expect(metrics).toMatch(/coxswain_api_watches \d+/);
    const routed = await fetch(`${base}/api/v1/pods`);
    expect([routed.status, await routed.text()]).toEqual([418, "routed"]);
  });
});
