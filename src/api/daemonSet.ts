/**
 * apps/v1 DaemonSet: one pod of its template on every node its template's node selector and required node affinity
 * admit. When its template changes, `RollingUpdate` (the default) replaces the pods node by node, at most
 * `maxUnavailable` (default 1) unavailable at a time; `OnDelete` replaces a pod only once a user deleted it. Its pods
 * always restart (`restartPolicy: Always`). Its status is its controller's (src/controllers/daemonSet).
 */
import { z } from "zod";
import { IntOrPercent, selectsTemplate, strategyTypeDefaulted, templateColumns } from "./apps.js";
import { ageColumn, column, labelString, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";
import { LabelSelector } from "./labelSelector.js";
import type { ObjectMeta } from "./objectMeta.js";
import { PodTemplateSpec } from "./podSpec.js";

const Count = z.number().int("must be an integer").nonnegative("must be greater than or equal to 0");

/** How a DaemonSet replaces its pods when its template changes. */
export const DaemonSetUpdateStrategy = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("RollingUpdate"),
    // Surging (a new pod beside the old one on a node) is not done here: only 0 is taken, Kubernetes' default.
    rollingUpdate: z.strictObject({
      maxUnavailable: IntOrPercent.default(1),
      maxSurge: z.union([z.literal(0), z.literal("0%")], { error: "Unsupported value: only 0 is supported (no surge)" }).default(0),
    }).default({ maxUnavailable: 1, maxSurge: 0 }),
  }),
  z.strictObject({ type: z.literal("OnDelete") }),
]);
export type DaemonSetUpdateStrategy = z.infer<typeof DaemonSetUpdateStrategy>;

/** DaemonSet spec (defaults as in Kubernetes: RollingUpdate with maxUnavailable 1, 10 revisions kept). */
export const DaemonSetSpec = z.strictObject({
  selector: LabelSelector,
  template: PodTemplateSpec,
  updateStrategy: z.preprocess(strategyTypeDefaulted, DaemonSetUpdateStrategy).default({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }),
  minReadySeconds: Count.optional(),
  revisionHistoryLimit: Count.default(10),
}).superRefine((spec, ctx) => {
  selectsTemplate("daemonset")(spec, ctx);
  const strategy = spec.updateStrategy;
  if (strategy.type === "RollingUpdate" && (strategy.rollingUpdate.maxUnavailable === 0 || strategy.rollingUpdate.maxUnavailable === "0%")) {
    ctx.addIssue({ code: "custom", path: ["updateStrategy", "rollingUpdate", "maxUnavailable"], message: `Invalid value: ${JSON.stringify(strategy.rollingUpdate.maxUnavailable)}: may not be 0 when \`maxSurge\` is 0` });
  }
  const policy = spec.template.spec.restartPolicy;
  if (policy !== "Always") ctx.addIssue({ code: "custom", path: ["template", "spec", "restartPolicy"], message: `Unsupported value: "${policy}": supported values: "Always"` });
});
export type DaemonSetSpec = z.infer<typeof DaemonSetSpec>;

/** One condition of a DaemonSet. */
const DaemonSetCondition = z.strictObject({
  type: z.string(), status: z.enum(["True", "False", "Unknown"]), reason: z.string().optional(), message: z.string().optional(), lastTransitionTime: z.string().optional(),
});

/** DaemonSet status, written by its controller (the counts are of the nodes that should run its pod). */
export const DaemonSetStatus = z.strictObject({
  currentNumberScheduled: Count.optional(),
  numberMisscheduled: Count.optional(),
  desiredNumberScheduled: Count.optional(),
  numberReady: Count.optional(),
  observedGeneration: Count.optional(),
  updatedNumberScheduled: Count.optional(),
  numberAvailable: Count.optional(),
  numberUnavailable: Count.optional(),
  collisionCount: Count.optional(),
  conditions: z.array(DaemonSetCondition).optional(),
});
export type DaemonSetStatus = z.infer<typeof DaemonSetStatus>;

/** A DaemonSet as the controllers read it. */
export interface DaemonSet {
  kind: "DaemonSet";
  metadata: ObjectMeta;
  spec: DaemonSetSpec;
  status?: DaemonSetStatus | undefined;
}

/** The DaemonSet codec and schemas. */
export const daemonSet = groupKindCodec({
  resource: "daemonsets", kind: "DaemonSet", apiVersion: "apps/v1", clusterScoped: false, fields: { spec: DaemonSetSpec }, status: DaemonSetStatus,
});
export const daemonSetCodec = daemonSet.codec;

type DaemonSetLike = { spec: DaemonSetSpec; status?: DaemonSetStatus | undefined };
const count = (name: string, description: string, read: (s: DaemonSetStatus) => number | undefined) =>
  column<DaemonSetLike>(name, "integer", 0, description, (o) => read(o.status ?? {}) ?? 0);

/** The DaemonSet columns: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE (+ CONTAINERS IMAGES SELECTOR). */
export const daemonSetColumns = [
  nameColumn(),
  count("Desired", "The desired number of nodes that should be running the daemon pod.", (s) => s.desiredNumberScheduled),
  count("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.", (s) => s.currentNumberScheduled),
  count("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.", (s) => s.numberReady),
  count("Up-to-date", "The total number of nodes that are running updated daemon pod", (s) => s.updatedNumberScheduled),
  count("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)", (s) => s.numberAvailable),
  column<DaemonSetLike>("Node Selector", "string", 0, "NodeSelector is a selector which must be true for the pod to fit on a node.", (o) => labelString(o.spec.template.spec.nodeSelector)),
  ageColumn(),
  ...templateColumns<DaemonSetLike>(),
];
