/**
 * Node IPAM, as Kubernetes' node IPAM controller does it: every node gets a block of pod addresses (a /24 of the
 * cluster range, 127.244.0.0/16 unless configured) in `spec.podCIDR`, the lowest free one. The allocator is rebuilt
 * from the nodes' own podCIDRs every round, so no block is ever given twice, whichever leader gives it. A round
 * lists every node, so only the changes that can give it work start one (`observe`): a node without a block, while
 * the range has blocks left, or a node gone (its block, if it had one, is free again).
 */
import type { Node } from "../../api/node.js";
import { BlockAllocator } from "../../network/allocator.js";
import { parseCidr } from "../../network/cidr.js";
import { DEFAULT_CLUSTER_CIDR } from "../../network/ranges.js";
import type { ControllerContext } from "../context.js";
import type { ViewChange } from "../../projections/clusterView.js";

/** Options of node IPAM. */
export interface NodeIpamOptions {
  clusterCidr?: string;
  /** The prefix length of each node's block; default 24. */
  nodeMaskSize?: number;
}

/** One reconciler per leadership term. */
export class NodeIpamReconciler {
  private exhaustedWarned = false;
  /** The last round found the range spent, and no node has gone since: a round could give nothing. */
  private exhausted = false;

  constructor(private readonly ctx: ControllerContext, private readonly opts: NodeIpamOptions = {}) {}

  /**
   * Takes note of a change of the view (a node gone makes the rounds look again, since it may free a block) and says
   * whether it can give a round work.
   */
  observe(change: ViewChange): boolean {
    if (change.resource !== "nodes") return false;
    if (!change.entry) {
      this.exhausted = false;
      return true;
    }
    return !this.exhausted && (change.entry.object as Node).spec.podCIDR === undefined;
  }

  /** One round: every node without a podCIDR gets the lowest free block (nothing while the range is known spent). */
  async reconcile(): Promise<void> {
    if (this.exhausted) return;
    const nodes = this.ctx.view.list<Node>("nodes");
    const waiting = nodes.filter((n) => n.object.spec.podCIDR === undefined);
    if (waiting.length === 0) return;
    const blocks = new BlockAllocator(parseCidr(this.opts.clusterCidr ?? DEFAULT_CLUSTER_CIDR), this.opts.nodeMaskSize ?? 24,
      nodes.flatMap((n) => (n.object.spec.podCIDR ? [n.object.spec.podCIDR] : [])));
    for (const n of waiting.sort((a, b) => a.name.localeCompare(b.name))) {
      const podCIDR = blocks.allocate();
      if (!podCIDR) {
        this.exhausted = true;
        if (!this.exhaustedWarned) this.ctx.logger.warn({ nodes: waiting.length }, "the cluster's pod range is spent: nodes without a podCIDR use their own address for their pods");
        this.exhaustedWarned = true;
        return;
      }
      const reply = await this.ctx.sender.send({ resource: "nodes", namespace: "_", name: n.name }, {
        type: "AssignPodCIDR", id: `ipam:${n.object.metadata.uid}`, data: { podCIDR },
      });
      if (!reply.ok) this.ctx.logger.warn({ node: n.name, status: reply.status }, "AssignPodCIDR failed");
    }
  }
}
