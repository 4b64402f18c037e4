/** PATCH and server-side apply over v1-rendered objects: JSON patch, merge patch, strategic merge, apply. Pure. */
export { applyPatch, patchTypeOf, PATCH_CONTENT_TYPES, type PatchContentType, type PatchInput } from "./applyPatch.js";
export { applyJsonPatch, JSON_PATCH_REJECTED, MAX_JSON_PATCH_OPERATIONS } from "./jsonPatch.js";
export { applyMergePatch, createMergePatch, jsonEqual } from "./mergePatch.js";
export type { JsonObject } from "./body.js";
export { applyStrategicMerge } from "./strategicMerge.js";
export { apiVersionFor, patchMetaFor, registerPatchMeta, type ListMeta, type ListType, type PatchMetaTable } from "./patchMeta.js";
export { serverSideApply, type ApplyInput } from "./serverSideApply.js";
export { recordUpdate, decodeManagers, encodeManagers, type Manager } from "./managedFields.js";
export { LAST_APPLIED } from "./lastApplied.js";
export { fromFieldsV1, printPath, toFieldsV1 } from "./fieldSet.js";
