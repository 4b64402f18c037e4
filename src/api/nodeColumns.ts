/** The table columns of nodes: NAME STATUS ROLES AGE VERSION (+ addresses and system info with -o wide). Pure. */
import { ageColumn, column, nameColumn } from "./column.js";
import type { Node } from "./node.js";

/** `Ready` or `NotReady` (`Unknown` before any Ready condition), plus `,SchedulingDisabled` for a cordoned node. */
export function nodeStatus(n: Node): string {
  const ready = n.status.conditions?.find((c) => c.type === "Ready");
  const base = ready === undefined ? "Unknown" : ready.status === "True" ? "Ready" : "NotReady";
  return n.spec.unschedulable ? `${base},SchedulingDisabled` : base;
}

const address = (n: Node, type: string) => n.status.addresses?.find((a) => a.type === type)?.address ?? "<none>";
const info = (n: Node, key: "kubeletVersion" | "osImage" | "kernelVersion" | "containerRuntimeVersion") => n.status.nodeInfo?.[key] ?? "<unknown>";

/** The node columns. */
export const nodeColumns = [
  nameColumn(),
  column<Node>("Status", "string", 0, "The status of the node.", nodeStatus),
  column<Node>("Roles", "string", 0, "The roles of the node.", (n) => Object.keys(n.metadata.labels ?? {})
    .filter((k) => k.startsWith("node-role.kubernetes.io/")).map((k) => k.slice("node-role.kubernetes.io/".length)).join(",") || "<none>"),
  ageColumn(),
  column<Node>("Version", "string", 0, "Kubelet version reported by the node.", (n) => info(n, "kubeletVersion")),
  column<Node>("Internal-IP", "string", 1, "The node's internal IP address.", (n) => address(n, "InternalIP")),
  column<Node>("External-IP", "string", 1, "The node's external IP address.", (n) => address(n, "ExternalIP")),
  column<Node>("OS-Image", "string", 1, "OS image reported by the node.", (n) => info(n, "osImage")),
  column<Node>("Kernel-Version", "string", 1, "Kernel version reported by the node.", (n) => info(n, "kernelVersion")),
  column<Node>("Container-Runtime", "string", 1, "Container runtime version reported by the node.", (n) => info(n, "containerRuntimeVersion")),
];
