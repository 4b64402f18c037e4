/**
 * The pure half of `rolling-update`: the new controller's name and manifest, how the old one lets go of its pods when
 * its selector would also match the new ones, and which pods count as old. The I/O loop is in rollingUpdate.ts.
 */
import { createHash } from "node:crypto";
import type { Pod } from "../../api/pod.js";
import { selectorMatches, type ReplicationController } from "../../api/replicationController.js";
import { isActive } from "../../controllers/pods.js";
import type { ManifestOf } from "../../nats/commandClient.js";
import { CoxctlError } from "./errors.js";

/** The manifest CreateReplicationController and UpdateReplicationController take. */
type RcManifest = ManifestOf<"replicationcontrollers">;

/** The label that tells the pods of one rollout from another (Kubernetes 1.0 used `deployment` too). */
export const DEPLOYMENT_LABEL = "deployment";
/** On the new RC: the name of the RC it replaces (how a second run finds a half-done update). */
export const FROM_ANNOTATION = "coxswain.io/rolling-update-from";
/** On the new RC: the replica count to reach (the old RC's when the update began). */
export const DESIRED_ANNOTATION = "coxswain.io/desired-replicas";
/** On the new RC: the old RC's selector when the update began, `k=v,k=v` (it finds the old pods even after the old RC let go). */
export const OLD_SELECTOR_ANNOTATION = "coxswain.io/old-selector";

type Template = NonNullable<ReplicationController["spec"]["template"]>;

/** `k=v,k=v`. Pure. */
export function selectorString(selector: Record<string, string>): string {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(",");
}

/** The inverse of selectorString. Pure. */
export function parseSelectorString(s: string): Record<string, string> {
  return Object.fromEntries(s.split(",").filter(Boolean).map((kv) => { const i = kv.indexOf("="); return [kv.slice(0, i), kv.slice(i + 1)]; }));
}

/** The template with `image` in container `container` (default: the only one). Pure. */
export function withImage(template: Template, image: string, container: string | undefined): Template {
  const names = template.spec.containers.map((c) => c.name);
  const target = container ?? (names.length === 1 ? names[0] : undefined);
  if (target === undefined) throw new CoxctlError(`the pods have several containers (${names.join(", ")}): say which with --container`);
  if (!names.includes(target)) throw new CoxctlError(`no container "${target}" in the template (${names.join(", ")})`);
  return { ...template, spec: { ...template.spec, containers: template.spec.containers.map((c) => (c.name === target ? { ...c, image } : c)) } };
}

/** Eight hex digits of a template's content, without its deployment label (so a run and its rerun agree). Pure. */
export function templateHash(template: Template): string {
  const labels = { ...template.metadata.labels };
  delete labels[DEPLOYMENT_LABEL];
  return createHash("sha256").update(JSON.stringify({ labels, spec: template.spec })).digest("hex").slice(0, 8);
}

/**
 * `<base>-<hash>`, cut so that the whole is a DNS label. The base is the old name without the hash an earlier
 * rolling-update gave it (`web-1a2b3c4d` → `web`), so names do not grow with every update. Pure.
 */
export function newRcName(oldName: string, hash: string, oldHash?: string): string {
  const base = oldHash && oldName.endsWith(`-${oldHash}`) ? oldName.slice(0, -oldHash.length - 1) : oldName;
  return `${base.slice(0, 63 - hash.length - 1).replace(/[-.]+$/, "")}-${hash}`;
}

/** The manifest of the new RC: replicas 0, the deployment label added to selector and template, the annotations. Pure. */
export function newRcManifest(old: ReplicationController, image: string, container: string | undefined): { name: string; data: RcManifest } {
  if (!old.spec.template) throw new CoxctlError(`rc/${old.metadata.name} uses a templateRef: rolling-update needs an inline template`);
  const template = withImage(old.spec.template, image, container);
  const hash = templateHash(template);
  const name = newRcName(old.metadata.name, hash, old.spec.selector[DEPLOYMENT_LABEL]);
  const selector = { ...old.spec.selector, [DEPLOYMENT_LABEL]: hash };
  const annotations = {
    [FROM_ANNOTATION]: old.metadata.name, [DESIRED_ANNOTATION]: String(old.spec.replicas), [OLD_SELECTOR_ANNOTATION]: selectorString(old.spec.selector),
  };
  const newTemplate = { ...template, metadata: { ...template.metadata, labels: { ...template.metadata.labels, [DEPLOYMENT_LABEL]: hash } } };
  return {
    name,
    data: {
      metadata: { name, namespace: old.metadata.namespace, ...(old.metadata.labels ? { labels: old.metadata.labels } : {}), annotations },
      spec: { replicas: 0, selector, template: newTemplate },
    },
  };
}

/** True when the old RC's selector also matches the new pods, so that the two would fight over them. Pure. */
export function overlaps(old: ReplicationController, next: ReplicationController): boolean {
  return selectorMatches(old.spec.selector, next.spec.template?.metadata.labels);
}

/**
 * The old RC made to let go of its pods without killing or replacing any: replicas 0, and a selector (and template)
 * with a deployment label no pod has. Its pods are then retired one by one directly. Pure.
 */
export function detachedOldManifest(old: ReplicationController): RcManifest {
  const template = old.spec.template;
  if (!template) throw new CoxctlError(`rc/${old.metadata.name} uses a templateRef`);
  const tag = `${templateHash(template)}-old`;
  return {
    metadata: { name: old.metadata.name, namespace: old.metadata.namespace, ...(old.metadata.labels ? { labels: old.metadata.labels } : {}), ...(old.metadata.annotations ? { annotations: old.metadata.annotations } : {}) },
    spec: {
      replicas: 0, selector: { ...old.spec.selector, [DEPLOYMENT_LABEL]: tag },
      template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata.labels, [DEPLOYMENT_LABEL]: tag } } },
    },
  };
}


/** The old pods still running: active, matching the old selector, not the new one; the ones to retire first come first. Pure. */
export function oldPods(pods: Pod[], oldSelector: Record<string, string>, newSelector: Record<string, string>): Pod[] {
  return pods
    .filter((p) => isActive(p) && selectorMatches(oldSelector, p.metadata.labels) && !selectorMatches(newSelector, p.metadata.labels))
    .sort((a, b) => Number(a.status.phase === "Running") - Number(b.status.phase === "Running") || a.metadata.name.localeCompare(b.metadata.name));
}

/** The new pods that are up: active and Running. Pure. */
export function runningNewPods(pods: Pod[], newSelector: Record<string, string>): number {
  return pods.filter((p) => isActive(p) && p.status.phase === "Running" && selectorMatches(newSelector, p.metadata.labels)).length;
}
