/** The ReplicationController as a replicated kind: equality selector, inline or named template, the 1.0 annotation. */
import { selectorMatches, type ReplicationController } from "../../api/replicationController.js";
import { replicationStatus } from "./diff.js";
import type { ReplicatedKind } from "./kind.js";
import { podManifest, resolveTemplate } from "./template.js";

/** The ReplicationController's adapter. Pure. */
export const replicationControllerKind: ReplicatedKind<ReplicationController> = {
  resource: "replicationcontrollers",
  idPrefix: "rc",
  statusCommand: "RecordReplicationStatus",
  selects: (rc, labels) => selectorMatches(rc.spec.selector, labels),
  selector: (rc) => rc.spec.selector,
  selectorLabels: (rc) => rc.spec.selector,
  template: resolveTemplate,
  podMeta: (rc, namespace, template, name) => podManifest(rc, namespace, template, name).metadata,
  status: replicationStatus,
};
