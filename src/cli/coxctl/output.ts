/** The output formats of `get` (`-o wide|json|yaml|name`, default a table), shared by every verb that prints objects. */
import { stringify } from "yaml";
import type { Resource } from "../../api/kinds.js";
import { CoxctlError } from "./errors.js";
import { tableOf } from "./columns.js";
import { singularOf } from "./kinds.js";
import { formatTable } from "./table.js";

/** The formats of `-o`. */
export const OUTPUT_FORMATS = ["table", "wide", "json", "yaml", "name"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Checks an `-o` value (absent: table). Pure. */
export function outputFormatOf(value: string | undefined): OutputFormat {
  const v = value ?? "table";
  if ((OUTPUT_FORMATS as readonly string[]).includes(v)) return v as OutputFormat;
  throw new CoxctlError(`unable to match a printer suitable for the output format "${v}", allowed formats are: ${OUTPUT_FORMATS.filter((f) => f !== "table").join(",")}`);
}

/** `pod/web`. Pure. */
export function nameOf(resource: Resource, object: Record<string, unknown>): string {
  return `${singularOf(resource)}/${String((object.metadata as { name?: unknown } | undefined)?.name ?? "")}`;
}

/**
 * Renders objects of one kind. `single` prints one object as itself in json/yaml rather than as a List.
 * An empty table is "No resources found." (the caller prints it to stderr, like kubectl). Pure.
 */
export function renderObjects(
  resource: Resource, objects: Record<string, unknown>[],
  opts: { format: OutputFormat; single?: boolean; withNamespace?: boolean; now: Date },
): string {
  switch (opts.format) {
    case "json":
      return `${JSON.stringify(asDocument(objects, opts.single), null, 2)}\n`;
    case "yaml":
      return stringify(asDocument(objects, opts.single));
    case "name":
      return objects.map((o) => `${nameOf(resource, o)}\n`).join("");
    case "table":
    case "wide":
      return formatTable(tableOf(resource, objects, { wide: opts.format === "wide", withNamespace: opts.withNamespace ?? false, now: opts.now }));
    default: {
      const never: never = opts.format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

function asDocument(objects: Record<string, unknown>[], single: boolean | undefined): unknown {
  if (single && objects.length === 1) return objects[0];
  return { apiVersion: "v1", kind: "List", items: objects };
}
