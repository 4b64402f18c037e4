/**
 * UpdatePod: what a user may change of a pod that exists, as in Kubernetes: its labels, annotations and finalizers
 * (an update without them keeps them; none added while it is being deleted), the image of each container and init
 * container, and its scheduling gates, which may only be taken away. Any other change of the
 * spec is refused as Invalid, naming the field. Pure.
 */
import type { Pod, PodManifest } from "../../api/pod.js";
import { dropUndefined } from "../../api/objectMeta.js";
import { invalidField, requireNoNewFinalizers, sameValue } from "../decisions.js";

/** PodUpdated: labels and annotations replaced whole (absent: removed), new images by container name, and the gates left. */
export interface PodUpdatedData {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  images?: Record<string, string>;
  /** The scheduling gates the pod keeps (fewer than it had; empty: none left). */
  schedulingGates?: { name: string }[];
  /** Its finalizers, when they changed (empty: none left). */
  finalizers?: string[];
}

/** Refuses a gate the pod did not have (only deletion is allowed), naming it as the apiserver does. */
function checkGates(name: string, wanted: readonly { name: string }[], current: readonly { name: string }[]): void {
  const added = wanted.findIndex((g) => !current.some((c) => c.name === g.name));
  if (added >= 0) {
    throw invalidField(RESOURCE, name, `data.spec.schedulingGates[${added}].name`, `Forbidden: only deletion is allowed, but found new scheduling gate '${wanted[added]!.name}'`);
  }
}

const RESOURCE = "pods";
const FORBIDDEN = "Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`";

/** `list` with each container's image set to the current one of the same place in `current` (the images left out of a comparison). */
function currentImages<C extends { name: string; image: string }>(list: readonly C[] | undefined, current: readonly C[] | undefined): C[] | undefined {
  return list?.map((c, i) => ({ ...c, image: current?.[i]?.image ?? c.image }));
}

/** The new image of each container of `list` whose image differs from the same place in `current`, by name. */
function changedImages(list: readonly { name: string; image: string }[] | undefined, current: readonly { image: string }[] | undefined): [string, string][] {
  return (list ?? []).filter((c, i) => c.image !== current?.[i]?.image).map((c) => [c.name, c.image]);
}

/** The PodUpdated event for an update, or none when nothing changes; throws Invalid for a forbidden change. */
export function decideUpdate(pod: Pod, manifest: PodManifest): { type: "PodUpdated"; data: PodUpdatedData }[] {
  const name = pod.metadata.name;
  const wanted = manifest.spec;
  const current = pod.spec;
  if (wanted.containers.length !== current.containers.length || wanted.containers.some((c, i) => c.name !== current.containers[i]?.name)) {
    throw invalidField(RESOURCE, name, "data.spec.containers", FORBIDDEN);
  }
  const gates = wanted.schedulingGates ?? [];
  checkGates(name, gates, current.schedulingGates ?? []);
  const withImages = {
    ...wanted, nodeName: wanted.nodeName ?? current.nodeName, schedulingGates: current.schedulingGates,
    containers: currentImages(wanted.containers, current.containers), initContainers: currentImages(wanted.initContainers, current.initContainers),
  };
  if (!sameValue(dropUndefined(withImages), dropUndefined({ ...current }))) throw invalidField(RESOURCE, name, "data.spec", FORBIDDEN);
  const images = Object.fromEntries([...changedImages(wanted.containers, current.containers), ...changedImages(wanted.initContainers, current.initContainers)]);
  const { labels, annotations } = manifest.metadata;
  const schedulingGates = gates.length !== (current.schedulingGates ?? []).length ? gates : undefined;
  const had = pod.metadata.finalizers ?? [];
  const kept = manifest.metadata.finalizers ?? had;
  if (pod.metadata.deletionTimestamp !== undefined) requireNoNewFinalizers(RESOURCE, name, kept, had);
  const finalizers = sameValue(kept, had) ? undefined : kept;
  const change = dropUndefined({ labels, annotations, images: Object.keys(images).length > 0 ? images : undefined, schedulingGates, finalizers });
  const before = dropUndefined({ labels: pod.metadata.labels, annotations: pod.metadata.annotations });
  const same = sameValue(dropUndefined({ labels, annotations }), before) && change.images === undefined && schedulingGates === undefined && finalizers === undefined;
  return same ? [] : [{ type: "PodUpdated", data: change }];
}

/** The pod after a PodUpdated event. Pure. */
export function applyUpdate(pod: Pod, data: PodUpdatedData): Pod {
  const finalizers = data.finalizers === undefined ? pod.metadata.finalizers : data.finalizers.length > 0 ? data.finalizers : undefined;
  const metadata = dropUndefined({ ...pod.metadata, labels: data.labels, annotations: data.annotations, finalizers });
  const images = data.images ?? {};
  const withImage = <C extends { name: string; image: string }>(c: C): C => (images[c.name] !== undefined ? { ...c, image: images[c.name] as string } : c);
  const initContainers = pod.spec.initContainers?.map(withImage);
  const spec = { ...pod.spec, containers: pod.spec.containers.map(withImage), ...(initContainers ? { initContainers } : {}) };
  if (data.schedulingGates !== undefined) {
    if (data.schedulingGates.length > 0) spec.schedulingGates = data.schedulingGates;
    else delete spec.schedulingGates;
  }
  return { ...pod, metadata, spec };
}
