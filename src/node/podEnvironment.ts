/**
 * What a process-runtime container gets besides its own command and env, worked out by its node agent when it
 * starts: the entrypoint of its image (the image catalog in the view), the downward API's values (a limit a container
 * does not set is its node's allocatable amount), the discovery
 * variables of the services of its namespace, and, unless the pod opts out, in-cluster access to the API as its
 * service account (token, CA, namespace and a kubeconfig in its folder; KUBERNETES_SERVICE_HOST/PORT; KUBECONFIG).
 * The API's address, CA and the service-account key come from the data folder the cluster runs from.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { ImageSpec } from "../api/image.js";
import { CLUSTER_NS } from "../api/kinds.js";
import type { Node } from "../api/node.js";
import type { Pod } from "../api/pod.js";
import { podHostname, serviceAccountOf, type Container } from "../api/podSpec.js";
import type { ServiceSpec } from "../api/service.js";
import { recordedServerUrl } from "../auth/serverUrl.js";
import { issueServiceAccountToken, serviceAccountKeyPath } from "../auth/serviceAccountToken.js";
import type { ClusterView } from "../projections/clusterView.js";
import { imageIndex, resolveEntrypoint } from "./images.js";
import { containerVariables, inClusterFiles, serviceVariables, type NatsAccess, type PodFacts } from "./inCluster.js";
import { processMountProblem } from "./volumes.js";
import type { PreparedLaunch } from "./runtime.js";
import { recordedDnsAddress } from "../network/dns/address.js";
import { resolvConf } from "../network/dns/records.js";

/** The resolver file in each pod's folder. */
const RESOLV_CONF = "resolv.conf";

/** Where the cluster's API and keys are found. */
export interface ClusterAccessFiles {
  dataDir: string;
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : undefined);

/** The API's address, CA and signing key from the data folder, when the API has written them. Does file I/O. */
function apiAccess(files: ClusterAccessFiles): { server: string; caPem: string; key: Buffer; nats?: NatsAccess } | undefined {
  const server = recordedServerUrl(files.dataDir);
  const caPem = read(join(files.dataDir, "pki", "ca.crt"));
  const key = read(serviceAccountKeyPath(files.dataDir));
  const nats = natsAccess(files.dataDir);
  return server && caPem && key ? { server, caPem, key: Buffer.from(key.trim(), "base64"), ...(nats ? { nats } : {}) } : undefined;
}

/** The managed NATS server's URL, prefix and the pods' shared user, when the data folder has them. Does file I/O. */
function natsAccess(dataDir: string): NatsAccess | undefined {
  const url = read(join(dataDir, "nats.url"))?.trim();
  const user = read(join(dataDir, "credentials", "serviceaccount.json"));
  if (!url || !user) return undefined;
  const settings = read(join(dataDir, "nats-server.settings.json"));
  const prefix = settings ? (JSON.parse(settings) as { prefix?: string }).prefix : undefined;
  const creds = JSON.parse(user) as { user: string; password: string };
  return { url, prefix: prefix ?? "cox", user: creds.user, password: creds.password };
}

/** Builds the agent's `prepare` for a process runtime. `podIP` gives the address the pod was handed. */
export function podEnvironment(view: ClusterView, files: ClusterAccessFiles, podIP: (pod: Pod) => string | undefined) {
  return (pod: Pod, container: Container, dir: string): PreparedLaunch | { pullError: string } | { configError: string } => {
    const images = view.list<{ spec: ImageSpec }>("images").map((e) => e.object.spec);
    const entry = resolveEntrypoint(container, imageIndex(images));
    if ("pullError" in entry) return entry;
    const ns = pod.metadata.namespace ?? "default";
    const facts: PodFacts = {
      name: pod.metadata.name, namespace: ns, uid: pod.metadata.uid, nodeName: pod.spec.nodeName ?? "",
      serviceAccountName: serviceAccountOf(pod.spec), labels: pod.metadata.labels ?? {}, annotations: pod.metadata.annotations ?? {},
      ...optional({ podIP: podIP(pod) ?? pod.status.podIP, hostIP: pod.status.hostIP }),
      containers: [...pod.spec.containers, ...pod.spec.initContainers ?? []], allocatable: nodeAllocatable(view, pod.spec.nodeName),
    };
    const mounts = processMountProblem(container.volumeMounts);
    if (mounts) return { configError: mounts };
    // Before any file is read or token signed: a container waiting for its ConfigMap is tried again every few seconds.
    const own = containerVariables(container, facts, (name, resource) => view.get<{ data?: Record<string, string> }>(resource, ns, name)?.object);
    if ("configError" in own) return { configError: String(own.configError) };
    // The Service default/kubernetes gives no variables here: KUBERNETES_SERVICE_HOST/PORT name the API itself (inCluster.ts).
    const services = view.list<{ spec: ServiceSpec }>("services", ns).filter((e) => !(ns === "default" && e.name === "kubernetes"))
      .map((e) => ({ name: e.name, clusterIP: e.object.spec.clusterIP ?? "", ports: e.object.spec.ports ?? [] }));
    const env: Record<string, string> = { ...serviceVariables(services), ...entry.env, POD_NAMESPACE: ns, HOSTNAME: podHostname(pod.metadata.name, pod.spec), ...(facts.podIP ? { POD_IP: facts.podIP } : {}) };
    let fileMap: Record<string, string> = {};
    const access = pod.spec.automountServiceAccountToken === false ? undefined : apiAccess(files);
    if (access) {
      const token = issueServiceAccountToken(access.key, { namespace: ns, name: facts.serviceAccountName, pod: { name: facts.name, uid: facts.uid } }, Math.floor(Date.now() / 1000));
      const made = inClusterFiles({ server: access.server, caPem: access.caPem, token, ...(access.nats ? { nats: access.nats } : {}) }, facts, dir);
      fileMap = made.files;
      Object.assign(env, made.env);
    }
    Object.assign(fileMap, clusterResolver(files.dataDir, ns, dir, env));
    Object.assign(env, own);
    const workingDir = entry.workingDir === undefined ? undefined : isAbsolute(entry.workingDir) ? entry.workingDir : resolve(entry.workingDir);
    return { argv: entry.argv, env, files: fileMap, ...(workingDir ? { workingDir } : {}) };
  };
}

/**
 * The pod's resolver: the cluster DNS `coxswain up` recorded in the data folder, as `COX_DNS` (host:port, since the
 * server is on a port of its own) and a resolv.conf-style file in the container's folder (`COX_RESOLV_CONF` is its path).
 * Nothing when no DNS server runs. Does file I/O (reads the address).
 */
function clusterResolver(dataDir: string, namespace: string, dir: string, env: Record<string, string>): Record<string, string> {
  const address = recordedDnsAddress(dataDir);
  if (!address) return {};
  env.COX_DNS = address;
  env.COX_RESOLV_CONF = join(dir, RESOLV_CONF);
  return { [RESOLV_CONF]: resolvConf(address, namespace) };
}

/** What node `name` has to give its pods (its allocatable, else its capacity), from the view. */
function nodeAllocatable(view: ClusterView, name: string | undefined): Record<string, string | undefined> {
  const status = name === undefined ? undefined : view.get<Node>("nodes", CLUSTER_NS, name)?.object.status;
  return { ...status?.capacity, ...status?.allocatable };
}

function optional<T extends Record<string, string | undefined>>(o: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, string>>;
}
