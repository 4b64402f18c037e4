/**
 * coxswain.io/v1 Image: the image catalog. The process runtime has no container images; an Image says what a
 * container of that image runs (its entrypoint, default args, working folder and environment), so a manifest with
 * only `image` and `args` runs as it would under a container runtime. Cluster-scoped, so every node agent sees it.
 */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";

/** The Image's spec. */
export const ImageSpec = z.strictObject({
  /** The reference containers name: `docker.io/library/nginx:1.9`, `nginx`, `registry:5000/team/app@sha256:…`. */
  image: z.string().min(1).max(512),
  /** The entrypoint (a container's `command` overrides it). */
  command: z.array(z.string()).min(1, "an image needs an entrypoint"),
  /** Default arguments (a container's `args` override them). */
  args: z.array(z.string()).optional(),
  /** The folder the entrypoint runs in; relative paths are resolved against the node agent's working folder. */
  workingDir: z.string().optional(),
  env: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })).optional(),
});
export type ImageSpec = z.infer<typeof ImageSpec>;

/** The Image codec and schemas. */
export const image = groupKindCodec({ resource: "images", kind: "Image", apiVersion: "coxswain.io/v1", clusterScoped: true, fields: { spec: ImageSpec } });
export const imageCodec = image.codec;

/**
 * The canonical form of an image reference, as container runtimes read it: registry `docker.io` and tag
 * `latest` when absent, `library/` for official images (`nginx` ≡ `docker.io/library/nginx:latest`). Pure.
 */
export function normalizeImageRef(ref: string): string {
  const [named, digest] = ref.split("@") as [string, string | undefined];
  const slash = named.indexOf("/");
  const first = slash < 0 ? "" : named.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let path = hasRegistry ? named.slice(slash + 1) : named;
  const registry = hasRegistry ? first : "docker.io";
  const lastSlash = path.lastIndexOf("/");
  const colon = path.lastIndexOf(":");
  const tagged = colon > lastSlash;
  if (!tagged && digest === undefined) path = `${path}:latest`;
  if (registry === "docker.io" && !path.includes("/")) path = `library/${path}`;
  return `${registry}/${path}${digest !== undefined ? `@${digest}` : ""}`;
}

/** The Image columns: NAME IMAGE COMMAND AGE. */
export const imageColumns = [
  nameColumn(),
  column<{ spec: ImageSpec }>("Image", "string", 0, "The image reference containers name.", (o) => o.spec.image),
  column<{ spec: ImageSpec }>("Command", "string", 0, "The entrypoint it runs.", (o) => [...o.spec.command, ...(o.spec.args ?? [])].join(" ")),
  ageColumn(),
];
