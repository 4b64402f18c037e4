/** What a node agent registers: its RegisterNode manifest, with capacity from options or from the machine. */
import { readFileSync } from "node:fs";
import { arch, cpus, networkInterfaces, platform, release, totalmem } from "node:os";
import type { NodeResources, NodeStatus } from "../api/node.js";
import { KUBERNETES_VERSION } from "../api/version.js";

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
    nodeInfo: NonNullable<NodeStatus["nodeInfo"]>;
  };
}

/** The architecture as Kubernetes names it (GOARCH). Pure. */
const goArch = (a: string): string => ({ x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm" })[a] ?? a;

/** The first line of `path` that sets `key=`, unquoted, or undefined (the file missing). Reads the file. */
function fileValue(path: string, key?: string): string | undefined {
  try {
    const text = readFileSync(path, "utf8");
    if (!key) return text.trim() || undefined;
    const line = text.split("\n").find((l) => l.startsWith(`${key}=`));
    return line?.slice(key.length + 1).replace(/^"|"$/g, "");
  } catch {
    return undefined;
  }
}

/**
 * What the node says about itself (`status.nodeInfo`, the VERSION and OS-IMAGE columns of `kubectl get nodes -o
 * wide`): the machine's for the process runtime, the same versions with a made-up machine for the simulated one.
 * Reads the OS.
 */
export function machineInfo(runtime: "sim" | "process"): NonNullable<NodeStatus["nodeInfo"]> {
  const real = runtime === "process";
  return {
    ...(real ? { machineID: fileValue("/etc/machine-id") ?? "" } : {}),
    kernelVersion: real ? release() : "simulated",
    osImage: real ? fileValue("/etc/os-release", "PRETTY_NAME") ?? platform() : "Coxswain simulated node",
    containerRuntimeVersion: `coxswain-${runtime}://${KUBERNETES_VERSION.gitVersion.replace(/^v/, "")}`,
    kubeletVersion: KUBERNETES_VERSION.gitVersion,
    operatingSystem: platform(),
    architecture: goArch(arch()),
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

/**
 * The RegisterNode manifest; allocatable defaults to the capacity. The labels a kubelet gives its node come first
 * (`kubernetes.io/hostname`, `kubernetes.io/os` and `kubernetes.io/arch` and their `beta.` forms, which charts'
 * node selectors ask for), then the node's own. Pure.
 */
export function nodeRegistration(
  name: string, ip: string, capacity: NodeResources, nodeInfo: NodeRegistration["status"]["nodeInfo"], allocatable?: NodeResources, labels?: Record<string, string>,
): NodeRegistration {
  return {
    metadata: { name, labels: { ...platformLabels(nodeInfo), "kubernetes.io/hostname": name, ...labels } },
    spec: {},
    status: {
      capacity,
      allocatable: allocatable ?? capacity,
      addresses: [{ type: "InternalIP", address: ip }, { type: "Hostname", address: name }],
      nodeInfo,
    },
  };
}

/** The os and arch labels of a node that says it runs `nodeInfo`. Pure. */
function platformLabels(nodeInfo: NodeRegistration["status"]["nodeInfo"]): Record<string, string> {
  const os = nodeInfo.operatingSystem ?? "linux";
  const arch = nodeInfo.architecture ?? "amd64";
  return { "beta.kubernetes.io/arch": arch, "beta.kubernetes.io/os": os, "kubernetes.io/arch": arch, "kubernetes.io/os": os };
}
