import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNats, uniqueName, eventually, type TestNats } from "../../test/harness/natsServer.js";
import { startActors, type ActorHost } from "../actors/index.js";
import { startApi, type Api } from "./index.js";

describe("the HTTP API through real HTTP requests", () => {
  let t: TestNats;
  let host: ActorHost;
  let api: Api;
  let base: string;
  const prefix = uniqueName("w");
  const json = async (path: string, init?: RequestInit) => {
    const r = await fetch(`${base}${path}`, { ...init, headers: { "content-type": "application/json" } });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    t = await startTestNats();
    host = await startActors(await t.connect(), { prefix });
    api = await startApi(await t.connect(), { prefix, name: uniqueName("h"), httpPort: 0 });
    base = `http://127.0.0.1:${api.http?.port}`;
    await api.runner.ready();
  });
  afterAll(async () => {
    await api?.stop();
    await host?.stop();
    await t?.cleanup();
  });

  it("serves health, readiness and metrics", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, 5_000);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/coxswain_projection_lag_events \d+/);
    expect(metrics).toMatch(/coxswain_objects\{kind="namespaces"\} \d+/);
  });

  it("creates with POST, reads with GET (v1 and v1beta1), lists with selectors, deletes with DELETE", async () => {
    const created = await json("/api/v1/namespaces", { method: "POST", body: JSON.stringify({ metadata: { name: "web", labels: { app: "web" } } }) });
    expect(created).toMatchObject({ status: 201, body: { kind: "Namespace", metadata: { name: "web", labels: { app: "web" } } } });
    const rv = (created.body.metadata as { resourceVersion: string }).resourceVersion;
    const got = await json(`/api/v1/namespaces/web?minResourceVersion=${rv}`);
    expect(got).toEqual({ status: 200, body: created.body });
    expect(await json("/api/v1beta1/namespaces/web")).toMatchObject({ status: 200, body: { apiVersion: "v1beta1", id: "web", resourceVersion: Number(rv) } });
    const list = await json("/api/v1/namespaces?labelSelector=app%3Dweb");
    expect(list).toMatchObject({ status: 200, body: { kind: "NamespaceList", apiVersion: "v1", metadata: { resourceVersion: expect.any(String) } } });
    expect((list.body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name)).toEqual(["web"]);
    expect(await json("/api/v1/namespaces", { method: "POST", body: JSON.stringify({ metadata: { name: "web" } }) })).toMatchObject({
      status: 409, body: { kind: "Status", status: "Failure", reason: "AlreadyExists", code: 409 },
    });
    expect(await json("/api/v1/namespaces?labelSelector=a%20in%20b")).toMatchObject({ status: 400, body: { reason: "BadRequest" } });
    expect(await json("/api/v1/widgets")).toMatchObject({ status: 404, body: { kind: "Status", reason: "NotFound" } });
    expect(await json("/api/v1/pods")).toMatchObject({ status: 200, body: { kind: "PodList", items: [] } });
    expect(await json("/api/v1/namespaces/web", { method: "DELETE" })).toMatchObject({ status: 200 });
    // a namespace goes Terminating first; the namespace controller removes it once it is empty
    await eventually(async () => (await json("/api/v1/namespaces/web")).body.status?.toString() !== undefined &&
      ((await json("/api/v1/namespaces/web")).body.status as { phase: string }).phase === "Terminating", 5_000);
  });

  it("streams a watch as JSON lines, from a resourceVersion", async () => {
    const first = await json("/api/v1/namespaces", { method: "POST", body: JSON.stringify({ metadata: { name: "s1" } }) });
    const rv = (first.body.metadata as { resourceVersion: string }).resourceVersion;
    const ac = new AbortController();
    const res = await fetch(`${base}/api/v1/namespaces?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Ds1`, { signal: ac.signal });
    expect(res.status).toBe(200);
    await json("/api/v1/namespaces/s1", { method: "PUT", body: JSON.stringify({ metadata: { name: "s1", labels: { v: "2" } } }) });
    await json("/api/v1/namespaces/s1", { method: "DELETE" });
    const reader = res.body!.getReader();
    let text = "";
    while (text.split("\n").filter(Boolean).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ac.abort();
    const events = text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { type: string; object: { metadata: { labels?: Record<string, string> } } });
    expect(events.map((e) => e.type)).toEqual(["MODIFIED", "MODIFIED"]);
    expect((events[1]?.object as { status?: { phase: string } }).status?.phase).toBe("Terminating");
    expect(events[0]?.object.metadata.labels).toEqual({ v: "2" });
    expect((await fetch(`${base}/api/v1/namespaces?watch=true&resourceVersion=abc`)).status).toBe(400);
  });
});
