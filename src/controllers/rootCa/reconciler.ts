/**
 * The root CA publisher: every Active namespace has the ConfigMap `kube-root-ca.crt` holding the cluster's CA
 * (`ca.crt`), as Kubernetes' controller-manager keeps it, so that a pod's projected service-account volume (what
 * `kubectl get pod -o yaml` shows of any pod on a real cluster) and workloads that verify the API find it. A key is a
 * namespace's name, queued when the namespace or that ConfigMap changes; one deleted is made again (createAgain.ts),
 * one whose `ca.crt` changed or that lost its description is set back (at the version read: a user's edit meanwhile is
 * a Conflict, and it is looked at again), but one a user made immutable is left. Runs only when the process knows the
 * CA (the data folder's `pki/ca.crt`).
 */
import { CLUSTER_NS } from "../../api/kinds.js";
import type { Namespace } from "../../api/namespace.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import { sendCreate } from "../createAgain.js";
import type { KeyedController } from "../keyedLoop.js";

/** The ConfigMap's name, in every namespace. */
export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
const DESCRIPTION_ANNOTATION = "kubernetes.io/description";
const DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

type ConfigMapLike = {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>; binaryData?: Record<string, string>; immutable?: boolean;
};

/** One controller per leadership term. */
export class RootCaReconciler implements KeyedController {
  /** @param caPem the cluster CA's PEM, once there is one */
  constructor(private readonly ctx: ControllerContext, private readonly caPem: () => string | undefined) {}

  keysOf(change: ViewChange): string[] {
    if (change.resource === "namespaces") return [change.name];
    if (change.resource === "configmaps" && change.name === ROOT_CA_CONFIGMAP) return [change.namespace];
    return [];
  }

  allKeys(): string[] {
    return this.ctx.view.list("namespaces").map((ns) => ns.name);
  }

  /** Makes or sets back the namespace's CA ConfigMap; a refusal throws (a backoff, then again). */
  async sync(namespace: string): Promise<void> {
    const ns = this.ctx.view.get<Namespace>("namespaces", CLUSTER_NS, namespace);
    const pem = this.caPem();
    if (ns?.object.status.phase !== "Active" || pem === undefined) return;
    const ref = { resource: "configmaps" as const, namespace, name: ROOT_CA_CONFIGMAP };
    const entry = this.ctx.view.get<ConfigMapLike>("configmaps", namespace, ROOT_CA_CONFIGMAP);
    const found = entry?.object;
    const data = { "ca.crt": pem };
    const described = !!found?.metadata.annotations?.[DESCRIPTION_ANNOTATION];
    if (found && found.data?.["ca.crt"] === pem && Object.keys(found.data).length === 1 && described) return;
    // An immutable one a user made cannot be set back (Kubernetes' publisher cannot either): left as it is.
    if (found?.immutable) return;
    const annotations = { ...found?.metadata.annotations, ...(described ? {} : { [DESCRIPTION_ANNOTATION]: DESCRIPTION }) };
    const metadata = { name: ROOT_CA_CONFIGMAP, namespace, ...(found?.metadata.labels ? { labels: found.metadata.labels } : {}), annotations };
    const reply = found && entry
      ? await this.ctx.sender.send(ref, { type: "UpdateConfigMap", expectedVersion: entry.version, data: { metadata, data, ...(found.binaryData ? { binaryData: found.binaryData } : {}) } })
      : await sendCreate(this.ctx, ref, { type: "CreateConfigMap", id: `rootca:${ns.object.metadata.uid}`, data: { metadata, data } });
    // AlreadyExists, NotFound, or a Conflict with a user's edit: the view's change brings the namespace back; Forbidden: it is going.
    if (!reply.ok && !["AlreadyExists", "NotFound", "Conflict", "Forbidden"].includes(reply.status.reason)) {
      throw new Error(`${found ? "Update" : "Create"}ConfigMap ${namespace}/${ROOT_CA_CONFIGMAP}: ${reply.status.reason}: ${reply.status.message}`);
    }
  }
}
