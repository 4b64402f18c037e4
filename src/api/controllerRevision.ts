/**
 * apps/v1 ControllerRevision: one revision of a DaemonSet's or StatefulSet's pod template, kept by its controller so
 * that `kubectl rollout history` lists them and `kubectl rollout undo` patches the owner back with one's `data`. Named
 * `<owner>-<template hash>`, labelled with the template's labels (so the owner's selector finds it) and owned by its
 * controller reference; `revision` numbers them, the highest the owner's current template.
 */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";
import type { ObjectMeta } from "./objectMeta.js";

/** The revision's fields: its data (a patch that sets the owner's template) and its number. */
export const ControllerRevisionFields = {
  data: z.record(z.string(), z.unknown()).optional(),
  revision: z.number().int("must be an integer").nonnegative("must be greater than or equal to 0"),
};

/** A ControllerRevision as the controllers read it. */
export interface ControllerRevision {
  kind: "ControllerRevision";
  metadata: ObjectMeta;
  data?: Record<string, unknown> | undefined;
  revision: number;
}

/** The ControllerRevision codec and schemas. */
export const controllerRevision = groupKindCodec({
  resource: "controllerrevisions", kind: "ControllerRevision", apiVersion: "apps/v1", clusterScoped: false, fields: ControllerRevisionFields,
});
export const controllerRevisionCodec = controllerRevision.codec;

type RevisionLike = { metadata: { ownerReferences?: readonly { kind: string; name: string; controller?: boolean | undefined; apiVersion: string }[] | undefined }; revision: number };

/** The ControllerRevision columns: NAME CONTROLLER REVISION AGE. */
export const controllerRevisionColumns = [
  nameColumn(),
  column<RevisionLike>("Controller", "string", 0, "Controller of the object", (o) => {
    const owner = o.metadata.ownerReferences?.find((r) => r.controller);
    if (!owner) return "<none>";
    const group = owner.apiVersion.includes("/") ? `.${owner.apiVersion.split("/")[0]}` : "";
    return `${owner.kind.toLowerCase()}${group}/${owner.name}`;
  }),
  column<RevisionLike>("Revision", "integer", 0, "Revision of the ControllerRevision", (o) => o.revision),
  ageColumn(),
];
