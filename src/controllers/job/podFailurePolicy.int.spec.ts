import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../../test/harness/natsServer.js";
import { sendCommand } from "../../../test/harness/commands.js";
import type { Job } from "../../api/job.js";
import type { Pod } from "../../api/pod.js";
import { startActors, type ActorHost } from "../../actors/index.js";
import { startClusterView } from "../../projections/index.js";
import { startControllers } from "../index.js";

describe("a Job's pod failure policy, on a real nats-server with the controllers", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let host: ActorHost;
  let viewed: Awaited<ReturnType<typeof startClusterView>>;
  let controllers: ReturnType<typeof startControllers>;
  const prefix = uniqueName("pfp");
  const jobBody = (name: string) => ({
    apiVersion: "v1", type: "CreateJob",
    data: {
      metadata: { name },
      spec: {
        backoffLimit: 6,
        podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [42] } }, { action: "Ignore", onExitCodes: { operator: "In", values: [7] } }] },
        template: { spec: { nodeName: "n1", restartPolicy: "Never", containers: [{ name: "main", image: "sim" }] } },
      },
    },
  });
  const podsOf = (job: string) => viewed.view.list<Pod>("pods", "default").map((e) => e.object).filter((p) => p.metadata.labels?.["job-name"] === job);
  const jobOf = (name: string) => viewed.view.get<Job>("jobs", "default", name)?.object;
  /** Runs a pod's container to its end with `exitCode`, as its node reports it. */
  const exit = async (pod: string, exitCode: number) => {
    const node = (type: string, data: unknown) => sendCommand(nc, `${prefix}.node.n1.pods.default.${pod}`, { apiVersion: "v1", type, data });
    expect((await node("ContainerStarted", { container: "main" })).ok).toBe(true);
    expect(await node("ContainerExited", { container: "main", exitCode })).toMatchObject({ ok: true, object: { status: { phase: "Failed" } } });
  };

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    host = await startActors(await t.connect(), { prefix });
    viewed = await startClusterView(await t.connect(), { prefix, name: uniqueName("view") });
    controllers = startControllers(await t.connect(), { prefix, view: viewed.view, leaseOptions: { leaseDurationMs: 1000, renewDeadlineMs: 625, retryPeriodMs: 125 } });
  });
  afterAll(async () => {
    await controllers.stop();
    await viewed.stop();
    await host.stop();
    await t.cleanup();
  });

  it("an ignored failure is not counted and its pod is replaced; a FailJob match fails the Job with PodFailurePolicy and Kubernetes' message", async () => {
    const created = await sendCommand(nc, `${prefix}.cmd.jobs.default.work`, jobBody("work"));
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
    await eventually(async () => podsOf("work").length === 1, 20_000, 50);
    const first = podsOf("work")[0]?.metadata.name as string;
    await exit(first, 7);
    await eventually(async () => podsOf("work").some((p) => p.metadata.name !== first), 20_000, 50);
    expect(jobOf("work")?.status?.failed ?? 0).toBe(0);
    const second = podsOf("work").find((p) => p.metadata.name !== first)?.metadata.name as string;
    await exit(second, 42);
    await eventually(async () => jobOf("work")?.status?.conditions?.some((c) => c.type === "Failed") ?? false, 20_000, 50);
    expect(jobOf("work")?.status?.conditions?.find((c) => c.type === "Failed")).toMatchObject({
      status: "True", reason: "PodFailurePolicy", message: `Container main for pod default/${second} failed with exit code 42 matching FailJob rule at index 0`,
    });
    expect(jobOf("work")?.status?.failed).toBe(1);
  });
});
