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

const QUALIFIED_RULE = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN_RULE = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** Why `value` is not a qualified name, in the apiserver's words (apimachinery's IsQualifiedName), one message each. Pure. */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split("/");
  if (parts.length > 2) return [`a qualified name ${QUALIFIED_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const [prefix, name = ""] = parts.length === 2 ? parts : [undefined, parts[0]];
  const errors: string[] = [];
  if (prefix === "") errors.push("prefix part must be non-empty");
  else if (prefix !== undefined && prefix.length > 253) errors.push("prefix part must be no more than 253 characters");
  else if (prefix !== undefined && !SUBDOMAIN.test(prefix)) errors.push(`prefix part ${SUBDOMAIN_RULE}`);
  if (name === "") errors.push("name part must be non-empty");
  else if (name.length > 63) errors.push("name part must be no more than 63 characters");
  if (!NAME.test(name)) errors.push(`name part ${QUALIFIED_RULE}`);
  return errors;
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
