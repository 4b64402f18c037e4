/**
 * The Events of a node's stream, as Kubernetes reports them: the kubelet's Starting, NodeReady and
 * NodeSchedulable/NodeNotSchedulable (whose reference carries the node's name as its uid, as the kubelet's does),
 * and the node controller's RegisteredNode, NodeNotReady and RemovingNode (with the node's real uid).
 * `kubectl describe node` asks for both uids. Node Events live in the `default` namespace. Pure.
 */
import { readyStatus, type Node } from "../../api/node.js";
import type { ObjectReference } from "../../api/event.js";
import { COMPONENTS, draft, referenceTo, type EventDraft, type StreamFact } from "./facts.js";

const NODE_EVENTS = new Set(["NodeRegistered", "NodeConditionChanged", "NodeCordoned", "NodeUncordoned", "NodeDeleted"]);

/** The Events one node event derives. Pure. */
export function nodeEvents(fact: StreamFact): EventDraft[] {
  if (!NODE_EVENTS.has(fact.event.type)) return []; // the object is rendered only for the events that derive some
  const node = (fact.after ?? fact.before) as Node | null;
  if (!node) return [];
  const name = node.metadata.name;
  const controllerRef = referenceTo("Node", node, String(fact.sequence));
  // The kubelet names its node by name only: uid = name, no resourceVersion.
  const kubeletRef: ObjectReference = { kind: "Node", name, uid: name, apiVersion: "v1" };
  const kubelet = { component: COMPONENTS.kubelet, host: name };
  const controller = { component: COMPONENTS.nodeController };
  const status = (s: string) => `Node ${name} status is now: ${s}`;
  switch (fact.event.type) {
    case "NodeRegistered":
      return [
        draft(kubeletRef, "Normal", "Starting", "Starting kubelet.", kubelet),
        draft(controllerRef, "Normal", "RegisteredNode", `Node ${name} event: Registered Node ${name} in Controller`, controller),
      ];
    case "NodeConditionChanged": {
      const was = readiness(fact.before as Node | null);
      const is = readiness(fact.after as Node | null);
      if (was === is || is === undefined) return [];
      if (is === "True") return [draft(kubeletRef, "Normal", "NodeReady", status("NodeReady"), kubelet)];
      if (was !== "True") return [];
      return [draft(controllerRef, "Normal", "NodeNotReady", status("NodeNotReady"), controller)];
    }
    case "NodeCordoned":
      return [draft(kubeletRef, "Normal", "NodeNotSchedulable", status("NodeNotSchedulable"), kubelet)];
    case "NodeUncordoned":
      return [draft(kubeletRef, "Normal", "NodeSchedulable", status("NodeSchedulable"), kubelet)];
    case "NodeDeleted":
      return [draft(controllerRef, "Normal", "RemovingNode", `Node ${name} event: Removing Node ${name} from Controller`, controller)];
    default:
      return [];
  }
}

/** The status of a node's Ready condition, if it has one. Pure. */
function readiness(node: Node | null): string | undefined {
  return node ? readyStatus(node) : undefined;
}
