/** JSON Schemas of every kind's client manifests, generated from the zod schemas (which stay the only source). */
import { z } from "zod";
import type { ApiVersion } from "./codec.js";
import { RESOURCE_INFO } from "./kinds.js";
import type { Resource } from "./kinds.js";
import { Event } from "./event.js";
import { NamespaceV1Manifest, NamespaceV1beta1Manifest } from "./namespace.js";
import { NodeV1Manifest, NodeV1beta1Manifest } from "./node.js";
import { PodV1Manifest, PodV1beta1Manifest } from "./pod.js";
import { PodTemplateV1Manifest, PodTemplateV1beta1Manifest } from "./podTemplate.js";
import { ReplicationControllerV1Manifest, ReplicationControllerV1beta1Manifest } from "./replicationController.js";
import { ResourceQuotaV1Manifest, ResourceQuotaV1beta1Manifest } from "./resourceQuota.js";

/** The manifest schema of each resource in each API version (events are read-only: no manifest is accepted). */
export const MANIFEST_SCHEMAS: Record<Exclude<Resource, "events">, Record<ApiVersion, z.ZodType>> = {
  namespaces: { v1: NamespaceV1Manifest, v1beta1: NamespaceV1beta1Manifest },
  pods: { v1: PodV1Manifest, v1beta1: PodV1beta1Manifest },
  replicationcontrollers: { v1: ReplicationControllerV1Manifest, v1beta1: ReplicationControllerV1beta1Manifest },
  podtemplates: { v1: PodTemplateV1Manifest, v1beta1: PodTemplateV1beta1Manifest },
  nodes: { v1: NodeV1Manifest, v1beta1: NodeV1beta1Manifest },
  resourcequotas: { v1: ResourceQuotaV1Manifest, v1beta1: ResourceQuotaV1beta1Manifest },
};

/**
 * JSON Schemas (draft 2020-12) of what a client may send, keyed `<kind>.<version>` (`pod.v1`, `node.v1beta1`).
 * They describe the input side: defaulted fields are optional, and quantities are strings or numbers.
 * Checks that JSON Schema cannot express (unique container names, selector matching) are left to the server. Pure.
 */
export function jsonSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [resource, versions] of Object.entries(MANIFEST_SCHEMAS) as [Exclude<Resource, "events">, Record<ApiVersion, z.ZodType>][]) {
    const kind = RESOURCE_INFO[resource].kind;
    for (const [version, schema] of Object.entries(versions)) {
      const key = `${kind.toLowerCase()}.${version}`;
      out[key] = { title: `${kind} ${version} manifest`, ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) };
    }
  }
  return out;
}
