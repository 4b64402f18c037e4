/** The table columns of pod templates: NAME CONTAINERS IMAGES POD LABELS. Pure. */
import { column, labelString, nameColumn } from "./column.js";
import type { PodTemplate } from "./podTemplate.js";

/** The pod template columns. */
export const podTemplateColumns = [
  nameColumn(),
  column<PodTemplate>("Containers", "string", 0, "Names of each container in the template.", (t) => t.template.spec.containers.map((c) => c.name).join(",")),
  column<PodTemplate>("Images", "string", 0, "Images referenced by each container in the template.", (t) => t.template.spec.containers.map((c) => c.image).join(",")),
  column<PodTemplate>("Pod Labels", "string", 0, "The labels of the pods made from the template.", (t) => labelString(t.template.metadata.labels ?? {})),
];
