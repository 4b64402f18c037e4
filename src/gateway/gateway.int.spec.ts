import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNats, uniqueName, eventually, type TestNats } from "../../test/harness/natsServer.js";
import { startActors, type ActorHost } from "../actors/index.js";
import { NatsCommandSender } from "../nats/commandClient.js";
import { startApi, type Api } from "../projections/index.js";
import { createGateway, openDoor } from "./index.js";

/** The gateway over plain HTTP with an open door (as `--auth none`), on a real nats-server and actor host. */
describe("the Kubernetes gateway through real HTTP requests", () => {
  let t: TestNats;
  let host: ActorHost;
  let api: Api;
  let base: string;
  const prefix = uniqueName("g");
  const json = async (path: string, init?: RequestInit & { contentType?: string; accept?: string }) => {
    const headers = { "content-type": init?.contentType ?? "application/json", ...(init?.accept ? { accept: init.accept } : {}) };
    const r = await fetch(`${base}${path}`, { ...init, headers });
    return { status: r.status, body: (await r.json()) as Record<string, unknown>, headers: r.headers };
  };
  const post = (path: string, body: unknown, query = "") => json(`${path}${query}`, { method: "POST", body: JSON.stringify(body) });
  const count = async () => api.runner.model.sequence;

  beforeAll(async () => {
    t = await startTestNats();
    host = await startActors(await t.connect(), { prefix });
    const nc = await t.connect();
    api = await startApi(nc, {
      prefix, name: uniqueName("h"), httpPort: 0, historySize: 20,
      httpRoutes: (service, metrics) => {
        const g = createGateway({ service, metrics, door: openDoor(new NatsCommandSender(nc, prefix, "test")), serverAddress: () => "127.0.0.1", bookmarkIntervalMs: 100 });
        return (req, res) => g.handle(req, res);
      },
    });
    base = `http://127.0.0.1:${api.http?.port}`;
    await api.runner.ready();
  });
  afterAll(async () => {
    await api?.stop();
    await host?.stop();
    await t?.cleanup();
  });

  it("carries a write's timeout parameter (kubectl's --request-timeout) to the actor host as Cox-Timeout, at most a minute; refuses one that is no duration, reads too", async () => {
    const tap = await t.connect();
    const seen: (string | undefined)[] = [];
    const sub = tap.subscribe(`${prefix}.cmd.namespaces.>`, { callback: (_e, m) => void seen.push(m.headers?.get("Cox-Timeout")) });
    await tap.flush();
    expect(await post("/api/v1/namespaces", { metadata: { name: "wait-1" } }, "?timeout=3s")).toMatchObject({ status: 201 });
    expect(await post("/api/v1/namespaces", { metadata: { name: "wait-2" } })).toMatchObject({ status: 201 });
    expect(await post("/api/v1/namespaces", { metadata: { name: "wait-3" } }, "?timeout=5m")).toMatchObject({ status: 201 });
    expect(await post("/api/v1/namespaces", { metadata: { name: "wait-4" } }, "?timeout=soon")).toMatchObject({
      status: 400, body: { kind: "Status", reason: "BadRequest", message: 'invalid timeout specified in the request URL - time: invalid duration "soon"' },
    });
    expect(await json("/api/v1/namespaces/wait-4")).toMatchObject({ status: 404 });
    expect(await json("/api/v1/namespaces?timeout=abc")).toMatchObject({ status: 400, body: { reason: "BadRequest", message: expect.stringContaining("invalid timeout") } });
    expect(await json("/api/v1/namespaces?timeout=5s")).toMatchObject({ status: 200 });
    await eventually(() => seen.length >= 3, 5_000);
    // What is left of the request's timeout when its command goes out; the gateway's own default is 10 s; nothing
    // went out for wait-4.
    const [three, none, capped, ...rest] = seen.map(Number);
    expect(three).toBeGreaterThan(2_000);
    expect(three).toBeLessThanOrEqual(3_000);
    expect(none).toBe(10_000);
    expect(capped).toBeGreaterThan(59_000);
    expect(capped).toBeLessThanOrEqual(60_000);
    expect(rest).toEqual([]);
    sub.unsubscribe();
    await tap.close();
  });

  it("creates with POST, reads with GET (v1 and v1beta1), lists with selectors, deletes with DELETE", async () => {
    const created = await post("/api/v1/namespaces", { metadata: { name: "web", labels: { app: "web" } } });
    expect(created).toMatchObject({ status: 201, body: { kind: "Namespace", metadata: { name: "web", labels: { app: "web" } } } });
    const rv = (created.body.metadata as { resourceVersion: string }).resourceVersion;
    // the write waited for the read model: the next read sees it
    expect((await json("/api/v1/namespaces/web")).body).toEqual(created.body);
    expect(await json("/api/v1beta1/namespaces/web")).toMatchObject({ status: 200, body: { apiVersion: "v1beta1", id: "web", resourceVersion: Number(rv) } });
    const list = await json("/api/v1/namespaces?labelSelector=app%3Dweb");
    expect(list).toMatchObject({ status: 200, body: { kind: "NamespaceList", apiVersion: "v1", metadata: { resourceVersion: expect.any(String) } } });
    expect((list.body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name)).toEqual(["web"]);
    expect(await post("/api/v1/namespaces", { metadata: { name: "web" } })).toMatchObject({
      status: 409, body: { kind: "Status", status: "Failure", reason: "AlreadyExists", code: 409 },
    });
    expect(await json("/api/v1/namespaces?labelSelector=a%20in%20b")).toMatchObject({ status: 400, body: { reason: "BadRequest" } });
    expect(await json("/api/v1/widgets")).toMatchObject({ status: 404, body: { kind: "Status", reason: "NotFound" } });
    expect(await json("/api/v1/pods")).toMatchObject({ status: 200, body: { kind: "PodList", items: [] } });
    expect(await json("/api/v1/namespaces/web", { method: "DELETE" })).toMatchObject({ status: 200, body: { kind: "Namespace", status: { phase: "Terminating" } } });
  });

  it("answers bad input as Kubernetes does and appends nothing", async () => {
    const before = await count();
    expect(await json("/api/v1/namespaces/default/pods", { method: "POST", body: "{not json" })).toMatchObject({ status: 400, body: { reason: "BadRequest" } });
    expect(await json("/api/v1/namespaces/default/pods", { method: "POST", body: "[1]" })).toMatchObject({ status: 400, body: { reason: "BadRequest" } });
    const yaml = (body: string) => json("/api/v1/namespaces/default/pods", { method: "POST", body, contentType: "application/yaml" });
    expect(await yaml("metadata: [unclosed")).toMatchObject({ status: 400, body: { kind: "Status", reason: "BadRequest", message: expect.stringContaining("not valid YAML") } });
    expect(await yaml("- a list\n- not an object\n")).toMatchObject({ status: 400, body: { reason: "BadRequest", message: "the request body must be a JSON or YAML object" } });
    expect(await post("/api/v1/namespaces/default/pods", { apiVersion: "v1", kind: "Pod", metadata: { name: 7 }, spec: { containers: [{ name: "c", image: "x" }] } })).toMatchObject({
      status: 400, body: { reason: "BadRequest", message: 'Pod in version "v1" cannot be handled as a Pod: metadata.name must be a string, not number', details: { causes: [{ field: "metadata.name" }] } },
    });
    // A field of the wrong JSON type is the decoder's refusal (400), before any validation, naming the field.
    const port = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "x", ports: [{ containerPort: "eighty" }] }] } };
    expect(await post("/api/v1/namespaces/default/pods", port)).toMatchObject({
      status: 400, body: { reason: "BadRequest", message: 'Pod in version "v1" cannot be handled as a Pod: spec.containers[0].ports[0].containerPort must be a number, not string', details: { causes: [{ field: "spec.containers[0].ports[0].containerPort" }] } },
    });
    expect(await post("/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "typed" }, data: { a: 1 } }, "?dryRun=All")).toMatchObject({
      status: 400, body: { reason: "BadRequest", message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: data.a must be a string, not number' },
    });
    expect(await json("/api/v1/namespaces/default/pods/p")).toMatchObject({ status: 404 });
    const invalid = await post("/api/v1/namespaces/default/pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c" }] } });
    expect(invalid).toMatchObject({
      status: 422,
      body: { reason: "Invalid", message: 'Pod "p" is invalid: spec.containers[0].image: Required', details: { kind: "Pod", name: "p", causes: [{ field: "spec.containers[0].image" }] } },
    });
    const unknown = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "x", colour: "red" }] } };
    expect(await post("/api/v1/namespaces/default/pods", unknown, "?fieldValidation=Strict")).toMatchObject({
      status: 400, body: { reason: "BadRequest", details: { causes: [{ field: "spec.containers[0].colour" }] } },
    });
    expect(await post("/api/v1/namespaces/default/pods", { ...unknown, metadata: { name: "p", namespace: "other" } })).toMatchObject({ status: 400 });
    expect(await post("/api/v1/namespaces/default/pods", unknown, "?dryRun=All")).toMatchObject({ status: 201, body: { metadata: { name: "p" } } });
    expect(await json("/api/v1/namespaces/default/pods/nope")).toMatchObject({ status: 404, body: { reason: "NotFound", message: 'pods "nope" not found' } });
    expect(await json("/api/v1/namespaces/default/pods", { method: "PUT", body: "{}" })).toMatchObject({ status: 405, body: { reason: "MethodNotAllowed" } });
    expect(await count()).toBe(before);
    // Warn (the default) drops the unknown field, says so in a Warning header, and creates the pod
    const warned = await post("/api/v1/namespaces/default/pods", unknown);
    expect(warned.status).toBe(201);
    expect(warned.headers.get("warning")).toContain('unknown field \\"spec.containers[0].colour\\"');
  });

  it("guards an update with metadata.resourceVersion: a stale one is 409 Conflict", async () => {
    const created = await post("/api/v1/namespaces/default/podtemplates", { metadata: { name: "t1" }, template: { spec: { containers: [{ name: "c", image: "a" }] } } });
    const first = created.body as { metadata: { resourceVersion: string } };
    const changed = await json("/api/v1/namespaces/default/podtemplates/t1", { method: "PUT", body: JSON.stringify({ ...first, metadata: { ...first.metadata, labels: { v: "2" } } }) });
    expect(changed).toMatchObject({ status: 200, body: { metadata: { labels: { v: "2" } } } });
    const before = await count();
    const stale = await json("/api/v1/namespaces/default/podtemplates/t1", { method: "PUT", body: JSON.stringify({ ...first, metadata: { ...first.metadata, labels: { v: "3" } } }) });
    expect(stale).toMatchObject({ status: 409, body: { reason: "Conflict", message: expect.stringContaining("the object has been modified") } });
    expect(await count()).toBe(before);
  });

  it("pages a list with limit and continue, and answers a Table when asked", async () => {
    for (const n of ["a1", "a2", "a3"]) await post("/api/v1/namespaces/default/podtemplates", { metadata: { name: n, labels: { page: "yes" } }, template: { spec: { containers: [{ name: "c", image: "a" }] } } });
    const names: string[] = [];
    let token = "";
    for (let i = 0; i < 5; i++) {
      const page = await json(`/api/v1/namespaces/default/podtemplates?labelSelector=page%3Dyes&limit=2${token ? `&continue=${token}` : ""}`);
      names.push(...(page.body.items as { metadata: { name: string } }[]).map((o) => o.metadata.name));
      token = (page.body.metadata as { continue?: string }).continue ?? "";
      if (!token) break;
    }
    expect(names).toEqual(["a1", "a2", "a3"]);
    expect(await json("/api/v1/namespaces/default/podtemplates?continue=zz")).toMatchObject({ status: 400 });
    const tbl = await json("/api/v1/namespaces/default/podtemplates?labelSelector=page%3Dyes", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" });
    expect(tbl.body).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1", columnDefinitions: [{ name: "Name", format: "name" }, { name: "Containers" }, { name: "Images" }, { name: "Pod Labels" }] });
    expect((tbl.body.rows as { cells: unknown[]; object: { kind: string } }[]).map((r) => [r.cells[0], r.object.kind])).toEqual([
      ["a1", "PartialObjectMetadata"], ["a2", "PartialObjectMetadata"], ["a3", "PartialObjectMetadata"],
    ]);
  });

  it("streams a watch as JSON lines from a resourceVersion, with bookmarks, and ends a too-old one with 410 Expired", async () => {
    const first = await post("/api/v1/namespaces", { metadata: { name: "s1" } });
    const rv = (first.body.metadata as { resourceVersion: string }).resourceVersion;
    const ac = new AbortController();
    const res = await fetch(`${base}/api/v1/namespaces?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Ds1`, { signal: ac.signal });
    expect(res.status).toBe(200);
    await json("/api/v1/namespaces/s1", { method: "PUT", body: JSON.stringify({ metadata: { name: "s1", labels: { v: "2" } } }) });
    const reader = res.body!.getReader();
    let text = "";
    const lines = () => text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { type: string; object: Record<string, unknown> });
    while (!lines().some((e) => e.type === "MODIFIED") || !lines().some((e) => e.type === "BOOKMARK")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ac.abort();
    const modified = lines().find((e) => e.type === "MODIFIED");
    expect((modified?.object.metadata as { labels?: Record<string, string> }).labels).toEqual({ v: "2", "kubernetes.io/metadata.name": "s1" });
    expect(lines().find((e) => e.type === "BOOKMARK")?.object).toMatchObject({ kind: "Namespace", metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    expect((await fetch(`${base}/api/v1/namespaces?watch=true&resourceVersion=abc`)).status).toBe(400);
    // the feed keeps 20 changes: make more, then a watch from the first version is told it expired
    for (let i = 0; i < 12; i++) await post("/api/v1/namespaces/default/podtemplates", { metadata: { name: `x${i}` }, template: { spec: { containers: [{ name: "c", image: "a" }] } } });
    const old = await (await fetch(`${base}/api/v1/namespaces?watch=true&resourceVersion=1`)).text();
    expect(JSON.parse(old.trim())).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
  });

  it("scales a replication controller through its scale subresource", async () => {
    const rc = { metadata: { name: "web" }, spec: { replicas: 0, selector: { app: "web" }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "a" }] } } } };
    await post("/api/v1/namespaces/default/replicationcontrollers", rc);
    const scale = await json("/api/v1/namespaces/default/replicationcontrollers/web/scale");
    expect(scale.body).toMatchObject({ kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 0 }, status: { selector: "app=web" } });
    const patched = await json("/api/v1/namespaces/default/replicationcontrollers/web/scale", { method: "PATCH", contentType: "application/merge-patch+json", body: JSON.stringify({ spec: { replicas: 2 } }) });
    expect(patched).toMatchObject({ status: 200, body: { kind: "Scale", spec: { replicas: 2 } } });
    await eventually(async () => ((await json("/api/v1/namespaces/default/replicationcontrollers/web")).body.spec as { replicas: number }).replicas === 2, 5_000);
  });
});
