/** The codec of every resource in kinds.ts: how its objects come off the wire and go back onto it. */
import type { ExternalReader, KindCodec } from "./codec.js";
import type { Resource } from "./kinds.js";
import { eventCodec } from "./event.js";
import { namespaceCodec } from "./namespace.js";
import { nodeCodec } from "./node.js";
import { podCodec } from "./pod.js";
import { podTemplateCodec } from "./podTemplate.js";
import { replicationControllerCodec } from "./replicationController.js";
import { resourceQuotaCodec } from "./resourceQuota.js";

/** A codec whose internal and manifest types are not known statically (what `codecFor` of a runtime string gives). */
export type AnyKindCodec = KindCodec<unknown, unknown> & ExternalReader<unknown>;

const CODECS = {
  namespaces: namespaceCodec,
  pods: podCodec,
  replicationcontrollers: replicationControllerCodec,
  podtemplates: podTemplateCodec,
  nodes: nodeCodec,
  resourcequotas: resourceQuotaCodec,
  events: eventCodec,
} satisfies Record<Resource, AnyKindCodec>;

/** The codec of each resource, precisely typed. */
export type CodecOf<R extends Resource> = (typeof CODECS)[R];

/** The codec of `resource` (precisely typed when `resource` is a literal). Pure. */
export function codecFor<R extends Resource>(resource: R): CodecOf<R> {
  return CODECS[resource];
}
