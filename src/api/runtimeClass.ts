/**
 * node.k8s.io/v1 RuntimeClass: a container runtime configuration a pod names (`runtimeClassName`), with what running
 * a pod on it costs beyond its containers (`overhead.podFixed`) and where such pods may go (`scheduling`). The
 * `handler` never changes once made, as the apiserver has it. A pod is admitted under its class (src/actors/runtimeClass):
 * given its overhead and its scheduling constraints; the nodes here run every pod alike, whatever the handler.
 */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec, type GroupObject } from "./groupKind.js";
import { Labels } from "./labels.js";
import { DnsLabel } from "./names.js";
import { requiredValue } from "./requiredString.js";
import { Toleration } from "./podPlacement.js";
import { ResourceMap } from "./podSpec.js";

const fields = {
  handler: requiredValue().pipe(DnsLabel),
  overhead: z.strictObject({ podFixed: ResourceMap.optional() }).optional(),
  scheduling: z.strictObject({ nodeSelector: Labels.optional(), tolerations: z.array(Toleration).optional() }).optional(),
};

/** The RuntimeClass codec and schemas. */
export const runtimeClass = groupKindCodec({ resource: "runtimeclasses", kind: "RuntimeClass", apiVersion: "node.k8s.io/v1", clusterScoped: true, fields });
/** A RuntimeClass as stored. */
export type RuntimeClass = GroupObject<typeof fields>;

/** The RuntimeClass columns, as kube-apiserver prints them: NAME HANDLER AGE. */
export const runtimeClassColumns = [
  nameColumn(),
  column<{ handler: string }>("Handler", "string", 0, "handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class.", (o) => o.handler),
  ageColumn(),
];
