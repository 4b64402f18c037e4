/**
 * Reading manifests for `create -f`, `apply -f` and `delete -f`: a file, a folder (its .yaml, .yml and .json files, in
 * name order) or `-` (stdin); YAML with several documents, JSON objects or arrays, and `kind: List` are all split into
 * single objects, each turned into the entity it names.
 */
import { isDnsLabel, isDnsSubdomain } from "../../api/names.js";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { isApiVersion, type ApiVersion } from "../../api/codec.js";
import { apiVersionOf, CLUSTER_NS, RESOURCE_INFO, resourceOfKind, type EntityRef, type Resource } from "../../api/kinds.js";
import { CoxctlError } from "./errors.js";

/** One document of a manifest file, with where it came from (for messages). */
export interface ManifestDocument {
  source: string;
  body: unknown;
}

/** A document resolved to its entity: what to send the commands to, in which apiVersion, with which data. */
export interface ManifestObject {
  source: string;
  resource: Resource;
  ref: EntityRef;
  apiVersion: ApiVersion;
  data: Record<string, unknown>;
}

const EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Splits a file's text into its documents: JSON (object, array, List) or YAML (`---` separated). Pure. */
export function splitDocuments(text: string, source: string): ManifestDocument[] {
  const trimmed = text.trimStart();
  let bodies: unknown[];
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      const json: unknown = JSON.parse(text);
      bodies = Array.isArray(json) ? json : [json];
    } catch (err) {
      throw new CoxctlError(`error parsing ${source}: ${(err as Error).message}`);
    }
  } else {
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) {
      const e = d.errors[0];
      if (e) throw new CoxctlError(`error parsing ${source}: ${(e.message.split("\n")[0] ?? e.message).replace(/:$/, "")}`);
    }
    bodies = list.map((d) => d.toJS() as unknown).filter((b) => b !== null && b !== undefined);
  }
  return bodies.flatMap((body) => expandList(body)).map((body) => ({ source, body }));
}

function expandList(body: unknown): unknown[] {
  const o = body as { kind?: unknown; items?: unknown } | null;
  if (o && typeof o === "object" && typeof o.kind === "string" && o.kind.endsWith("List") && Array.isArray(o.items)) return o.items;
  return [body];
}

/** Reads `-f` targets: files, folders (one level, .yaml/.yml/.json) and `-` for stdin. Does I/O. */
export function readManifests(paths: readonly string[], stdin: () => string = () => readFileSync(0, "utf8")): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  for (const path of paths) {
    if (path === "-") {
      out.push(...splitDocuments(stdin(), "<stdin>"));
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new CoxctlError(`the path "${path}" does not exist`);
    }
    const files = isDir ? readdirSync(path).filter((f) => EXTENSIONS.has(extname(f))).sort().map((f) => join(path, f)) : [path];
    for (const f of files) out.push(...splitDocuments(readFileSync(f, "utf8"), f));
  }
  if (out.length === 0) throw new CoxctlError(`no objects found in ${paths.join(", ")}`);
  return out;
}

/**
 * Resolves a document to its entity. The namespace is the document's, else `namespace` (the `-n` flag or `default`);
 * a document naming another namespace than an explicit `-n` is refused, as kubectl does. Pure.
 */
export function toManifestObject(doc: ManifestDocument, namespace: string, explicitNamespace: boolean): ManifestObject {
  const fail = (message: string) => new CoxctlError(`error validating ${doc.source}: ${message}`);
  const body = doc.body;
  if (!body || typeof body !== "object" || Array.isArray(body)) throw fail("a manifest must be an object");
  const o = body as Record<string, unknown>;
  if (typeof o.kind !== "string") throw fail("kind not set");
  const resource = resourceOfKind(o.kind === "Minion" ? "Node" : o.kind);
  // A kind of a named group (apps/v1 Deployment) travels as the wire's v1, its manifest keeping its own apiVersion.
  const groupVersion = resource && RESOURCE_INFO[resource].group !== "" ? apiVersionOf(RESOURCE_INFO[resource]) : undefined;
  const apiVersion = o.apiVersion === undefined || o.apiVersion === groupVersion ? "v1" : o.apiVersion;
  if (!isApiVersion(apiVersion)) throw fail(`apiVersion "${String(apiVersion)}" is not supported (${groupVersion ?? "v1 or v1beta1"})`);
  if (!resource) throw fail(`no kind "${o.kind}" is registered for version "${apiVersion}"`);
  const meta = apiVersion === "v1" ? ((o.metadata ?? {}) as Record<string, unknown>) : o;
  const name = apiVersion === "v1" ? meta.name : o.id;
  const nameField = apiVersion === "v1" ? "metadata.name" : "id";
  if (typeof name !== "string" || name === "") throw fail(`${nameField}: resource name may not be empty`);
  // The name becomes a subject token: say what is wrong with it here, not as a subject error from the server.
  if (RESOURCE_INFO[resource].labelNames || apiVersion !== "v1" ? !isDnsLabel(name) : !isDnsSubdomain(name)) {
    const words = RESOURCE_INFO[resource].labelNames || apiVersion !== "v1" ? "a DNS-1123 label (lowercase letters, digits and \"-\", at most 63)" : "a DNS-1123 subdomain (DNS-1123 labels joined by \".\", at most 253)";
    throw fail(`${nameField}: "${name}" must be ${words}`);
  }
  const clusterScoped = RESOURCE_INFO[resource].clusterScoped;
  const own = typeof meta.namespace === "string" ? meta.namespace : undefined;
  if (!clusterScoped && own !== undefined && explicitNamespace && own !== namespace) {
    throw fail(`the namespace from the provided object "${own}" does not match the namespace "${namespace}"; you must pass '--namespace=${own}' to perform this operation`);
  }
  const ns = clusterScoped ? CLUSTER_NS : own ?? namespace;
  if (!clusterScoped && !isDnsLabel(ns)) throw fail(`metadata.namespace: "${ns}" must be a DNS-1123 label`);
  return { source: doc.source, resource, ref: { resource, namespace: ns, name }, apiVersion, data: o };
}
