/**
 * StorageClass actor (storage.k8s.io/v1): a plain object stored with Kubernetes' defaults (reclaimPolicy Delete,
 * volumeBindingMode Immediate), whose provisioner, parameters and both policies never change once made, in the
 * apiserver's words (`provisioner: Forbidden: updates to provisioner are forbidden.`). Every cluster has the class
 * `standard` of Coxswain's host-path provisioner, marked the default, made by the first actor host.
 */
import { COXSWAIN_PROVISIONER, DEFAULT_CLASS_ANNOTATION, storageClass, storedStorageClass } from "../../api/storageClass.js";
import { invalidField, sameValue } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";
import { bootstrapObject } from "../bootstrap.js";

/** The fields an update may not change, in the apiserver's order. */
const FIXED = ["parameters", "provisioner", "reclaimPolicy", "volumeBindingMode"] as const;

/** Refuses an update that changes a fixed field, as the apiserver words it (the binding mode as any immutable field). Pure. */
export function checkStorageClass(fields: Record<string, unknown>, current: Record<string, unknown> | null, name: string): void {
  for (const field of FIXED) {
    if (!current || sameValue(fields[field], current[field])) continue;
    const words = field === "volumeBindingMode" ? `Invalid value: ${JSON.stringify(fields[field])}: field is immutable` : `Forbidden: updates to ${field} are forbidden.`;
    throw invalidField("storageclasses", name, `data.${field}`, words);
  }
}

/** The default class every cluster has. */
const bootstrap = [bootstrapObject("storageclasses", {
  metadata: { name: "standard", annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
  provisioner: COXSWAIN_PROVISIONER, reclaimPolicy: "Delete", volumeBindingMode: "Immediate",
})];

/** The StorageClass's registration, with the default class. */
export const storageClassKind = {
  ...plainObjectKind(plainObjectDecider({
    resource: "storageclasses", kind: "StorageClass", clusterScoped: true,
    stored: (fields) => storedStorageClass(fields),
    check: checkStorageClass,
  }), storageClass.codec),
  bootstrap,
};
