/** What a node agent registers: its RegisterNode manifest, with capacity from options or from the machine. */
import { cpus, networkInterfaces, totalmem } from "node:os";
import type { NodeResources } from "../api/node.js";

/** Capacity of a simulated node unless told otherwise. */
export const SIM_CAPACITY: NodeResources = { cpu: "4", memory: "8Gi", pods: "110" };
/** Pods per node, as the kubelet's default. */
const MAX_PODS = "110";

/** The v1 manifest of RegisterNode (`data`). */
export interface NodeRegistration {
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, never>;
  status: {
    capacity: NodeResources;
    allocatable: NodeResources;
    addresses: { type: "InternalIP" | "Hostname"; address: string }[];
  };
}

/** The machine's capacity: its CPUs and memory (in Ki). Reads the OS. */
export function machineCapacity(): NodeResources {
  return { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, pods: MAX_PODS };
}

/** The machine's first non-internal IPv4 address, else 127.0.0.1. Reads the OS. */
export function machineIP(): string {
  for (const list of Object.values(networkInterfaces())) {
    const found = list?.find((a) => a.family === "IPv4" && !a.internal);
    if (found) return found.address;
  }
  return "127.0.0.1";
}

/** A made-up, stable 10.x.y.z address for a simulated node. Pure. */
export function simulatedIP(nodeName: string): string {
  let h = 2166136261;
  for (const ch of nodeName) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `10.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${Math.max(1, h & 255) % 255}`;
}

/** The RegisterNode manifest; allocatable defaults to the capacity. Pure. */
export function nodeRegistration(name: string, ip: string, capacity: NodeResources, allocatable?: NodeResources, labels?: Record<string, string>): NodeRegistration {
  return {
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } },
    spec: {},
    status: {
      capacity,
      allocatable: allocatable ?? capacity,
      addresses: [{ type: "InternalIP", address: ip }, { type: "Hostname", address: name }],
    },
  };
}
