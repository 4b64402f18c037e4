/**
 * For tests: pods as the pod actor shapes them, and a fake of the CommandSender port that records every command
 * and plays a minimal pod actor on a MemoryView (start → running, exit → terminated, deletion ends when no
 * container runs), answering a repeated id as the real one does: same reply, nothing applied twice.
 */
import type { EntityRef } from "../../src/api/kinds.js";
import type { Pod } from "../../src/api/pod.js";
import type { Container } from "../../src/api/podSpec.js";
import type { ContainerState } from "../../src/api/podStatus.js";
import type { CommandReply } from "../../src/api/reply.js";
import type { CommandSender, OutgoingCommand } from "../../src/nats/commandClient.js";
import type { MemoryView, SentCommand } from "./memoryView.js";

/** A pod bound to `nodeName`, its containers waiting to be created (as after BindPod). */
export function boundPod(name: string, nodeName: string, containers: Partial<Container>[], extra: { uid?: string; graceSeconds?: number } = {}): Pod {
  const specs = containers.map((c, i) => ({ name: `c${i}`, image: "busybox", ...c }) as Container);
  return {
    kind: "Pod",
    metadata: { name, namespace: "default", uid: extra.uid ?? `uid-${name}`, creationTimestamp: "2026-01-01T00:00:00Z" },
    spec: { containers: specs, restartPolicy: "Never", nodeName, terminationGracePeriodSeconds: extra.graceSeconds ?? 30 },
    status: {
      phase: "Pending",
      containerStatuses: specs.map((c) => ({ name: c.name, state: { waiting: { reason: "ContainerCreating" } }, ready: false, restartCount: 0, image: c.image })),
    },
  };
}

/** The pod with container `name`'s state replaced. Pure. */
export function withState(pod: Pod, name: string, state: ContainerState, more: { restartCount?: number; lastState?: ContainerState } = {}): Pod {
  const containerStatuses = pod.status.containerStatuses?.map((s) => (s.name === name ? { ...s, state, ...more } : s));
  return { ...pod, status: { ...pod.status, containerStatuses } };
}


/** A recording CommandSender that plays a minimal pod actor on `view`. */
export class FakePodActor implements CommandSender {
  readonly sent: SentCommand[] = [];
  private readonly replies = new Map<string, CommandReply>();
  /** When set, every command fails with this reason (and is not recorded as applied). */
  failWith: "Unavailable" | null = null;

  constructor(private readonly view: MemoryView) {}

  /** The commands of one type (optionally for one pod). */
  of(type: string, pod?: string): OutgoingCommand[] {
    return this.sent.filter((s) => s.command.type === type && (pod === undefined || s.ref.name === pod)).map((s) => s.command);
  }

  async send(ref: EntityRef, command: OutgoingCommand): Promise<CommandReply> {
    if (this.failWith) return { ok: false, status: { code: 503, reason: this.failWith, message: "fake outage" } };
    this.sent.push({ ref, command });
    const seen = command.id === undefined ? undefined : this.replies.get(`${ref.name}/${command.id}`);
    if (seen) return seen;
    if (ref.resource === "pods") this.apply(ref, command);
    const reply: CommandReply = { ok: true, object: null, version: this.sent.length, resourceVersion: String(this.sent.length), events: [command.type] };
    if (command.id !== undefined) this.replies.set(`${ref.name}/${command.id}`, reply);
    return reply;
  }

  private apply(ref: EntityRef, command: OutgoingCommand): void {
    const pod = this.view.get<Pod>("pods", ref.namespace, ref.name)?.object;
    const data = command.data as { container?: string; exitCode?: number; reason?: string; message?: string; startedAt?: string };
    if (!pod || data.container === undefined) return;
    const state = stateAfter(command.type, data);
    if (!state) return;
    const next = withState(pod, data.container, state);
    const running = next.status.containerStatuses?.some((s) => s.state.running !== undefined);
    if (next.metadata.deletionTimestamp !== undefined && !running) this.view.remove("pods", ref.namespace, ref.name);
    else this.view.putAt("pods", ref.namespace, ref.name, next);
  }
}

function stateAfter(type: string, data: { exitCode?: number; reason?: string; message?: string; startedAt?: string }): ContainerState | undefined {
  switch (type) {
    case "ContainerStarted":
      return { running: { startedAt: data.startedAt ?? new Date().toISOString() } };
    case "ContainerExited":
      return { terminated: { exitCode: data.exitCode ?? 0, reason: data.reason ?? "Error" } };
    case "ContainerCannotRun":
      return { terminated: { exitCode: 128, reason: "ContainerCannotRun", message: data.message ?? "" } };
    case "ReportContainerWaiting":
      return { waiting: { reason: data.reason ?? "", message: data.message ?? "" } };
    default:
      return undefined;
  }
}
