/**
 * What a container runs on the process runtime, as a container runtime would decide it from its image: the image's
 * entrypoint and default args from the cluster's image catalog (Image objects), overridden by the container's
 * `command` (which also drops the image's args, as Kubernetes does) and `args`. A container whose image the catalog
 * does not hold runs its own `command` on the host; without one there is nothing to run: ErrImagePull. Pure.
 */
import { normalizeImageRef, type ImageSpec } from "../api/image.js";
import type { Container } from "../api/podSpec.js";

/** Finds the catalog entry of a normalized image reference. */
export type ImageLookup = (normalizedRef: string) => ImageSpec | undefined;

/** What to start, or why the image cannot be had. */
export type Entrypoint =
  | { argv: string[]; workingDir?: string; env: Record<string, string>; image?: string }
  | { pullError: string };

/** An index of the catalog by normalized reference. Pure. */
export function imageIndex(images: readonly ImageSpec[]): ImageLookup {
  const byRef = new Map(images.map((i) => [normalizeImageRef(i.image), i]));
  return (ref) => byRef.get(ref);
}

/** The entrypoint of `container`. Pure. */
export function resolveEntrypoint(container: Pick<Container, "image" | "command" | "args">, lookup: ImageLookup): Entrypoint {
  const ref = normalizeImageRef(container.image);
  const image = lookup(ref);
  if (!image) {
    if (container.command && container.command.length > 0) return { argv: [...container.command, ...(container.args ?? [])], env: {} };
    return { pullError: `image "${ref}" is not in the image catalog (kubectl get images): register it as an Image, or give the container a command` };
  }
  const command = container.command && container.command.length > 0 ? container.command : image.command;
  const args = container.command && container.command.length > 0 ? container.args ?? [] : container.args ?? image.args ?? [];
  const env = Object.fromEntries((image.env ?? []).map((e) => [e.name, e.value]));
  return { argv: [...command, ...args], env, image: ref, ...(image.workingDir !== undefined ? { workingDir: image.workingDir } : {}) };
}
