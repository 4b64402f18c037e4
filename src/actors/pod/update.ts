/**
 * UpdatePod: what a user may change of a pod that exists, as in Kubernetes: its labels and annotations, and the
 * image of each container. Any other change of the spec is refused as Invalid, naming the field. Pure.
 */
import type { Pod, PodManifest } from "../../api/pod.js";
import { dropUndefined } from "../../api/objectMeta.js";
import { invalidField, sameValue } from "../decisions.js";

/** PodUpdated: labels and annotations replaced whole (absent: removed), and new images by container name. */
export interface PodUpdatedData {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  images?: Record<string, string>;
}

const RESOURCE = "pods";
const FORBIDDEN = "Forbidden: pod updates may not change fields other than `spec.containers[*].image`";

/** The PodUpdated event for an update, or none when nothing changes; throws Invalid for a forbidden change. */
export function decideUpdate(pod: Pod, manifest: PodManifest): { type: "PodUpdated"; data: PodUpdatedData }[] {
  const name = pod.metadata.name;
  const wanted = manifest.spec;
  const current = pod.spec;
  if (wanted.containers.length !== current.containers.length || wanted.containers.some((c, i) => c.name !== current.containers[i]?.name)) {
    throw invalidField(RESOURCE, name, "data.spec.containers", FORBIDDEN);
  }
  const withImages = { ...wanted, nodeName: wanted.nodeName ?? current.nodeName, containers: wanted.containers.map((c, i) => ({ ...c, image: current.containers[i]?.image ?? c.image })) };
  if (!sameValue(dropUndefined(withImages), dropUndefined({ ...current }))) throw invalidField(RESOURCE, name, "data.spec", FORBIDDEN);
  const images = Object.fromEntries(wanted.containers.filter((c, i) => c.image !== current.containers[i]?.image).map((c) => [c.name, c.image]));
  const { labels, annotations } = manifest.metadata;
  const change = dropUndefined({ labels, annotations, images: Object.keys(images).length > 0 ? images : undefined });
  const before = dropUndefined({ labels: pod.metadata.labels, annotations: pod.metadata.annotations });
  const same = sameValue(dropUndefined({ labels, annotations }), before) && change.images === undefined;
  return same ? [] : [{ type: "PodUpdated", data: change }];
}

/** The pod after a PodUpdated event. Pure. */
export function applyUpdate(pod: Pod, data: PodUpdatedData): Pod {
  const metadata = dropUndefined({ ...pod.metadata, labels: data.labels, annotations: data.annotations });
  const images = data.images ?? {};
  const containers = pod.spec.containers.map((c) => (images[c.name] !== undefined ? { ...c, image: images[c.name] as string } : c));
  return { ...pod, metadata, spec: { ...pod.spec, containers } };
}
