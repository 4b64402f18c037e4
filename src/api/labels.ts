/**
 * Label and annotation maps, validated as Kubernetes validates them: keys are qualified names
 * (`[prefix/]name`), label values are at most 63 characters of `[A-Za-z0-9]` with `-_.` inside,
 * and a map of annotations holds at most 256 KiB in total.
 */
import { z } from "zod";

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_RULE = "at most 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

/** The most bytes (keys and values together) one object's annotations may hold. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Why `key` is not a qualified name (`[prefix/]name`, as label and annotation keys are), or undefined when it is one. Pure. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split("/");
  if (parts.length > 2) return `key "${key}" must be a name with an optional DNS subdomain prefix and one '/'`;
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !SUBDOMAIN.test(prefix))) {
    return `key prefix "${prefix}" must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' and '.'`;
  }
  if (!name || name.length > 63 || !NAME.test(name)) return `key name "${name ?? ""}" must be ${NAME_RULE}`;
  return undefined;
}

/** A label value: empty, or at most 63 characters of letters and digits with `-_.` inside. */
export const LabelValue = z
  .string()
  .max(63, "a label value must be no more than 63 characters")
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, `a label value must be empty or ${NAME_RULE}`);

function checkKeys(map: Record<string, string>, ctx: z.RefinementCtx): void {
  for (const key of Object.keys(map)) {
    const problem = qualifiedNameProblem(key);
    // An empty key cannot be named by its own path, so the map is named instead.
    if (problem) ctx.addIssue({ code: "custom", path: key === "" ? [] : [key], message: problem });
  }
}

/** Labels (and label selectors given as a map): qualified-name keys, label values. */
export const Labels = z.record(z.string(), LabelValue).superRefine(checkKeys);

const utf8 = new TextEncoder();

/** Annotations: qualified-name keys, any string values, at most 256 KiB in total. */
export const Annotations = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  checkKeys(map, ctx);
  const bytes = Object.entries(map).reduce((n, [k, v]) => n + utf8.encode(k).length + utf8.encode(v).length, 0);
  if (bytes > MAX_ANNOTATIONS_BYTES) {
    ctx.addIssue({ code: "custom", path: [], message: `annotations hold ${bytes} bytes in total; the limit is ${MAX_ANNOTATIONS_BYTES} (256 KiB)` });
  }
});
