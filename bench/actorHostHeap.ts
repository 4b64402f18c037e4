/**
 * The actor host's heap per live entity without the whole bench (run with
 * `node --expose-gc --import tsx bench/actorHostHeap.ts [pods] [--max-live n] [--snapshot file]`): a nats-server started as the
 * bench does, one ActorHost in this process, and `pods` pods taken through CreatePod and BindPod (controllers'
 * channel) and ContainerStarted (a node agent's channel), all with `Cox-Reply: status` as controllers and node
 * agents send them. Prints heapUsed after full GCs per live entity (against the host started with no pods) and
 * the process RSS and its CPU per pod (`--max-live n` sets the host's maxLive; `--rest-after ms` lets idle entities
 * rest after that long, and waits until they do; default 0, never); with `--snapshot`, writes a heap snapshot for retained-size reading in DevTools.
 */
import { writeHeapSnapshot } from "node:v8";
import { startBenchServer } from "./benchServer.js";
import { ActorHost } from "../src/actors/host.js";
import { SnapshotStore } from "../src/actors/snapshots.js";
import { EventStore } from "../src/events/eventStore.js";
import { NatsCommandSender } from "../src/nats/commandClient.js";
import type { CommandReply } from "../src/api/reply.js";

const args = process.argv.slice(2);
const pods = Number(args.find((a) => /^\d+$/.test(a)) ?? 10_000);
const maxLive = args.includes("--max-live") ? Number(args[args.indexOf("--max-live") + 1]) : undefined;
const restAfterMs = args.includes("--rest-after") ? Number(args[args.indexOf("--rest-after") + 1]) : 0;
const snapshotFile = args.includes("--snapshot") ? args[args.indexOf("--snapshot") + 1] : undefined;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const heap = () => { gc(); gc(); gc(); return process.memoryUsage().heapUsed; };
const MiB = (n: number) => Math.round(n / 1048576);
const PREFIX = "bench";
const NAMESPACE = "heap";
const IN_FLIGHT = 200;

const s = await startBenchServer();
try {
  const nc = await s.connect();
  const hostConn = await s.connect();
  const host = new ActorHost(hostConn, { prefix: PREFIX, store: await EventStore.open(hostConn, { prefix: PREFIX }), snapshots: await SnapshotStore.open(hostConn), ...(maxLive ? { maxLive } : {}), restAfterMs });
  await host.start();
  const user = new NatsCommandSender(nc, PREFIX, "user/bench");
  const controller = new NatsCommandSender(nc, PREFIX, "controller/bench", 30_000, { role: "controller" }, false);
  const node = (name: string) => new NatsCommandSender(nc, PREFIX, `node/${name}`, 30_000, { role: "node", node: name }, false);
  const nodes = Array.from({ length: 100 }, (_, i) => node(`node-${i}`));
  const check = (r: CommandReply, what: string) => { if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.status)}`); };
  check(await user.send({ resource: "namespaces", namespace: "_", name: NAMESPACE }, { type: "CreateNamespace", data: { metadata: { name: NAMESPACE } } }), "namespace");
  const owner = { apiVersion: "v1", kind: "ReplicationController", name: "web", uid: "00000000-0000-4000-8000-000000000001", controller: true };

  const onePod = async (i: number) => {
    const name = `web-${i.toString(36).padStart(5, "0")}`;
    const ref = { resource: "pods" as const, namespace: NAMESPACE, name };
    check(await controller.send(ref, { type: "CreatePod", term: 1, data: { metadata: { name, labels: { app: "web" }, ownerReferences: [owner] }, spec: { containers: [{ name: "app", image: "sim", env: [] }] } } }), `create ${name}`);
    const nodeName = `node-${i % 100}`;
    check(await controller.send(ref, { type: "BindPod", term: 1, data: { nodeName, hostIP: `10.0.0.${i % 100}` } }), `bind ${name}`);
    check(await (nodes[i % 100] as NatsCommandSender).send(ref, { type: "ContainerStarted", data: { container: "app" } }), `start ${name}`);
  };

  // A few pods first, so that code paths are warm and lazily built things exist before the baseline.
  for (let i = 0; i < 20; i++) await onePod(pods + i);
  const base = heap();
  const baseRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => { while (next < pods) await onePod(next++); }));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // With --rest-after, the pods idle until they all rest (or 30 s pass).
  for (const until = performance.now() + 30_000; restAfterMs > 0 && host.restingCount < host.liveCount && performance.now() < until;) await new Promise((r) => setTimeout(r, 100));
  const live = host.liveCount;
  const resting = host.restingCount;
  const after = heap();
  const mem = process.memoryUsage();
  const rss = mem.rss;
  if (snapshotFile) writeHeapSnapshot(snapshotFile);
  process.stdout.write(`${JSON.stringify({
    pods, liveEntities: live, resting, seconds: Math.round(seconds * 10) / 10, commandsPerSec: Math.round((3 * pods) / seconds),
    cpuMsPerPod: Math.round(((cpu.user + cpu.system) / 1000 / pods) * 100) / 100,
    heapUsedMiB: MiB(after), bytesPerLiveEntity: Math.round((after - base) / pods), rssMiB: MiB(rss), rssGrowthMiB: MiB(rss - baseRss),
    heapTotalMiB: MiB(mem.heapTotal), externalMiB: MiB(mem.external), arrayBuffersMiB: MiB(mem.arrayBuffers),
  })}\n`);
  // Then one more command to each pod, in creation order (the least recently used first): with a maxLive under
  // the pods, each one rehydrates an entity (and passivates another), which is what a lower maxLive costs.
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  let again = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (again < pods) {
      const i = again++;
      const ref = { resource: "pods" as const, namespace: NAMESPACE, name: `web-${i.toString(36).padStart(5, "0")}` };
      check(await (nodes[i % 100] as NatsCommandSender).send(ref, { type: "ReportPodStatus", data: { podIP: `10.1.${Math.floor(i / 250)}.${i % 250}` } }), `report ${ref.name}`);
    }
  }));
  const cpuAgain = process.cpuUsage(cpu1);
  process.stdout.write(`${JSON.stringify({ secondCommand: { seconds: Math.round((performance.now() - t1) / 100) / 10, cpuMsPerPod: Math.round(((cpuAgain.user + cpuAgain.system) / 1000 / pods) * 100) / 100 } })}\n`);
  await host.stop();
} finally {
  await s.stop();
}
