/**
 * The projection lag gauge follows the stream: once the read model has applied the stream's last event it reads 0,
 * also after a nats-server kill -9 and restart, and while events wait it counts them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { createNamespace, sendCommand } from "../../test/harness/commands.js";
import { startActors, type ActorHost } from "../actors/index.js";
import { startApi, type Api } from "./index.js";

describe("coxswain_projection_lag_events", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let host: ActorHost;
  let api: Api;
  const prefix = uniqueName("lag");
  const lag = async () => Number((await api.metrics.registry.getSingleMetricAsString("coxswain_projection_lag_events")).match(/_events (\d+)/)?.[1]);
  const create = async (name: string) => {
    const r = await sendCommand(nc, `${prefix}.cmd.namespaces._.${name}`, createNamespace(name, `c-${name}`), 3_000).catch(() => null);
    return r?.ok ? Number(r.resourceVersion) : 0;
  };

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    host = await startActors(await t.connect(), { prefix });
    api = await startApi(await t.connect(), { prefix, name: uniqueName("p"), checkpoints: false });
  });
  afterAll(async () => {
    await api?.stop();
    await host?.stop();
    await t?.cleanup();
  });

  it("reads 0 when the model has applied the stream's last event, after a NATS restart too, and counts waiting events", async () => {
    let last = 0;
    for (let i = 0; i < 40; i++) last = await create(`a${i}`);
    await api.runner.waitFor(last, 10_000);
    expect(await lag()).toBe(0);

    await t.crashAndRestart();
    const after = await eventually(() => create("after-restart"), 30_000, 100);
    expect(await api.runner.waitFor(after, 10_000)).toBe(true);
    expect(api.runner.model.sequence).toBe(after);
    expect(await lag()).toBe(0);

    // events appended while the model does not follow (its consumer gone) count at once, with no message to report them
    await api.runner.stop();
    const js = jetstream(nc);
    for (let i = 0; i < 5; i++) await js.publish(`${prefix}.ev.namespaces._.waiting-${i}`, "{}");
    // Polled: a scrape whose stream info fails (a slow JetStream API) answers the last figure.
    await eventually(async () => (await lag()) === 5, 10_000).catch(() => undefined);
    expect({ lag: await lag(), applied: api.runner.model.sequence }).toEqual({ lag: 5, applied: after });
  });
});
