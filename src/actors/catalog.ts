/** The command catalog: every command type, the kind it applies to, who may send it, and its data schema. */
import { z } from "zod";
import { manifestVersions } from "../api/jsonSchemas.js";
import { RESOURCE_INFO, type Resource } from "../api/kinds.js";
import type { SenderRole } from "./decider.js";
import type { AnyCommandType } from "./kindCommands.js";
import { ACTOR_KINDS, type ActorKinds } from "./registry.js";

/** One command of the catalog. */
export interface CatalogEntry {
  resource: Resource;
  kind: string;
  command: AnyCommandType;
  senders: readonly SenderRole[];
  /** For creates and updates: the data is a manifest (see `<kind>.<version>.json`); otherwise its JSON Schema. */
  data: { manifest: string[] } | { schema: object };
}

/** Every command of every kind in the registry, sorted by kind then command. Pure. */
export function commandCatalog(kinds: ActorKinds = ACTOR_KINDS): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  for (const [resource, kind] of Object.entries(kinds) as [Resource, NonNullable<ActorKinds[Resource]>][]) {
    const name = RESOURCE_INFO[resource].kind;
    for (const [command, spec] of Object.entries(kind.decider.commands)) {
      const file = name.toLowerCase();
      const data = spec.manifest
        ? { manifest: manifestVersions(resource).map((v) => `${file}.${v}.json`) }
        : { schema: z.toJSONSchema(spec.schema, { io: "input", unrepresentable: "any" }) };
      out.push({ resource, kind: name, command: command as AnyCommandType, senders: spec.senders, data });
    }
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.command.localeCompare(b.command));
}
