/**
 * `coxctl rolling-update <rc> --image IMAGE`, the 2014 kubecfg verb: a new RC `<rc>-<hash>` with the new image grows one
 * pod at a time while the old one shrinks, each step waiting until the new pods run. Ctrl-C stops it between steps;
 * running it again finds the new RC by its annotation and goes on. At the end the old RC is deleted.
 */
import type { KindRef } from "../../nats/commandClient.js";
import type { Pod } from "../../api/pod.js";
import type { EntityRef } from "../../api/kinds.js";
import type { ReplicationController } from "../../api/replicationController.js";
import { namespaceOf, withClient, type Client, type CoxctlFlags } from "./context.js";
import { parseDuration } from "./duration.js";
import { CoxctlError } from "./errors.js";
import { interruptSignal, Progress, sleep } from "./interrupt.js";
import {
  DESIRED_ANNOTATION, detachedOldManifest, FROM_ANNOTATION, newRcManifest, OLD_SELECTOR_ANNOTATION, oldPods, overlaps, parseSelectorString,
  runningNewPods, selectorString,
} from "./rollingUpdatePlan.js";

/** The flags of `rolling-update`. */
export interface RollingUpdateFlags extends CoxctlFlags {
  image: string;
  container?: string;
  updatePeriod: string;
  pollInterval: string;
  timeout: string;
}

interface Run {
  client: Client;
  namespace: string;
  oldName: string;
  newName: string;
  desired: number;
  oldSelector: Record<string, string>;
  newSelector: Record<string, string>;
  poll: number;
  timeout: number;
  signal: AbortSignal;
  say(line: string): void;
}

const rcRef = (namespace: string, name: string): KindRef<"replicationcontrollers"> => ({ resource: "replicationcontrollers", namespace, name });

/** Runs `rolling-update`. */
export async function rollingUpdate(oldName: string, flags: RollingUpdateFlags): Promise<void> {
  const period = parseDuration(flags.updatePeriod);
  const [poll, timeout] = [parseDuration(flags.pollInterval), parseDuration(flags.timeout)];
  const namespace = namespaceOf(flags);
  const signal = interruptSignal();
  const progress = new Progress();
  const say = (line: string) => { progress.clear(); process.stdout.write(`${line}\n`); };
  await withClient(flags, async (client) => {
    const old = await getRc(client, namespace, oldName);
    const next = await findOrCreateNew(client, old, flags, say);
    const annotations = next.metadata.annotations ?? {};
    const run: Run = {
      client, namespace, oldName, newName: next.metadata.name, desired: Number(annotations[DESIRED_ANNOTATION] ?? old.spec.replicas),
      oldSelector: parseSelectorString(annotations[OLD_SELECTOR_ANNOTATION] ?? selectorString(old.spec.selector)), newSelector: next.spec.selector,
      poll, timeout, signal, say,
    };
    if (overlaps(old, next)) {
      // The old selector matches the new pods too: the old RC lets go of its pods (which keep running) so the two never fight.
      await client.send(rcRef(namespace, oldName), { type: "UpdateReplicationController", data: detachedOldManifest(old) });
      say(`rc/${oldName} no longer manages its pods; they are retired one by one`);
    }
    for (;;) {
      const current = await getRc(client, namespace, run.newName);
      const target = Math.min(run.desired, current.spec.replicas + 1);
      if (current.spec.replicas < target) await client.send(rcRef(namespace, run.newName), { type: "ScaleReplicationController", data: { replicas: target } });
      await waitRunning(run, target, progress);
      await shrinkOld(run, run.desired - target);
      await waitOld(run, run.desired - target, progress);
      say(`Updating ${oldName} replicas: ${run.desired - target}, ${run.newName} replicas: ${target}`);
      if (target >= run.desired) break;
      await sleep(period, signal);
      if (signal.aborted) throw interrupted(run);
    }
    say(`Update succeeded. Deleting ${oldName}`);
    await client.send(rcRef(namespace, oldName), { type: "DeleteReplicationController", data: {} });
    say(`replicationcontroller/${oldName} rolling updated to "${run.newName}"`);
  });
}

async function getRc(client: Client, namespace: string, name: string): Promise<ReplicationController> {
  return (await client.reads.get("replicationcontrollers", namespace, name)) as unknown as ReplicationController;
}

/** The half-done new RC of an earlier run (by its annotation), else a new one with 0 replicas. */
async function findOrCreateNew(client: Client, old: ReplicationController, flags: RollingUpdateFlags, say: (l: string) => void): Promise<ReplicationController> {
  const namespace = old.metadata.namespace ?? "default";
  const { items } = await client.reads.list("replicationcontrollers", namespace);
  const found = (items as unknown as ReplicationController[]).find((rc) => rc.metadata.annotations?.[FROM_ANNOTATION] === old.metadata.name);
  const { name, data } = newRcManifest(old, flags.image, flags.container);
  if (found) {
    if (found.metadata.name !== name) {
      throw new CoxctlError(`rc/${found.metadata.name} is a half-done update of rc/${old.metadata.name} to another image: finish it with that image, or delete it`);
    }
    say(`Continuing update of ${old.metadata.name} with ${name}`);
    return found;
  }
  const images = (rc: ReplicationController) => JSON.stringify(rc.spec.template?.spec.containers.map((c) => c.image));
  const spec = (data.spec as { template: ReplicationController["spec"]["template"] });
  if (images(old) === JSON.stringify(spec.template?.spec.containers.map((c) => c.image))) {
    throw new CoxctlError(`rc/${old.metadata.name} already runs image ${flags.image}`);
  }
  await client.send(rcRef(namespace, name), { type: "CreateReplicationController", data });
  say(`Created ${name}`);
  return getRc(client, namespace, name);
}

/** Polls until `target` new pods run, showing progress on a terminal; a timeout or Ctrl-C leaves the update resumable. */
async function waitRunning(run: Run, target: number, progress: Progress): Promise<void> {
  const deadline = Date.now() + run.timeout;
  for (;;) {
    const pods = await listPods(run, run.newSelector);
    const running = runningNewPods(pods, run.newSelector);
    if (running >= target) return progress.clear();
    progress.update(`waiting for ${run.newName}: ${running}/${target} pods running`);
    if (run.signal.aborted) throw interrupted(run);
    if (Date.now() > deadline) {
      throw new CoxctlError(`timed out after ${run.timeout / 1000}s waiting for ${target} pods of ${run.newName} to run (${running} do); run the same command again to continue`);
    }
    await sleep(run.poll, run.signal);
  }
}

/** Brings the old side down to `remaining` pods: scales the old RC, or (when it let go of its pods) deletes old pods. */
async function shrinkOld(run: Run, remaining: number): Promise<void> {
  const old = await getRc(run.client, run.namespace, run.oldName);
  if (selectorString(old.spec.selector) === selectorString(run.oldSelector)) {
    if (old.spec.replicas > remaining) await run.client.send(rcRef(run.namespace, run.oldName), { type: "ScaleReplicationController", data: { replicas: remaining } });
    return;
  }
  const pods = oldPods(await listPods(run, run.oldSelector), run.oldSelector, run.newSelector);
  for (const p of pods.slice(0, Math.max(0, pods.length - remaining))) {
    await run.client.send({ resource: "pods", namespace: run.namespace, name: p.metadata.name }, { type: "DeletePod", data: {} });
  }
}

/** Polls until at most `remaining` old pods are active, so that the old RC is never deleted with pods it still owns. */
async function waitOld(run: Run, remaining: number, progress: Progress): Promise<void> {
  const deadline = Date.now() + run.timeout;
  for (;;) {
    const left = oldPods(await listPods(run, run.oldSelector), run.oldSelector, run.newSelector).length;
    if (left <= remaining) return progress.clear();
    progress.update(`waiting for ${run.oldName} to come down: ${left} pods, ${remaining} wanted`);
    if (run.signal.aborted) throw interrupted(run);
    if (Date.now() > deadline) throw new CoxctlError(`timed out after ${run.timeout / 1000}s waiting for ${run.oldName} to come down to ${remaining} pods (${left} left); run the same command again to continue`);
    await sleep(run.poll, run.signal);
  }
}

async function listPods(run: Run, selector: Record<string, string>): Promise<Pod[]> {
  const { items } = await run.client.reads.list("pods", run.namespace, { labelSelector: selectorString(selector) });
  return items as unknown as Pod[];
}

function interrupted(run: Run): CoxctlError {
  return new CoxctlError(`interrupted: ${run.newName} is part way; run the same command again to continue`);
}
