/**
 * The ControllerRevisions of a DaemonSet or StatefulSet, as their Kubernetes controllers keep them: one per pod
 * template the owner has had, named `<owner>-<hash>`, its `data` the patch that sets that template (`$patch: replace`,
 * so `kubectl rollout undo` puts it back whole), its labels the template's and `controller-revision-hash`, the owner's
 * annotations (its `kubernetes.io/change-cause` for `kubectl rollout history`), and a controller reference to the
 * owner. The current template's revision has the highest number: a template gone back to is renumbered. Beyond the
 * owner's `revisionHistoryLimit`, the oldest that no pod still runs are deleted.
 */
import type { ControllerRevision } from "../api/controllerRevision.js";
import type { PodTemplateSpec } from "../api/podSpec.js";
import { controllerOfKind } from "../api/job.js";
import type { ControllerContext } from "./context.js";
import { controllerRef } from "./replicaSet/kind.js";

/** The label naming the revision a pod (and a revision itself) was made from, on DaemonSets' and StatefulSets' pods. */
export const REVISION_HASH_LABEL = "controller-revision-hash";

/** The owner whose revisions are kept. */
export interface RevisionOwner {
  kind: "DaemonSet" | "StatefulSet";
  namespace: string;
  name: string;
  object: { metadata: { name: string; uid: string; annotations?: Record<string, string> | undefined }; spec: { template: PodTemplateSpec; revisionHistoryLimit: number } };
}

/** What to do with the owner's revisions: create or renumber the current one, delete the oldest. Pure. */
export function planRevisions(owned: readonly ControllerRevision[], current: string, inUse: ReadonlySet<string>, limit: number): { create: boolean; renumber?: number; delete: string[] } {
  const max = Math.max(0, ...owned.map((r) => r.revision));
  const mine = owned.find((r) => r.metadata.name === current);
  const old = owned.filter((r) => r.metadata.name !== current && !inUse.has(r.metadata.name)).sort((a, b) => a.revision - b.revision);
  const excess = Math.max(0, old.length - limit);
  return {
    create: !mine,
    ...(mine && mine.revision < max ? { renumber: max + 1 } : {}),
    delete: old.slice(0, excess).map((r) => r.metadata.name),
  };
}

/**
 * Keeps the owner's revisions for its template of `hash` (revision `<name>-<hash>`), the revisions named in `inUse`
 * (those its pods still run) kept too; returns what was refused.
 */
export async function syncRevisions(ctx: ControllerContext, owner: RevisionOwner, hash: string, inUse: ReadonlySet<string>): Promise<string[]> {
  const { namespace, name, object } = owner;
  const current = `${name}-${hash}`;
  const owned = ctx.view.list<ControllerRevision>("controllerrevisions", namespace).map((e) => e.object).filter((r) => controllerOfKind(owner.kind, r)?.uid === object.metadata.uid);
  const plan = planRevisions(owned, current, inUse, object.spec.revisionHistoryLimit);
  const problems: string[] = [];
  const ref = (revision: string) => ({ resource: "controllerrevisions" as const, namespace, name: revision });
  if (plan.create) {
    const template = object.spec.template;
    const metadata = {
      name: current, namespace, labels: { ...template.metadata.labels, [REVISION_HASH_LABEL]: hash },
      ...(object.metadata.annotations ? { annotations: object.metadata.annotations } : {}),
      ownerReferences: [controllerRef("apps/v1", owner.kind, object)],
    };
    const revision = Math.max(0, ...owned.map((r) => r.revision)) + 1;
    const reply = await ctx.sender.send(ref(current), { type: "CreateControllerRevision", data: { metadata, data: { spec: { template: { ...template, $patch: "replace" } } }, revision } });
    if (!reply.ok && reply.status.reason !== "AlreadyExists") problems.push(`CreateControllerRevision ${current}: ${reply.status.message}`);
  }
  const mine = owned.find((r) => r.metadata.name === current);
  if (plan.renumber !== undefined && mine) {
    const { labels, annotations, ownerReferences } = mine.metadata;
    const metadata = { name: current, namespace, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}), ...(ownerReferences ? { ownerReferences } : {}) };
    const reply = await ctx.sender.send(ref(current), { type: "UpdateControllerRevision", data: { metadata, ...(mine.data ? { data: mine.data } : {}), revision: plan.renumber } });
    if (!reply.ok) problems.push(`UpdateControllerRevision ${current}: ${reply.status.message}`);
  }
  for (const revision of plan.delete) {
    const reply = await ctx.sender.send(ref(revision), { type: "DeleteControllerRevision", data: {} });
    if (!reply.ok && reply.status.reason !== "NotFound") problems.push(`DeleteControllerRevision ${revision}: ${reply.status.message}`);
  }
  return problems;
}
