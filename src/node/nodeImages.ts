/**
 * The images a node holds, as the kubelet keeps them in `status.images`: every image a container of the node
 * started from, until no pod has used it for the image TTL (image garbage collection: the 2014 roadmap's, by age
 * rather than disk pressure, since the process runtime keeps no image files). Pure.
 */
import type { ContainerImage } from "../api/node.js";

/** When each image (normalized reference) was last used, in ms. */
export type ImageUsage = ReadonlyMap<string, number>;

/** The default image TTL: an image no pod has used for an hour is dropped. */
export const DEFAULT_IMAGE_TTL_MS = 60 * 60 * 1000;

/** `usage` with `inUse` marked used now, and images unused for longer than `ttlMs` dropped. Pure. */
export function collectImages(usage: ImageUsage, inUse: Iterable<string>, nowMs: number, ttlMs: number): Map<string, number> {
  const next = new Map([...usage].filter(([, last]) => nowMs - last <= ttlMs));
  for (const ref of inUse) next.set(ref, nowMs);
  return next;
}

/** When the first image of `usage` would be dropped if no pod used it again (undefined: none held). Pure. */
export function firstImageExpiryMs(usage: ImageUsage, ttlMs: number): number | undefined {
  let first: number | undefined;
  for (const last of usage.values()) if (first === undefined || last < first) first = last;
  return first === undefined ? undefined : first + ttlMs + 1;
}

/** The node's `status.images` for `usage`, by name (sizes unknown: 0). Pure. */
export function imageList(usage: ImageUsage): ContainerImage[] {
  return [...usage.keys()].sort().map((ref) => ({ names: [ref], sizeBytes: 0 }));
}
