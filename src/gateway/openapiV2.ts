/**
 * `/openapi/v2`: `swagger`, `info`, and for each kind a path whose PATCH takes `dryRun`, with no definitions. kubectl
 * 1.20 reads it in two ways. Before a server dry run (`--dry-run=server`, `kubectl diff`), it looks for the kind's
 * PATCH with a `dryRun` query parameter, and without one it refuses: `apps/v1, Kind=Deployment doesn't support
 * dry-run`. For client-side validation, it skips the kinds the document has no definition of. Served as protobuf
 * (gnostic's openapi_v2.Document) to a client that asks for it, and as JSON otherwise, as kube-apiserver does. Pure.
 */
import { stringify } from "yaml";
import { encodeMessage as message, type FieldValue } from "../protobufWire.js";
import { RESOURCE_INFO } from "../api/kinds.js";
import { KUBERNETES_VERSION, servedGroupVersions } from "./discovery.js";
import { objectPath } from "./openapi.js";

/** The GVK a path's operation is about (`x-kubernetes-group-version-kind`). */
interface Gvk { group: string; version: string; kind: string }

/** One object path's PATCH, as far as this document describes it. */
interface PatchOperation { operationId: string; parameters: { name: string; in: "query"; type: "string"; uniqueItems: true; description: string }[]; "x-kubernetes-action": "patch"; "x-kubernetes-group-version-kind": Gvk }

/** The document, as JSON. */
export interface OpenapiV2Document { swagger: "2.0"; info: { title: string; version: string }; paths: Record<string, { patch: PatchOperation }> }

const DRY_RUN = "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed";

let made: { document: OpenapiV2Document; protobuf: Buffer } | undefined;

/**
 * The document: one path per patchable kind at each group version it is served at (an older one too: autoscaling/v1's
 * HorizontalPodAutoscaler). Pure (made once; callers must not change it).
 */
export function openapiV2Document(): OpenapiV2Document {
  return (made ??= make()).document;
}

/** The document as gnostic's openapi_v2.Document in protobuf (vendor extensions carry their values as YAML). Pure (made once). */
export function openapiV2Protobuf(): Buffer {
  return (made ??= make()).protobuf;
}

function make(): { document: OpenapiV2Document; protobuf: Buffer } {
  const paths: OpenapiV2Document["paths"] = {};
  for (const [gv, resources] of servedGroupVersions()) {
    const [group, version] = gv.includes("/") ? gv.split("/") as [string, string] : ["", gv];
    for (const r of resources) {
      const info = RESOURCE_INFO[r];
      if (!info.verbs.includes("patch")) continue;
      paths[objectPath(gv, r)] = {
        patch: {
          operationId: `patch${info.kind}`, parameters: [{ name: "dryRun", in: "query", type: "string", uniqueItems: true, description: DRY_RUN }],
          "x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": { group, version, kind: info.kind },
        },
      };
    }
  }
  const document: OpenapiV2Document = { swagger: "2.0", info: { title: "Coxswain", version: KUBERNETES_VERSION.gitVersion }, paths };
  const info = message([[1, document.info.title], [2, document.info.version]]);
  const pathItems = message(Object.entries(paths).map(([name, item]) => [2, message([[1, name], [2, message([[8, operation(item.patch)]])]])]));
  return { document, protobuf: message([[1, document.swagger], [2, info], [8, pathItems]]) };
}

/** Operation: operation_id 5, parameters 8 (ParametersItem → Parameter → NonBodyParameter → QueryParameterSubSchema), vendor_extension 13. */
function operation(op: PatchOperation): Buffer {
  const query = (p: PatchOperation["parameters"][number]) => message([[2, p.in], [3, p.description], [4, p.name], [6, p.type], [20, p.uniqueItems]]);
  const extension = (name: string, value: unknown) => message([[1, name], [2, message([[2, typeof value === "string" ? value : stringify(value)]])]]);
  return message([
    [5, op.operationId],
    ...op.parameters.map((p): FieldValue => [8, message([[1, message([[2, message([[3, query(p)]])]])]])]),
    [13, extension("x-kubernetes-action", op["x-kubernetes-action"])],
    [13, extension("x-kubernetes-group-version-kind", op["x-kubernetes-group-version-kind"])],
  ]);
}
