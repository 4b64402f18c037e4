/**
 * The downward API's resource fields (`env[].valueFrom.resourceFieldRef`): a container's request or limit of CPU,
 * memory or ephemeral storage (or huge pages), divided by `divisor` and rounded up, as the kubelet gives it. The
 * schema checks the apiserver's rules; `resourceFieldValue` is the kubelet's arithmetic. Pure.
 */
import { z } from "zod";
import { ResourceQuantity, milliValue, parseQuantity, unitValue } from "./quantity.js";

/** The resources a variable may read (and `requests.hugepages-<size>`, `limits.hugepages-<size>`), in the apiserver's order. */
export const RESOURCE_FIELDS = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"] as const;

/** The divisors the apiserver takes for CPU, and for memory and ephemeral storage. */
const CPU_DIVISORS = new Set(["1m", "1"]);
const BYTE_DIVISORS = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];
const DIVISOR_RULES: Record<string, { allowed: ReadonlySet<string>; words: string }> = {
  cpu: { allowed: CPU_DIVISORS, words: "only divisor's values 1m and 1 are supported with the cpu resource" },
  memory: { allowed: new Set(BYTE_DIVISORS), words: `only divisor's values ${BYTE_DIVISORS.join(", ")} are supported with the memory resource` },
  "ephemeral-storage": {
    allowed: new Set(BYTE_DIVISORS), words: `only divisor's values ${BYTE_DIVISORS.join(", ")} are supported with the local ephemeral storage resource`,
  },
};

/** True when `resource` is one a variable may read. Pure. */
function readable(resource: string): boolean {
  return (RESOURCE_FIELDS as readonly string[]).includes(resource) || /^(requests|limits)\.hugepages-.+$/.test(resource);
}

/** A container's resource, as a variable reads it: `containerName` (default: the variable's own container), `resource`, `divisor`. */
export const ResourceFieldSelector = z.strictObject({
  containerName: z.string().optional(),
  resource: z.string(),
  divisor: ResourceQuantity.optional(),
}).superRefine((s, ctx) => {
  if (s.resource === "") return ctx.addIssue({ code: "custom", path: ["resource"], message: "Required value" });
  if (!readable(s.resource)) {
    return ctx.addIssue({ code: "custom", path: ["resource"], message: `Unsupported value: "${s.resource}": supported values: ${RESOURCE_FIELDS.map((f) => `"${f}"`).join(", ")}` });
  }
  const rule = DIVISOR_RULES[s.resource.slice(s.resource.indexOf(".") + 1)];
  // A divisor of 0 is the apiserver's "not set".
  if (rule && s.divisor !== undefined && s.divisor !== "0" && !rule.allowed.has(s.divisor)) {
    ctx.addIssue({ code: "custom", path: ["divisor"], message: `Invalid value: "${s.resource}": ${rule.words}` });
  }
});
export type ResourceFieldSelector = z.infer<typeof ResourceFieldSelector>;

/** Requests and limits, as a container's `resources` holds them (canonical quantity strings). */
interface Resources {
  requests?: Readonly<Record<string, string | undefined>> | undefined;
  limits?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * The value of `selector` for a container with `resources`, as the kubelet computes it: CPU in cores (or thousandths
 * with divisor `1m`), others in bytes over the divisor, rounded up. A limit not set is the node's `allocatable`
 * amount; a request not set is its limit as given (the apiserver's default), else 0. Pure.
 */
export function resourceFieldValue(selector: ResourceFieldSelector, resources: Resources | undefined, allocatable: Readonly<Record<string, string | undefined>> = {}): string {
  const dot = selector.resource.indexOf(".");
  const kind = selector.resource.slice(0, dot);
  const name = selector.resource.slice(dot + 1);
  const given = kind === "limits" ? resources?.limits?.[name] ?? allocatable[name] : resources?.requests?.[name] ?? resources?.limits?.[name];
  const amount = parseQuantity(given ?? "0");
  const divisor = parseQuantity(selector.divisor === undefined || selector.divisor === "0" ? "1" : selector.divisor);
  const [value, per] = name === "cpu" ? [milliValue(amount), milliValue(divisor)] : [unitValue(amount), unitValue(divisor)];
  const whole = value / per + (value % per > 0n ? 1n : 0n);
  return String(whole);
}
