/** Bad manifests, one per way of being wrong: each must be refused with its Status reason and the path of its first cause. */
import { describe, expect, it } from "vitest";
import type { ApiVersion } from "./codec.js";
import { codecFor } from "./codecs.js";
import type { AnyKindCodec } from "./codecs.js";
import { RESOURCE_INFO, type Resource } from "./kinds.js";
import { StatusError } from "./status.js";

type Json = Record<string, unknown>;
const container = { name: "app", image: "nginx" };
/** Every kind that takes manifests (events are read-only). */
const BASE: Partial<Record<Exclude<Resource, "events">, Partial<Record<ApiVersion, Json>>>> = {
  pods: {
    v1: { apiVersion: "v1", kind: "Pod", metadata: { name: "web-1", namespace: "default" }, spec: { containers: [container] } },
    v1beta1: { id: "web-1", desiredState: { manifest: { version: "v1beta1", id: "web-1", containers: [container] } } },
  },
  replicationcontrollers: {
    v1: { metadata: { name: "web-1" }, spec: { replicas: 2, selector: { app: "web" }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [container] } } } },
    v1beta1: { id: "web-1", desiredState: { replicas: 2, replicaSelector: { app: "web" }, podTemplate: { labels: { app: "web" }, desiredState: { manifest: { version: "v1beta1", containers: [container] } } } } },
  },
  podtemplates: {
    v1: { metadata: { name: "web-1" }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [container] } } },
    v1beta1: { id: "web-1", template: { labels: { app: "web" }, desiredState: { manifest: { version: "v1beta1", containers: [container] } } } },
  },
  nodes: {
    v1: { metadata: { name: "web-1" }, status: { capacity: { cpu: "4", memory: "8Gi", pods: "110" } } },
    v1beta1: { kind: "Minion", id: "web-1", hostIP: "10.0.0.1", resources: { capacity: { cpu: 4000, memory: "8Gi" } } },
  },
  namespaces: { v1: { metadata: { name: "web-1" } }, v1beta1: { id: "web-1" } },
  resourcequotas: { v1: { metadata: { name: "web-1" }, spec: { hard: { pods: "10" } } }, v1beta1: { id: "web-1", spec: { hard: { pods: "10" } } } },
  deployments: { v1: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web-1" }, spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [container] } } } } },
  leases: { v1: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "web-1" }, spec: { holderIdentity: "a", leaseDurationSeconds: 15 } } },
  services: { v1: { metadata: { name: "web-1" }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] } } },
  ingresses: { v1: { metadata: { name: "web-1" }, spec: { rules: [{ host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "site", port: { number: 80 } } } }] } }] } } },
  networkpolicies: { v1: { metadata: { name: "web-1" }, spec: { podSelector: {} } } },
  priorityclasses: { v1: { metadata: { name: "web-1" }, value: 1000 } },
  horizontalpodautoscalers: { v1: { metadata: { name: "web-1" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, maxReplicas: 5 } } },
  persistentvolumes: { v1: { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "web-1" }, spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/data/web-1" } } } },
  persistentvolumeclaims: { v1: { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "web-1" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } },
  storageclasses: { v1: { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "web-1" }, provisioner: "coxswain.io/host-path" } },
  runtimeclasses: { v1: { apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: "web-1" }, handler: "runsc", overhead: { podFixed: { cpu: "250m" } } } },
  limitranges: { v1: { apiVersion: "v1", kind: "LimitRange", metadata: { name: "web-1" }, spec: { limits: [{ type: "Container", max: { cpu: "1" }, min: { cpu: "100m" } }] } } },
  poddisruptionbudgets: { v1: { metadata: { name: "web-1" }, spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } } } },
  configmaps: { v1: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web-1" }, data: { "app.conf": "mode=fast" }, binaryData: { blob: "AAEC" } } },
  secrets: { v1: { apiVersion: "v1", kind: "Secret", metadata: { name: "web-1" }, type: "Opaque", data: { password: "aHVudGVyMg==" }, stringData: { user: "admin" } } },
  rolebindings: { v1: { metadata: { name: "web-1" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" }, subjects: [{ kind: "ServiceAccount", name: "sa" }] } },
};

/** [what is wrong, resource, version, how to break the base manifest, expected reason, field of the first cause] */
type Case = [string, Exclude<Resource, "events">, ApiVersion, (m: Json & { [k: string]: any }) => unknown, "Invalid" | "BadRequest", string];
const pod0 = "data.spec.containers[0]";
const CASES: Case[] = [
  ["deployment selector that misses the template's labels", "deployments", "v1", (m) => { m.spec.selector = { matchLabels: { app: "db" } }; }, "Invalid", "data.spec.template.metadata.labels"],
  ["deployment with an empty selector", "deployments", "v1", (m) => { m.spec.selector = {}; }, "Invalid", "data.spec.selector"],
  ["deployment strategy unknown", "deployments", "v1", (m) => { m.spec.strategy = { type: "BlueGreen" }; }, "Invalid", "data.spec.strategy.type"],
  ["deployment maxSurge neither number nor percentage", "deployments", "v1", (m) => { m.spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: "many" } }; }, "Invalid", "data.spec.strategy.rollingUpdate.maxSurge"],
  ["deployment manifest of another group version", "deployments", "v1", (m) => { m.apiVersion = "extensions/v1beta1"; }, "Invalid", "data.apiVersion"],
  ["finalizer that is not a qualified name", "configmaps", "v1", (m) => { m.metadata.finalizers = ["example.com/ok", "Bad Name"]; }, "Invalid", "data.metadata.finalizers"],
  ["finalizers orphan and foregroundDeletion both", "deployments", "v1", (m) => { m.metadata.finalizers = ["orphan", "foregroundDeletion"]; }, "Invalid", "data.metadata.finalizers"],
  ["finalizers on a kind that does not keep them", "namespaces", "v1", (m) => { m.metadata.finalizers = ["example.com/x"]; }, "Invalid", "data.metadata.finalizers"],
  ["lease duration of zero", "leases", "v1", (m) => { m.spec.leaseDurationSeconds = 0; }, "Invalid", "data.spec.leaseDurationSeconds"],
  ["lease renewTime that is not a time", "leases", "v1", (m) => { m.spec.renewTime = "yesterday"; }, "Invalid", "data.spec.renewTime"],
  ["service port out of range", "services", "v1", (m) => { m.spec.ports[0].port = 70000; }, "Invalid", "data.spec.ports[0].port"],
  ["service clusterIP that is not an address", "services", "v1", (m) => { m.spec.clusterIP = "10.0.0"; }, "Invalid", "data.spec.clusterIP"],
  ["service selector that is not a label selector", "services", "v1", (m) => { m.spec.selector = { "a b": "x" }; }, "Invalid", "data.spec.selector.a b"],
  ["service selector value that is not a label value", "services", "v1", (m) => { m.spec.selector = { app: "-web" }; }, "Invalid", "data.spec.selector.app"],
  ["service with two unnamed ports", "services", "v1", (m) => { m.spec.ports.push({ port: 81 }); }, "Invalid", "data.spec.ports[0].name"],
  ["ingress path without pathType", "ingresses", "v1", (m) => { delete m.spec.rules[0].http.paths[0].pathType; }, "Invalid", "data.spec.rules[0].http.paths[0].pathType"],
  ["ingress Prefix path that is not absolute", "ingresses", "v1", (m) => { m.spec.rules[0].http.paths[0].path = "api"; }, "Invalid", "data.spec.rules[0].http.paths[0].path"],
  ["ingress backend port with a name and a number", "ingresses", "v1", (m) => { m.spec.rules[0].http.paths[0].backend.service.port.name = "http"; }, "Invalid", "data.spec.rules[0].http.paths[0].backend.service.port"],
  ["ingress host that is an address with a port", "ingresses", "v1", (m) => { m.spec.rules[0].host = "shop.example.com:80"; }, "Invalid", "data.spec.rules[0].host"],
  ["ingress without rules or a default backend", "ingresses", "v1", (m) => { m.spec = {}; }, "Invalid", "data.spec"],
  ["network policy without a pod selector", "networkpolicies", "v1", (m) => { m.spec = {}; }, "Invalid", "data.spec.podSelector"],
  ["network policy port out of range", "networkpolicies", "v1", (m) => { m.spec.ingress = [{ ports: [{ port: 70000 }] }]; }, "Invalid", "data.spec.ingress[0].ports[0].port"],
  ["budget with both minAvailable and maxUnavailable", "poddisruptionbudgets", "v1", (m) => { m.spec.maxUnavailable = 1; }, "Invalid", "data.spec"],
  ["budget percentage over 100%", "poddisruptionbudgets", "v1", (m) => { m.spec.minAvailable = "120%"; }, "Invalid", "data.spec.minAvailable"],
  // Above the system's highest (a user's class above 1,000,000,000 is refused by its actor, which knows its name).
  ["priority class value above the highest", "priorityclasses", "v1", (m) => { m.value = 3000000000; }, "Invalid", "data.value"],
  ["priority class without a value", "priorityclasses", "v1", (m) => { delete m.value; }, "Invalid", "data.value"],
  ["configmap key with a space", "configmaps", "v1", (m) => { m.data = { "bad key": "x" }; }, "Invalid", "data.data[bad key]"],
  ["configmap value that is not a string", "configmaps", "v1", (m) => { m.data = { n: 1 }; }, "Invalid", "data.data.n"],
  ["configmap binaryData that is not base64", "configmaps", "v1", (m) => { m.binaryData = { blob: "%%%" }; }, "Invalid", "data.binaryData.blob"],
  ["volume mount of a volume the pod does not have", "pods", "v1", (m) => { m.spec.containers[0].volumeMounts = [{ name: "nope", mountPath: "/etc/x" }]; }, "Invalid", `${pod0}.volumeMounts[0].name`],
  ["two volumes of one name", "pods", "v1", (m) => { m.spec.volumes = [{ name: "v", emptyDir: {} }, { name: "v", emptyDir: {} }]; }, "Invalid", "data.spec.volumes[1].name"],
  ["volume with two sources", "pods", "v1", (m) => { m.spec.volumes = [{ name: "v", emptyDir: {}, configMap: { name: "c" } }]; }, "Invalid", "data.spec.volumes[0].configMap"],
  ["volume with no source", "pods", "v1", (m) => { m.spec.volumes = [{ name: "v" }]; }, "Invalid", "data.spec.volumes[0]"],
  ["volume item path that climbs out", "pods", "v1", (m) => { m.spec.volumes = [{ name: "v", configMap: { name: "c", items: [{ key: "k", path: "../etc" }] } }]; }, "Invalid", "data.spec.volumes[0].configMap.items[0].path"],
  ["two mounts at one path", "deployments", "v1", (m) => { m.spec.template.spec.volumes = [{ name: "a", emptyDir: {} }, { name: "b", emptyDir: {} }]; m.spec.template.spec.containers[0].volumeMounts = [{ name: "a", mountPath: "/x" }, { name: "b", mountPath: "/x" }]; }, "Invalid", "data.spec.template.spec.containers[0].volumeMounts[1].mountPath"],
  ["secret key with a slash", "secrets", "v1", (m) => { m.data = { "a/b": "YQ==" }; }, "Invalid", "data.data[a/b]"],
  ["secret data that is not base64", "secrets", "v1", (m) => { m.data = { password: "hunter2!" }; }, "Invalid", "data.data.password"],
  ["secret stringData that is not a string", "secrets", "v1", (m) => { m.stringData = { user: 7 }; }, "Invalid", "data.stringData.user"],
  ["secret type that is not a string", "secrets", "v1", (m) => { m.type = 3; }, "Invalid", "data.type"],
  ["rolebinding to a kind that is not a role", "rolebindings", "v1", (m) => { m.roleRef.kind = "Pod"; }, "Invalid", "data.roleRef.kind"],
  ["rolebinding subject of an unknown kind", "rolebindings", "v1", (m) => { m.subjects[0].kind = "Robot"; }, "Invalid", "data.subjects[0].kind"],
  ["command data (the manifest) is not an object (a body that is not one is a BadRequest: door.unit.spec.ts)", "pods", "v1", () => "pod", "Invalid", "data"],
  ["metadata missing", "pods", "v1", (m) => { delete m.metadata; }, "Invalid", "data.metadata"],
  ["name with capitals", "pods", "v1", (m) => { m.metadata.name = "Web-1"; }, "Invalid", "data.metadata.name"],
  ["name longer than 253", "pods", "v1", (m) => { m.metadata.name = "a".repeat(254); }, "Invalid", "data.metadata.name"],
  ["name with an empty label between dots", "pods", "v1", (m) => { m.metadata.name = "a..b"; }, "Invalid", "data.metadata.name"],
  ["service name with a dot", "services", "v1", (m) => { m.metadata.name = "web.a"; }, "Invalid", "data.metadata.name"],
  ["service name starting with a digit", "services", "v1", (m) => { m.metadata.name = "1web"; }, "Invalid", "data.metadata.name"],
  ["namespace not a DNS label", "pods", "v1", (m) => { m.metadata.namespace = "my_ns"; }, "Invalid", "data.metadata.namespace"],
  ["uid sent by a client", "pods", "v1", (m) => { m.metadata.uid = "x"; }, "Invalid", "data.metadata.uid"],
  ["resourceVersion sent by a client", "pods", "v1", (m) => { m.metadata.resourceVersion = "3"; }, "Invalid", "data.metadata.resourceVersion"],
  ["creationTimestamp sent by a client", "pods", "v1", (m) => { m.metadata.creationTimestamp = "2026-01-01T00:00:00Z"; }, "Invalid", "data.metadata.creationTimestamp"],
  ["label value not a string", "pods", "v1", (m) => { m.metadata.labels = { tier: 1 }; }, "Invalid", "data.metadata.labels.tier"],
  ["label value longer than 63", "pods", "v1", (m) => { m.metadata.labels = { tier: "a".repeat(64) }; }, "Invalid", "data.metadata.labels.tier"],
  ["label value with a space", "pods", "v1", (m) => { m.metadata.labels = { tier: "front end" }; }, "Invalid", "data.metadata.labels.tier"],
  ["label value ending in '-'", "pods", "v1", (m) => { m.metadata.labels = { tier: "front-" }; }, "Invalid", "data.metadata.labels.tier"],
  ["label key name longer than 63", "pods", "v1", (m) => { m.metadata.labels = { ["k".repeat(64)]: "v" }; }, "Invalid", `data.metadata.labels.${"k".repeat(64)}`],
  ["label key with an invalid prefix", "pods", "v1", (m) => { m.metadata.labels = { "Example.COM/tier": "web" }; }, "Invalid", "data.metadata.labels.Example.COM/tier"],
  ["label key with an empty name", "pods", "v1", (m) => { m.metadata.labels = { "example.com/": "web" }; }, "Invalid", "data.metadata.labels.example.com/"],
  ["label key with two slashes", "pods", "v1", (m) => { m.metadata.labels = { "a/b/c": "web" }; }, "Invalid", "data.metadata.labels.a/b/c"],
  ["empty label key", "pods", "v1", (m) => { m.metadata.labels = { "": "web" }; }, "Invalid", "data.metadata.labels"],
  ["annotation key not a qualified name", "pods", "v1", (m) => { m.metadata.annotations = { "note!": "x" }; }, "Invalid", "data.metadata.annotations.note!"],
  ["annotations over 256 KiB in total", "pods", "v1", (m) => { m.metadata.annotations = { a: "x".repeat(200 * 1024), b: "y".repeat(57 * 1024) }; }, "Invalid", "data.metadata.annotations"],
  ["template label value longer than 63", "replicationcontrollers", "v1", (m) => { m.spec.template.metadata.labels.tier = "t".repeat(64); }, "Invalid", "data.spec.template.metadata.labels.tier"],
  ["selector value not a label value", "replicationcontrollers", "v1", (m) => { m.spec.selector = { app: "web app" }; }, "Invalid", "data.spec.selector.app"],
  ["nodeSelector key not a qualified name", "pods", "v1", (m) => { m.spec.nodeSelector = { "disk type": "ssd" }; }, "Invalid", "data.spec.nodeSelector.disk type"],
  ["v1beta1: label value longer than 63", "pods", "v1beta1", (m) => { m.labels = { tier: "a".repeat(64) }; }, "Invalid", "data.labels.tier"],
  ["v1beta1: namespace label key with an invalid prefix", "namespaces", "v1beta1", (m) => { m.labels = { "-x/y": "z" }; }, "Invalid", "data.labels.-x/y"],
  ["status sent by a client", "pods", "v1", (m) => { m.status = { phase: "Running" }; }, "Invalid", "data.status"],
  ["unknown top-level field", "pods", "v1", (m) => { m.specs = {}; }, "Invalid", "data.specs"],
  ["unknown apiVersion in the body", "pods", "v1", (m) => { m.apiVersion = "v2"; }, "Invalid", "data.apiVersion"],
  ["kind of another resource", "pods", "v1", (m) => { m.kind = "Node"; }, "Invalid", "data.kind"],
  ["containers missing", "pods", "v1", (m) => { delete m.spec.containers; }, "Invalid", "data.spec.containers"],
  ["no containers", "pods", "v1", (m) => { m.spec.containers = []; }, "Invalid", "data.spec.containers"],
  ["init container with a readiness probe", "pods", "v1", (m) => { m.spec.initContainers = [{ name: "init", image: "busybox", readinessProbe: { exec: { command: ["true"] } } }]; }, "Invalid", "data.spec.initContainers[0].readinessProbe"],
  ["init container restartPolicy other than Always", "pods", "v1", (m) => { m.spec.initContainers = [{ name: "init", image: "busybox", restartPolicy: "OnFailure" }]; }, "Invalid", "data.spec.initContainers[0].restartPolicy"],
  ["init container named as a container", "deployments", "v1", (m) => { m.spec.template.spec.initContainers = [{ name: "app", image: "busybox" }]; }, "Invalid", "data.spec.template.spec.initContainers[0].name"],
  ["init container without an image", "pods", "v1", (m) => { m.spec.initContainers = [{ name: "init" }]; }, "Invalid", "data.spec.initContainers[0].image"],
  ["init container mounting a volume the pod does not have", "pods", "v1", (m) => { m.spec.initContainers = [{ name: "init", image: "busybox", volumeMounts: [{ name: "nope", mountPath: "/x" }] }]; }, "Invalid", "data.spec.initContainers[0].volumeMounts[0].name"],
  ["autoscaler maxReplicas below minReplicas", "horizontalpodautoscalers", "v1", (m) => { m.spec.minReplicas = 6; }, "Invalid", "data.spec.maxReplicas"],
  ["autoscaler without a target name", "horizontalpodautoscalers", "v1", (m) => { delete m.spec.scaleTargetRef.name; }, "Invalid", "data.spec.scaleTargetRef.name"],
  ["autoscaler Resource metric without its source", "horizontalpodautoscalers", "v1", (m) => { m.spec.metrics = [{ type: "Resource" }]; }, "Invalid", "data.spec.metrics[0].resource"],
  ["persistent volume without a capacity", "persistentvolumes", "v1", (m) => { delete m.spec.capacity; }, "Invalid", "data.spec.capacity"],
  ["persistent volume without an access mode", "persistentvolumes", "v1", (m) => { m.spec.accessModes = []; }, "Invalid", "data.spec.accessModes"],
  ["persistent volume with an unknown access mode", "persistentvolumes", "v1", (m) => { m.spec.accessModes = ["ReadWriteSometimes"]; }, "Invalid", "data.spec.accessModes[0]"],
  ["persistent volume without a source", "persistentvolumes", "v1", (m) => { delete m.spec.hostPath; }, "Invalid", "data.spec"],
  ["persistent volume with two sources", "persistentvolumes", "v1", (m) => { m.spec.nfs = { server: "nfs.example", path: "/x" }; }, "Invalid", "data.spec.nfs"],
  ["persistent volume hostPath without a path", "persistentvolumes", "v1", (m) => { m.spec.hostPath = {}; }, "Invalid", "data.spec.hostPath.path"],
  ["persistent volume claimRef without a name", "persistentvolumes", "v1", (m) => { m.spec.claimRef = { namespace: "default" }; }, "Invalid", "data.spec.claimRef.name"],
  ["persistent volume with a negative capacity", "persistentvolumes", "v1", (m) => { m.spec.capacity.storage = "-1Gi"; }, "Invalid", "data.spec.capacity.storage"],
  ["persistent volume with a status", "persistentvolumes", "v1", (m) => { m.status = { phase: "Bound" }; }, "Invalid", "data.status"],
  ["claim without a storage request", "persistentvolumeclaims", "v1", (m) => { delete m.spec.resources; }, "Invalid", "data.spec.resources[storage]"],
  ["claim without an access mode", "persistentvolumeclaims", "v1", (m) => { delete m.spec.accessModes; }, "Invalid", "data.spec.accessModes"],
  ["claim with an unknown volume mode", "persistentvolumeclaims", "v1", (m) => { m.spec.volumeMode = "Tape"; }, "Invalid", "data.spec.volumeMode"],
  ["storage class without a provisioner", "storageclasses", "v1", (m) => { delete m.provisioner; }, "Invalid", "data.provisioner"],
  ["storage class with an unknown reclaim policy", "storageclasses", "v1", (m) => { m.reclaimPolicy = "Recycle"; }, "Invalid", "data.reclaimPolicy"],
  ["storage class with an unknown binding mode", "storageclasses", "v1", (m) => { m.volumeBindingMode = "Later"; }, "Invalid", "data.volumeBindingMode"],
  ["runtime class without a handler", "runtimeclasses", "v1", (m) => { delete m.handler; }, "Invalid", "data.handler"],
  ["runtime class with a malformed overhead", "runtimeclasses", "v1", (m) => { m.overhead.podFixed.cpu = "lots"; }, "Invalid", "data.overhead.podFixed.cpu"],
  ["limit range with a min above its max", "limitranges", "v1", (m) => { m.spec.limits[0].min.cpu = "2"; }, "Invalid", "data.spec.limits[0].min[cpu]"],
  ["limit range with a malformed quantity", "limitranges", "v1", (m) => { m.spec.limits[0].max.cpu = "lots"; }, "Invalid", "data.spec.limits[0].max.cpu"],
  ["limit range item without a type", "limitranges", "v1", (m) => { delete m.spec.limits[0].type; }, "Invalid", "data.spec.limits[0].type"],
  ["pod claim volume without a claimName", "pods", "v1", (m) => { m.spec.volumes = [{ name: "data", persistentVolumeClaim: {} }]; }, "Invalid", "data.spec.volumes[0].persistentVolumeClaim.claimName"],
  ["autoscaler Utilization target without a utilization", "horizontalpodautoscalers", "v1", (m) => { m.spec.metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization" } } }]; }, "Invalid", "data.spec.metrics[0].resource.target.averageUtilization"],
  ["container name not a DNS label", "pods", "v1", (m) => { m.spec.containers[0].name = "App_1"; }, "Invalid", `${pod0}.name`],
  ["image missing", "pods", "v1", (m) => { delete m.spec.containers[0].image; }, "Invalid", `${pod0}.image`],
  ["image empty", "pods", "v1", (m) => { m.spec.containers[0].image = ""; }, "Invalid", `${pod0}.image`],
  ["duplicate container names", "pods", "v1", (m) => { m.spec.containers.push({ ...container }); }, "Invalid", "data.spec.containers[1].name"],
  ["command not a list", "pods", "v1", (m) => { m.spec.containers[0].command = "nginx -g"; }, "Invalid", `${pod0}.command`],
  ["env name not an identifier", "pods", "v1", (m) => { m.spec.containers[0].env = [{ name: "1X", value: "" }]; }, "Invalid", `${pod0}.env[0].name`],
  ["port out of range", "pods", "v1", (m) => { m.spec.containers[0].ports = [{ containerPort: 70000 }]; }, "Invalid", `${pod0}.ports[0].containerPort`],
  ["port not an integer", "pods", "v1", (m) => { m.spec.containers[0].ports = [{ containerPort: 80.5 }]; }, "Invalid", `${pod0}.ports[0].containerPort`],
  ["unknown protocol", "pods", "v1", (m) => { m.spec.containers[0].ports = [{ containerPort: 80, protocol: "SCTP" }]; }, "Invalid", `${pod0}.ports[0].protocol`],
  ["malformed cpu quantity", "pods", "v1", (m) => { m.spec.containers[0].resources = { limits: { cpu: "1 core" } }; }, "Invalid", `${pod0}.resources.limits.cpu`],
  ["negative memory request", "pods", "v1", (m) => { m.spec.containers[0].resources = { requests: { memory: "-1Gi" } }; }, "Invalid", `${pod0}.resources.requests.memory`],
  ["quantity finer than 1n", "pods", "v1", (m) => { m.spec.containers[0].resources = { limits: { cpu: "0.1n" } }; }, "Invalid", `${pod0}.resources.limits.cpu`],
  ["unknown resource name", "pods", "v1", (m) => { m.spec.containers[0].resources = { limits: { gpu: "1" } }; }, "Invalid", `${pod0}.resources.limits.gpu`],
  ["request above its limit", "pods", "v1", (m) => { m.spec.containers[0].resources = { requests: { cpu: "2" }, limits: { cpu: "1500m" } }; }, "Invalid", `${pod0}.resources.requests.cpu`],
  ["probe with two handlers", "pods", "v1", (m) => { m.spec.containers[0].livenessProbe = { exec: { command: ["true"] }, httpGet: { port: 80 } }; }, "Invalid", `${pod0}.livenessProbe`],
  ["probe with no handler", "pods", "v1", (m) => { m.spec.containers[0].livenessProbe = { initialDelaySeconds: 5 }; }, "Invalid", `${pod0}.livenessProbe`],
  ["probe port zero", "pods", "v1", (m) => { m.spec.containers[0].livenessProbe = { httpGet: { path: "/", port: 0 } }; }, "Invalid", `${pod0}.livenessProbe.httpGet.port`],
  ["readiness probe with exec and tcpSocket", "pods", "v1", (m) => { m.spec.containers[0].readinessProbe = { exec: { command: ["true"] }, tcpSocket: { port: 80 } }; }, "Invalid", `${pod0}.readinessProbe`],
  ["startup probe with no handler", "pods", "v1", (m) => { m.spec.containers[0].startupProbe = { periodSeconds: 1 }; }, "Invalid", `${pod0}.startupProbe`],
  ["negative probe period", "pods", "v1", (m) => { m.spec.containers[0].readinessProbe = { tcpSocket: { port: 80 }, periodSeconds: -1 }; }, "Invalid", `${pod0}.readinessProbe.periodSeconds`],
  ["negative failure threshold", "pods", "v1", (m) => { m.spec.containers[0].startupProbe = { exec: { command: ["true"] }, failureThreshold: -3 }; }, "Invalid", `${pod0}.startupProbe.failureThreshold`],
  ["zero probe timeout", "pods", "v1", (m) => { m.spec.containers[0].readinessProbe = { exec: { command: ["true"] }, timeoutSeconds: 0 }; }, "Invalid", `${pod0}.readinessProbe.timeoutSeconds`],
  ["liveness success threshold above 1", "pods", "v1", (m) => { m.spec.containers[0].livenessProbe = { exec: { command: ["true"] }, successThreshold: 2 }; }, "Invalid", `${pod0}.livenessProbe.successThreshold`],
  ["tcpSocket port zero", "pods", "v1", (m) => { m.spec.containers[0].readinessProbe = { tcpSocket: { port: 0 } }; }, "Invalid", `${pod0}.readinessProbe.tcpSocket.port`],
  ["relative terminationMessagePath", "pods", "v1", (m) => { m.spec.containers[0].terminationMessagePath = "tmp/msg"; }, "Invalid", `${pod0}.terminationMessagePath`],
  ["unknown terminationMessagePolicy", "pods", "v1", (m) => { m.spec.containers[0].terminationMessagePolicy = "Logs"; }, "Invalid", `${pod0}.terminationMessagePolicy`],
  ["v1beta1: probe with no handler", "pods", "v1beta1", (m) => { m.desiredState.manifest.containers[0].livenessProbe = {}; }, "Invalid", "data.desiredState.manifest.containers[0].livenessProbe"],
  ["lifecycle hook without a handler", "pods", "v1", (m) => { m.spec.containers[0].lifecycle = { preStop: {} }; }, "Invalid", `${pod0}.lifecycle.preStop`],
  ["unknown restartPolicy", "pods", "v1", (m) => { m.spec.restartPolicy = "Sometimes"; }, "Invalid", "data.spec.restartPolicy"],
  ["negative grace period", "pods", "v1", (m) => { m.spec.terminationGracePeriodSeconds = -1; }, "Invalid", "data.spec.terminationGracePeriodSeconds"],
  ["nodeName not a DNS label", "pods", "v1", (m) => { m.spec.nodeName = "Node_1"; }, "Invalid", "data.spec.nodeName"],
  ["nodeSelector value not a string", "pods", "v1", (m) => { m.spec.nodeSelector = { disk: true }; }, "Invalid", "data.spec.nodeSelector.disk"],
  ["name disagreeing with the subject", "pods", "v1", (m) => { m.metadata.name = "web-2"; }, "BadRequest", "data.metadata.name"],
  ["namespace disagreeing with the subject", "pods", "v1", (m) => { m.metadata.namespace = "prod"; }, "BadRequest", "data.metadata.namespace"],
  ["v1beta1: desiredState missing", "pods", "v1beta1", (m) => { delete m.desiredState; }, "Invalid", "data.desiredState"],
  ["v1beta1: id with capitals", "pods", "v1beta1", (m) => { m.id = "Web"; }, "Invalid", "data.id"],
  ["v1beta1: manifest version not v1beta1", "pods", "v1beta1", (m) => { m.desiredState.manifest.version = "v1"; }, "Invalid", "data.desiredState.manifest.version"],
  ["v1beta1: manifest id disagreeing with the pod id", "pods", "v1beta1", (m) => { m.desiredState.manifest.id = "other"; }, "Invalid", "data.desiredState.manifest.id"],
  ["v1beta1: two restart policies", "pods", "v1beta1", (m) => { m.desiredState.manifest.restartPolicy = { always: {}, never: {} }; }, "Invalid", "data.desiredState.manifest.restartPolicy"],
  ["v1beta1: currentState sent by a client", "pods", "v1beta1", (m) => { m.currentState = { status: "Running" }; }, "Invalid", "data.currentState"],
  ["v1beta1: negative millicores", "pods", "v1beta1", (m) => { m.desiredState.manifest.containers[0].cpu = -5; }, "Invalid", "data.desiredState.manifest.containers[0].cpu"],
  ["v1beta1: duplicate container names", "pods", "v1beta1", (m) => { m.desiredState.manifest.containers.push(container); }, "Invalid", "data.desiredState.manifest.containers[1].name"],
  ["v1beta1: volumes (unsupported)", "pods", "v1beta1", (m) => { m.desiredState.manifest.volumes = []; }, "Invalid", "data.desiredState.manifest.volumes"],
  ["v1beta1: id disagreeing with the subject", "pods", "v1beta1", (m) => { m.id = "web-2"; delete m.desiredState.manifest.id; }, "BadRequest", "data.id"],
  ["v1beta1: namespace disagreeing with the subject", "replicationcontrollers", "v1beta1", (m) => { m.namespace = "prod"; }, "BadRequest", "data.namespace"],
  ["negative replicas", "replicationcontrollers", "v1", (m) => { m.spec.replicas = -1; }, "Invalid", "data.spec.replicas"],
  ["replicas as a string", "replicationcontrollers", "v1", (m) => { m.spec.replicas = "3"; }, "Invalid", "data.spec.replicas"],
  ["empty selector", "replicationcontrollers", "v1", (m) => { m.spec.selector = {}; }, "Invalid", "data.spec.selector"],
  ["template labels not matching the selector", "replicationcontrollers", "v1", (m) => { m.spec.template.metadata.labels = { app: "db" }; }, "Invalid", "data.spec.template.metadata.labels"],
  ["both template and templateRef", "replicationcontrollers", "v1", (m) => { m.spec.templateRef = { name: "web" }; }, "Invalid", "data.spec"],
  ["neither template nor templateRef", "replicationcontrollers", "v1", (m) => { delete m.spec.template; }, "Invalid", "data.spec"],
  ["template container without image", "replicationcontrollers", "v1", (m) => { m.spec.template.spec.containers = [{ name: "app" }]; }, "Invalid", "data.spec.template.spec.containers[0].image"],
  ["controller status sent by a client", "replicationcontrollers", "v1", (m) => { m.status = { replicas: 2 }; }, "Invalid", "data.status"],
  ["v1beta1: podTemplate labels not matching", "replicationcontrollers", "v1beta1", (m) => { m.desiredState.podTemplate.labels = {}; }, "Invalid", "data.desiredState.podTemplate.labels"],
  ["v1beta1: negative replicas", "replicationcontrollers", "v1beta1", (m) => { m.desiredState.replicas = -2; }, "Invalid", "data.desiredState.replicas"],
  ["template without spec", "podtemplates", "v1", (m) => { delete m.template.spec; }, "Invalid", "data.template.spec"],
  ["v1beta1: template container without image", "podtemplates", "v1beta1", (m) => { delete m.template.desiredState.manifest.containers[0].image; }, "Invalid", "data.template.desiredState.manifest.containers[0].image"],
  ["node conditions sent at registration", "nodes", "v1", (m) => { m.status.conditions = [{ type: "Ready", status: "True" }]; }, "Invalid", "data.status.conditions"],
  ["malformed capacity", "nodes", "v1", (m) => { m.status.capacity.memory = "lots"; }, "Invalid", "data.status.capacity.memory"],
  ["unknown address type", "nodes", "v1", (m) => { m.status.addresses = [{ type: "Public", address: "1.2.3.4" }]; }, "Invalid", "data.status.addresses[0].type"],
  ["unschedulable not a boolean", "nodes", "v1", (m) => { m.spec = { unschedulable: "yes" }; }, "Invalid", "data.spec.unschedulable"],
  ["namespace on a cluster-scoped kind", "nodes", "v1", (m) => { m.metadata.namespace = "default"; }, "BadRequest", "data.metadata.namespace"],
  ["v1beta1: malformed minion capacity", "nodes", "v1beta1", (m) => { m.resources.capacity.cpu = "four"; }, "Invalid", "data.resources.capacity.cpu"],
  ["v1beta1: minion conditions sent at registration", "nodes", "v1beta1", (m) => { m.status = { conditions: [] }; }, "Invalid", "data.status.conditions"],
  ["namespace name with a dot", "namespaces", "v1", (m) => { m.metadata.name = "a.b"; }, "Invalid", "data.metadata.name"],
  ["v1beta1: namespace status sent by a client", "namespaces", "v1beta1", (m) => { m.status = { phase: "Active" }; }, "Invalid", "data.status"],
  ["quota on an unknown resource", "resourcequotas", "v1", (m) => { m.spec.hard.gpus = "1"; }, "Invalid", "data.spec.hard.gpus"],
  ["negative quota", "resourcequotas", "v1", (m) => { m.spec.hard["requests.cpu"] = "-1"; }, "Invalid", "data.spec.hard.requests.cpu"],
  ["quota status sent by a client", "resourcequotas", "v1", (m) => { m.status = { used: {} }; }, "Invalid", "data.status"],
];

describe("bad manifests", () => {
  it("cover at least 40 distinct ways of being wrong", () => {
    expect(new Set(CASES.map(([what]) => what)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(Object.entries(BASE).flatMap(([r, vs]) => Object.entries(vs).map(([v, body]) => [r, v, body] as const)))("the base %s %s manifest is valid", (resource, version, body) => {
    const target = { namespace: RESOURCE_INFO[resource as Resource].clusterScoped ? "_" : "default", name: "web-1" };
    expect(() => (codecFor(resource as Resource) as AnyKindCodec).parseManifest(version as ApiVersion, body, target)).not.toThrow();
  });

  it.each(CASES)("%s (%s %s)", (_what, resource, version, breakIt, reason, field) => {
    const body = structuredClone(BASE[resource]?.[version] ?? {});
    const broken = breakIt(body) ?? body;
    const target = { namespace: RESOURCE_INFO[resource as Resource].clusterScoped ? "_" : "default", name: "web-1" };
    let error: unknown;
    try {
      (codecFor(resource) as AnyKindCodec).parseManifest(version, broken, target);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StatusError);
    const status = (error as StatusError).toStatus();
    expect({ reason: status.reason, field: status.details?.causes?.[0]?.field }).toEqual({ reason, field });
    expect(status.details?.causes?.[0]?.message).toBeTruthy();
  });
});
