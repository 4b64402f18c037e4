/**
 * A pod's volumes and its containers' mounts, as v1 declares them: `emptyDir`, `configMap`, `secret`,
 * `downwardAPI`, `projected` (one each; a projected one's sources each of one kind) and `persistentVolumeClaim` (a
 * claim of the pod's namespace, by name) sources, `items` choosing keys, modes; a mount names a volume of the pod, at a path no
 * other mount of the container takes. The checks and their messages are the apiserver's. What a node does
 * with them is the node's (src/node/volumes.ts).
 */
import { z } from "zod";
import { DnsLabel } from "./names.js";
import { ResourceQuantity } from "./quantity.js";
import { requiredString } from "./requiredString.js";

/** A file mode, as Kubernetes takes it: 0 to 0777. */
const Mode = z.number().int().min(0, "must be a number between 0 and 0777 (octal), both inclusive").max(0o777, "must be a number between 0 and 0777 (octal), both inclusive");

/** A relative path without `..`, where a key's file goes. */
const RelativePath = requiredString()
  .refine((p) => !p.startsWith("/"), "must be a relative path")
  .refine((p) => !p.split("/").includes(".."), "must not contain '..'")
  .refine((p) => !p.startsWith(".."), "must not start with '..'");

const KeyToPath = z.strictObject({ key: requiredString(), path: RelativePath, mode: Mode.optional() });

/** Where a volume's files come from. */
const SOURCES = ["emptyDir", "configMap", "secret", "downwardAPI", "projected", "persistentVolumeClaim"] as const;

const ConfigMapSource = { items: z.array(KeyToPath).optional(), optional: z.boolean().optional() };
const DownwardItems = z.array(z.strictObject({
  path: RelativePath,
  fieldRef: z.strictObject({ apiVersion: z.string().optional(), fieldPath: requiredString().refine((f) => f.startsWith("metadata."), "only metadata fields may be a volume's files") }),
  mode: Mode.optional(),
}));

/** One source of a projected volume (what Kubernetes gives every pod as its `kube-api-access-…` volume). */
const ProjectedSource = z.strictObject({
  serviceAccountToken: z.strictObject({
    path: RelativePath, audience: z.string().optional(),
    expirationSeconds: z.number().int().min(600, "may not specify a duration less than 10 minutes").max(2 ** 32, "may not specify a duration larger than 2^32 seconds").optional(),
  }).optional(),
  configMap: z.strictObject({ name: requiredString(), ...ConfigMapSource }).optional(),
  secret: z.strictObject({ name: requiredString(), ...ConfigMapSource }).optional(),
  downwardAPI: z.strictObject({ items: DownwardItems.optional() }).optional(),
}).superRefine((s, ctx) => {
  const given = (["serviceAccountToken", "configMap", "secret", "downwardAPI"] as const).filter((k) => s[k] !== undefined);
  if (given.length > 1) ctx.addIssue({ code: "custom", path: [], message: "Forbidden: may not specify more than 1 volume type" });
});

/** One volume of a pod: a name and exactly one source. */
export const Volume = z.strictObject({
  name: DnsLabel,
  emptyDir: z.strictObject({ medium: z.enum(["", "Memory"]).optional(), sizeLimit: ResourceQuantity.optional() }).optional(),
  configMap: z.strictObject({ name: requiredString(), ...ConfigMapSource, defaultMode: Mode.optional() }).optional(),
  secret: z.strictObject({ secretName: requiredString(), ...ConfigMapSource, defaultMode: Mode.optional() }).optional(),
  downwardAPI: z.strictObject({ items: DownwardItems.optional(), defaultMode: Mode.optional() }).optional(),
  projected: z.strictObject({ sources: z.array(ProjectedSource).optional(), defaultMode: Mode.optional() }).optional(),
  persistentVolumeClaim: z.strictObject({ claimName: requiredString(), readOnly: z.boolean().optional() }).optional(),
}).superRefine((v, ctx) => {
  const given = SOURCES.filter((s) => v[s] !== undefined);
  if (given.length === 0) ctx.addIssue({ code: "custom", path: [], message: "must specify a volume type" });
  if (given.length > 1) ctx.addIssue({ code: "custom", path: [given[1] ?? ""], message: "may not specify more than 1 volume type" });
});
export type Volume = z.infer<typeof Volume>;

/** The names of the claims a pod spec's volumes use, each once, in order (what the scheduler waits to see bound). Pure. */
export function podClaimNames(spec: { volumes?: readonly Volume[] | undefined }): string[] {
  return [...new Set((spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [])))];
}

/** Where a container sees a volume. */
export const VolumeMount = z.strictObject({
  name: requiredString(),
  mountPath: requiredString(),
  readOnly: z.boolean().optional(),
  subPath: z.string().refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must be a relative path without '..'").optional(),
});
export type VolumeMount = z.infer<typeof VolumeMount>;

/**
 * The checks across a pod's volumes and its containers' mounts: volume names unique, each mount naming a volume,
 * no two mounts of a container at one path, for init containers as for containers (paths `spec.volumes[1].name`,
 * `spec.containers[0].volumeMounts[0].name`). Pure.
 */
export function checkVolumeMounts(spec: MountingSpec, ctx: z.RefinementCtx): void {
  const names = new Set<string>();
  (spec.volumes ?? []).forEach((v, i) => {
    if (names.has(v.name)) ctx.addIssue({ code: "custom", path: ["volumes", i, "name"], message: `Duplicate value: "${v.name}"` });
    names.add(v.name);
  });
  for (const list of ["initContainers", "containers"] as const) {
    (spec[list] ?? []).forEach((c, ci) => {
      const paths = new Set<string>();
      (c.volumeMounts ?? []).forEach((m, mi) => {
        if (!names.has(m.name)) ctx.addIssue({ code: "custom", path: [list, ci, "volumeMounts", mi, "name"], message: `Not found: "${m.name}"` });
        if (paths.has(m.mountPath)) ctx.addIssue({ code: "custom", path: [list, ci, "volumeMounts", mi, "mountPath"], message: `Invalid value: "${m.mountPath}": must be unique` });
        paths.add(m.mountPath);
      });
    });
  }
}

/** The parts of a pod spec whose mounts `checkVolumeMounts` checks. */
type Mounting = readonly { volumeMounts?: readonly VolumeMount[] | undefined }[];
interface MountingSpec {
  volumes?: readonly Volume[] | undefined;
  containers: Mounting;
  initContainers?: Mounting | undefined;
}
