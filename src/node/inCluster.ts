/**
 * What a pod's processes get to reach the API from inside, as Kubernetes gives it: the service's address in
 * KUBERNETES_SERVICE_HOST/PORT, the service account's token, CA and namespace as files, a kubeconfig in KUBECONFIG
 * (so client libraries' default loading finds it without the in-cluster path), the downward API's values for
 * `valueFrom.fieldRef` and `valueFrom.resourceFieldRef`, and the values of ConfigMaps and Secrets (`valueFrom.configMapKeyRef|secretKeyRef`, `envFrom`).
 * Pure: the node agent writes the files and starts the process.
 */
import type { Container } from "../api/podSpec.js";
import { resourceFieldValue, type ResourceFieldSelector } from "../api/resourceFieldRef.js";

/** The facts of a pod that the downward API can expose. */
export interface PodFacts {
  name: string;
  namespace: string;
  uid: string;
  nodeName: string;
  serviceAccountName: string;
  podIP?: string;
  hostIP?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The pod's containers and init containers, whose resources `resourceFieldRef` reads by `containerName`. */
  containers?: readonly Pick<Container, "name" | "resources">[];
  /** The node's allocatable resources: the value of a limit a container does not set. */
  allocatable?: Readonly<Record<string, string | undefined>>;
}

/** The value of a downward field path for `pod` ("" when the pod has no such value yet). Pure. */
export function downwardValue(fieldPath: string, pod: PodFacts): string {
  const map = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(fieldPath);
  if (map) return (map[1] === "labels" ? pod.labels : pod.annotations)?.[map[2] ?? ""] ?? "";
  const fields: Record<string, string | undefined> = {
    "metadata.name": pod.name, "metadata.namespace": pod.namespace, "metadata.uid": pod.uid, "spec.nodeName": pod.nodeName,
    "spec.serviceAccountName": pod.serviceAccountName, "status.podIP": pod.podIP, "status.hostIP": pod.hostIP,
    // One address each: a pod and a node here have one IP family.
    "status.podIPs": pod.podIP, "status.hostIPs": pod.hostIP,
  };
  return fields[fieldPath] ?? "";
}

/**
 * A `resourceFieldRef`'s value: of the named container of the pod (else of the variable's own), a limit it does not
 * set being the node's allocatable amount; a container the pod lacks is a config error, as the kubelet's. Pure.
 */
function resourceVariable(ref: ResourceFieldSelector, own: Pick<Container, "resources">, pod: PodFacts): string | { configError: string } {
  // Without the pod's containers (a simulated node's), another container's resources are unknown: its limits are the node's.
  const named = !ref.containerName ? own : pod.containers === undefined ? { resources: undefined } : pod.containers.find((c) => c.name === ref.containerName);
  if (!named) return { configError: `container ${ref.containerName ?? ""} not found` };
  return resourceFieldValue(ref, named.resources, pod.allocatable);
}

/** A ConfigMap's or a Secret's data by name, in the pod's namespace (undefined: there is none). */
export type SourceLookup = (name: string, resource: ValueSource) => { data?: Record<string, string> | undefined; binaryData?: Record<string, string> | undefined } | undefined;

/** Where variables may be read from: ConfigMaps (values as they are) and Secrets (values in base64). */
export type ValueSource = "configmaps" | "secrets";

/** A source's words in the kubelet's messages, and how its values read. */
const SOURCES: Record<ValueSource, { lower: string; kind: string; value: (v: string) => string }> = {
  configmaps: { lower: "configmap", kind: "ConfigMap", value: (v) => v },
  secrets: { lower: "secret", kind: "Secret", value: (v) => Buffer.from(v, "base64").toString("utf8") },
};

/** The source and reference of an `envFrom` entry or a `valueFrom`, if it reads one. Pure. */
function referenceOf<R>(s: { configMapRef?: R | undefined; secretRef?: R | undefined; configMapKeyRef?: R | undefined; secretKeyRef?: R | undefined } | undefined): [ValueSource, R] | undefined {
  const configMap = s?.configMapRef ?? s?.configMapKeyRef;
  if (configMap) return ["configmaps", configMap];
  const secret = s?.secretRef ?? s?.secretKeyRef;
  return secret ? ["secrets", secret] : undefined;
}

/** A variable name as the kubelet of Kubernetes 1.32 takes one: printable ASCII but `=` (others are skipped). */
const VARIABLE_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

/**
 * The container's own variables, as the kubelet makes them: `envFrom` first (each ConfigMap's or Secret's keys in
 * turn, after its prefix), then `env` in order (`value`, `valueFrom.fieldRef` and `resourceFieldRef` against `pod`,
 * `valueFrom.configMapKeyRef|secretKeyRef`), a later one replacing an earlier. A ConfigMap, Secret or key that is
 * missing and not `optional` is `configError`, in the kubelet's words: the container is not started. Pure.
 */
export function containerVariables(container: Pick<Container, "env" | "envFrom" | "resources">, pod: PodFacts, lookup: SourceLookup = () => undefined): Record<string, string> | { configError: string } {
  const out: Record<string, string> = {};
  const missing = (source: ValueSource, name: string) => ({ configError: `${SOURCES[source].lower} "${name}" not found` });
  for (const entry of container.envFrom ?? []) {
    const [source, ref] = referenceOf(entry) ?? [];
    if (!source || !ref) continue;
    const map = lookup(ref.name, source);
    if (!map) {
      if (ref.optional) continue;
      return missing(source, ref.name);
    }
    for (const [key, value] of Object.entries(map.data ?? {})) {
      const name = `${entry.prefix ?? ""}${key}`;
      if (VARIABLE_NAME.test(name)) out[name] = SOURCES[source].value(value);
    }
  }
  for (const e of container.env ?? []) {
    const [source, ref] = referenceOf(e.valueFrom) ?? [];
    const resourceField = e.valueFrom?.resourceFieldRef;
    if (resourceField) {
      const value = resourceVariable(resourceField, container, pod);
      if (typeof value !== "string") return value;
      out[e.name] = value;
      continue;
    }
    if (!source || !ref) {
      out[e.name] = e.valueFrom?.fieldRef ? downwardValue(e.valueFrom.fieldRef.fieldPath, pod) : (e.value ?? "");
      continue;
    }
    const map = lookup(ref.name, source);
    const value = map?.data?.[ref.key];
    if (value !== undefined) out[e.name] = SOURCES[source].value(value);
    else if (!ref.optional) return map ? { configError: `couldn't find key ${ref.key} in ${SOURCES[source].kind} ${pod.namespace}/${ref.name}` } : missing(source, ref.name);
  }
  return out;
}

/** Where the API is, and the credentials of the pod's service account. */
export interface ApiAccess {
  /** `https://127.0.0.1:6443`. */
  server: string;
  caPem: string;
  token: string;
  /** The service-account door on NATS (docs/protocol.md, HTTP authentication): how pods connect to it. */
  nats?: NatsAccess;
}

/** The NATS server, subject prefix and the pods' shared user (`serviceaccount`). */
export interface NatsAccess {
  url: string;
  prefix: string;
  user: string;
  password: string;
}

/** The files a pod gets (relative to its own folder) and the variables that point at them. Pure. */
export function inClusterFiles(access: ApiAccess, pod: PodFacts, dir: string): { files: Record<string, string>; env: Record<string, string> } {
  const url = new URL(access.server);
  const sa = "serviceaccount";
  const kubeconfig = [
    "apiVersion: v1", "kind: Config", "current-context: in-cluster",
    "clusters:", "- name: in-cluster", "  cluster:", `    server: ${access.server}`, `    certificate-authority-data: ${Buffer.from(access.caPem).toString("base64")}`,
    "users:", `- name: ${pod.serviceAccountName}`, "  user:", `    token: ${access.token}`,
    "contexts:", "- name: in-cluster", "  context:", "    cluster: in-cluster", `    user: ${pod.serviceAccountName}`, `    namespace: ${pod.namespace}`, "",
  ].join("\n");
  // The NATS door's connection, with the inbox prefix its user may subscribe to; the token file says who asks.
  const nats: Record<string, string> = access.nats ? { [`${sa}/nats.json`]: JSON.stringify({ ...access.nats, inboxPrefix: "_INBOX_serviceaccount", tokenFile: `${dir}/${sa}/token` }) } : {};
  return {
    files: { [`${sa}/token`]: access.token, [`${sa}/ca.crt`]: access.caPem, [`${sa}/namespace`]: pod.namespace, kubeconfig, ...nats },
    env: {
      ...(access.nats ? { COX_NATS_ACCESS: `${dir}/${sa}/nats.json` } : {}),
      KUBERNETES_SERVICE_HOST: url.hostname.replace(/^\[|\]$/g, ""), KUBERNETES_SERVICE_PORT: url.port || "443",
      KUBERNETES_SERVICE_PORT_HTTPS: url.port || "443", KUBECONFIG: `${dir}/kubeconfig`, POD_NAMESPACE: pod.namespace,
    },
  };
}

/** A service as the 2014 discovery variables describe it. */
export interface ServiceForEnv {
  name: string;
  clusterIP: string;
  ports: readonly { name?: string | undefined; port: number; protocol: string }[];
}

/**
 * The discovery variables of the services that exist when a container starts, as Kubernetes sets them:
 * `WEB_SERVICE_HOST`, `WEB_SERVICE_PORT`, `WEB_PORT=tcp://…`, `WEB_PORT_80_TCP`, `…_PROTO`, `…_PORT`, `…_ADDR`
 * (and `WEB_SERVICE_PORT_<NAME>` for named ports). Headless services have none. Pure.
 */
export function serviceVariables(services: readonly ServiceForEnv[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of services) {
    if (!s.clusterIP || s.clusterIP === "None" || s.ports.length === 0) continue;
    const n = s.name.toUpperCase().replace(/-/g, "_");
    const first = s.ports[0]!;
    out[`${n}_SERVICE_HOST`] = s.clusterIP;
    out[`${n}_SERVICE_PORT`] = String(first.port);
    out[`${n}_PORT`] = `${first.protocol.toLowerCase()}://${s.clusterIP}:${first.port}`;
    for (const p of s.ports) {
      const base = `${n}_PORT_${p.port}_${p.protocol.toUpperCase()}`;
      if (p.name) out[`${n}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, "_")}`] = String(p.port);
      Object.assign(out, { [base]: `${p.protocol.toLowerCase()}://${s.clusterIP}:${p.port}`, [`${base}_PROTO`]: p.protocol.toLowerCase(), [`${base}_PORT`]: String(p.port), [`${base}_ADDR`]: s.clusterIP });
    }
  }
  return out;
}

/**
 * A simulated container's variables when some come from ConfigMaps, Secrets or resources (undefined when none do: its
 * own `env` is all), or why it cannot start for want of one, in the kubelet's words. It runs no process: the downward
 * API's pod fields are empty; a `resourceFieldRef` reads the container's own resources (another container's and the
 * node's allocatable, for a limit not set, when `resources` gives them; else 0). Pure.
 */
export function simulatedVariables(
  container: Pick<Container, "env" | "envFrom" | "resources">, namespace: string, configMaps: SourceLookup, resources: Pick<PodFacts, "containers" | "allocatable"> = {},
): Record<string, string> | { configError: string } | undefined {
  if (!container.envFrom?.length && !container.env?.some((e) => referenceOf(e.valueFrom) || e.valueFrom?.resourceFieldRef)) return undefined;
  return containerVariables(container, { name: "", namespace, uid: "", nodeName: "", serviceAccountName: "", ...resources }, configMaps);
}
