/**
 * When a followed container instance stops, seen in an in-process read model: the `until` of a log follow, so that
 * `kubectl logs -f` ends when the container ends, as it does against Kubernetes.
 */
import type { Pod } from "../../api/pod.js";
import { awaitingStart, containerAttempt, statusOfContainer, type ContainerStatus } from "../../api/podStatus.js";
import type { ChangeFeed } from "../changeFeed.js";
import { renderDocument } from "../projection.js";
import type { ReadModel } from "../readModel.js";

/** A pending end, and how to stop waiting for it. */
export interface ContainerEnd {
  ended: Promise<void>;
  cancel(): void;
}

/** True while `pod` (null: gone) shows the instance `attempt` of pod `uid`'s container running or being started. Pure. */
export function instanceRunning(pod: Pod | null, uid: string, container: string, attempt: number): boolean {
  if (!pod || pod.metadata.uid !== uid) return false;
  const s: ContainerStatus | undefined = statusOfContainer(pod.status, container);
  const live = s?.state.running !== undefined || awaitingStart(s);
  return s !== undefined && live && containerAttempt(s) === attempt;
}

/**
 * Resolves once the read model shows the container instance `pod` has now no longer running: the pod deleted or
 * replaced, or the container in another state or attempt. Checked at once too, so an end between the caller's
 * read and this call is not missed.
 */
export function whenContainerStops(source: { model: ReadModel; feed: ChangeFeed }, pod: Pod, container: string): ContainerEnd {
  const ns = pod.metadata.namespace ?? "default";
  const name = pod.metadata.name;
  const uid = pod.metadata.uid;
  const status = statusOfContainer(pod.status, container);
  const attempt = containerAttempt(status);
  let off: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => {
    const check = (current: Pod | null) => {
      if (instanceRunning(current, uid, container, attempt)) return;
      off();
      resolve();
    };
    off = source.feed.listen((c) => {
      const doc = c.after ?? c.before;
      if (doc?.resource !== "pods" || doc.namespace !== ns || doc.name !== name) return;
      check(c.after ? (renderDocument(c.kind, c.after) as Pod | null) : null);
    });
    check((source.model.get("pods", ns, name)?.object ?? null) as Pod | null);
  });
  return { ended, cancel: () => off() };
}
