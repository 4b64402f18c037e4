/** `coxctl create -f` and `coxctl apply -f`: each document of the manifests becomes Create<Kind> (apply: or Update<Kind>). */
import { untypedCommand } from "../../nats/commandClient.js";
import { isDeepStrictEqual } from "node:util";
import { codecFor } from "../../api/codecs.js";
import { namespaceOf, withClient, type Client, type CoxctlFlags } from "./context.js";
import { CoxctlError, forEachReporting } from "./errors.js";
import { singularOf } from "./kinds.js";
import { createCommandOf, updateCommandOf } from "../../api/manifestCommands.js";
import { readManifests, toManifestObject, type ManifestObject } from "./manifests.js";

/** The flags of `create` and `apply`. */
export interface CreateFlags extends CoxctlFlags {
  filename: string[];
}

/**
 * True when applying the manifest would change nothing: the same labels and annotations, and the same spec (template,
 * registration status) as the object has, the manifest's defaults applied. What the system sets and the manifest does
 * not say (a pod's node, a node's conditions) is left out of the comparison. A manifest that does not parse is "changed":
 * the server then says what is wrong with it. Pure.
 */
export function isUnchanged(o: ManifestObject, existing: Record<string, unknown>): boolean {
  let parsed: Record<string, unknown>;
  try {
    parsed = codecFor(o.resource).parseManifest(o.apiVersion, o.data, { namespace: o.ref.namespace, name: o.ref.name }) as unknown as Record<string, unknown>;
  } catch {
    return false;
  }
  const meta = (x: unknown) => (x ?? {}) as { labels?: unknown; annotations?: unknown };
  const [m, e] = [meta(parsed.metadata), meta(existing.metadata)];
  if (!isDeepStrictEqual(m.labels ?? {}, e.labels ?? {}) || !isDeepStrictEqual(m.annotations ?? {}, e.annotations ?? {})) return false;
  return Object.keys(parsed).filter((k) => k !== "metadata").every((k) => covers(parsed[k], existing[k], (o.resource === "pods" && k === "spec") || o.resource === "nodes"));
}

/** Equal, except that keys the object has and the manifest lacks are ignored at the top level when `lenient`. */
function covers(wanted: unknown, actual: unknown, lenient: boolean): boolean {
  if (!lenient || !wanted || typeof wanted !== "object" || !actual || typeof actual !== "object") return isDeepStrictEqual(wanted, actual);
  const a = actual as Record<string, unknown>;
  return Object.entries(wanted).every(([k, v]) => isDeepStrictEqual(v, a[k]));
}

/** What happened to one object. */
type Outcome = "created" | "configured" | "unchanged";

/**
 * Runs `create` (mode "create") or `apply`. Every document is read and resolved before anything is sent, so a file
 * that does not parse changes nothing; then each object is sent in order, a rejection reported and the rest still sent.
 */
export async function createOrApply(mode: "create" | "apply", flags: CreateFlags): Promise<void> {
  const objects = loadObjects(flags);
  await withClient(flags, async (client) => {
    await forEachReporting(objects, async (o) => {
      const outcome = mode === "create" ? await create(client, o) : await apply(client, o);
      process.stdout.write(`${singularOf(o.resource)}/${o.ref.name} ${outcome}\n`);
    });
  });
}

/** The objects of the `-f` manifests, resolved against `-n`. */
export function loadObjects(flags: CreateFlags): ManifestObject[] {
  if (flags.filename.length === 0) throw new CoxctlError("must specify one of -f and -k");
  return readManifests(flags.filename).map((d) => toManifestObject(d, namespaceOf(flags), flags.namespace !== undefined));
}

async function create(client: Client, o: ManifestObject): Promise<Outcome> {
  await client.send(o.ref, untypedCommand({ type: createCommandOf(o.resource), apiVersion: o.apiVersion, data: o.data }));
  return "created";
}

async function apply(client: Client, o: ManifestObject): Promise<Outcome> {
  const existing = await client.reads.get(o.resource, o.ref.namespace, o.ref.name).catch((err: unknown) => {
    if ((err as { reason?: string }).reason === "NotFound") return null;
    throw err;
  });
  if (existing === null) return create(client, o);
  if (isUnchanged(o, existing)) return "unchanged";
  const update = updateCommandOf(o.resource);
  if (!update) {
    throw new CoxctlError(`${singularOf(o.resource)}/${o.ref.name} exists and ${o.resource} cannot be updated in place: delete it and create it again`);
  }
  const reply = await client.send(o.ref, untypedCommand({ type: update, apiVersion: o.apiVersion, data: o.data }));
  return reply.events.length === 0 ? "unchanged" : "configured";
}
