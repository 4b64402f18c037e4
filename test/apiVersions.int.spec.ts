import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "./harness/natsServer.js";
import { sendCommand } from "./harness/commands.js";
import { startActors, type ActorHost } from "../src/actors/index.js";
import { startApi, type Api } from "../src/projections/index.js";

describe("one pod, two API versions, through the actors and the read API", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let host: ActorHost;
  let api: Api;
  const prefix = uniqueName("v");
  const get = async (name: string, apiVersion: string, minResourceVersion: string) =>
    (await nc.request(`${prefix}.api.pods.default.get`, JSON.stringify({ name, apiVersion, minResourceVersion }), { timeout: 10_000 })).json<{ ok: boolean; object: Record<string, unknown> }>();

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    host = await startActors(await t.connect(), { prefix });
    api = await startApi(await t.connect(), { prefix, name: uniqueName("p"), checkpoints: false });
    await api.runner.ready();
  });
  afterAll(async () => {
    await api?.stop();
    await host?.stop();
    await t?.cleanup();
  });

  it("a pod created in v1beta1 reads back identically in v1beta1, and its v1 form re-created in v1 reads back as the same v1beta1", async () => {
    const beta = {
      id: "web-beta", labels: { app: "web" },
      desiredState: { manifest: { version: "v1beta1", id: "web-beta", containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 80 }], env: [{ name: "A", value: "1" }] }], restartPolicy: { onFailure: {} } } },
    };
    const created = await sendCommand(nc, `${prefix}.cmd.pods.default.web-beta`, { apiVersion: "v1beta1", type: "CreatePod", data: beta });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const asBeta = await get("web-beta", "v1beta1", created.resourceVersion);
    expect(asBeta.object).toMatchObject(beta);
    expect(asBeta.object).toEqual(created.object);

    const asV1 = (await get("web-beta", "v1", created.resourceVersion)).object as { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> };
    expect(asV1).toMatchObject({ apiVersion: "v1", kind: "Pod", spec: { restartPolicy: "OnFailure", containers: [{ name: "web", image: "nginx" }] } });
    const again = await sendCommand(nc, `${prefix}.cmd.pods.default.web-v1`, {
      apiVersion: "v1", type: "CreatePod", data: { metadata: { name: "web-v1", labels: asV1.metadata.labels }, spec: asV1.spec },
    });
    if (!again.ok) throw new Error(JSON.stringify(again));
    const backInBeta = (await get("web-v1", "v1beta1", again.resourceVersion)).object;
    const strip = (o: Record<string, unknown>) => {
      const { uid: _u, creationTimestamp: _c, resourceVersion: _r, id: _i, ...rest } = o;
      const desired = rest.desiredState as { manifest: Record<string, unknown> };
      return { ...rest, desiredState: { ...desired, manifest: { ...desired.manifest, id: "-" } } };
    };
    expect(strip(backInBeta)).toEqual(strip(asBeta.object));
  });
});
