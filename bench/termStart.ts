/**
 * What starting a leadership term costs the controllers, without NATS: `node --import tsx bench/termStart.ts [pods]`.
 * An in-memory view of `pods` Running pods of one RC on pods/10 nodes; each term is started three times (a term
 * whose indexes are built from the view, as a term started alone builds them; a term on the process's informers,
 * built once beforehand) and stopped again. Prints one JSON line: the median synchronous time of `startTerm` each
 * way (nothing is decided while it runs), and the informers' own build (once, before the campaign): its time and,
 * run with `node --expose-gc`, the heap it holds after full GCs.
 */
import { pino } from "pino";
import { ControllerInformers } from "../src/controllers/informers.js";
import { startTerm } from "../src/controllers/term.js";
import type { OwnerReference } from "../src/api/objectMeta.js";
import { MemoryHeartbeats } from "../test/harness/memoryHeartbeats.js";
import { MemoryView, okReply, RecordingSender } from "../test/harness/memoryView.js";
import { node, pod, rc } from "../test/harness/controllerObjects.js";

const pods = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
const nodes = Math.max(1, Math.round(pods / 10));
const owner: OwnerReference = { apiVersion: "v1", kind: "ReplicationController", name: "web", uid: "uid-web", controller: true };

const view = new MemoryView();
for (let i = 0; i < nodes; i++) view.put("nodes", node(`node-${i}`, { cpu: "100", pods: "110" }));
view.put("replicationcontrollers", rc("web", { replicas: pods }));
for (let i = 0; i < pods; i++) {
  const p = pod(`web-${i}`, { labels: { app: "web" }, nodeName: `node-${i % nodes}`, phase: "Running" });
  view.put("pods", { ...p, metadata: { ...p.metadata, ownerReferences: [owner] } });
}
const ports = { view, sender: new RecordingSender(() => okReply()), heartbeats: new MemoryHeartbeats(), stillLeading: () => true, logger: pino({ level: "silent" }) };

/** The median synchronous time of three term starts (each stopped before the next). */
async function termStarts(informers?: ControllerInformers): Promise<number> {
  const times: number[] = [];
  for (let term = 1; term <= 3; term++) {
    const t0 = performance.now();
    const running = startTerm({ ...ports, ...(informers ? { informers } : {}) }, term);
    times.push(performance.now() - t0);
    await running.stop();
  }
  return Math.round(times.sort((a, b) => a - b)[1] as number);
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = () => { gc?.(); gc?.(); return process.memoryUsage().heapUsed; };
const ownIndexesMs = await termStarts();
const h0 = heapUsed();
const b0 = performance.now();
const informers = new ControllerInformers(view);
const informersBuildMs = Math.round(performance.now() - b0);
const informersHeapMiB = gc ? Math.round((heapUsed() - h0) / 2 ** 20) : undefined;
const onInformersMs = await termStarts(informers);
informers.stop();
process.stdout.write(`${JSON.stringify({ pods, nodes, termStartMs: { ownIndexes: ownIndexesMs, onInformers: onInformersMs }, informersBuildMs, informersHeapMiB })}\n`);
