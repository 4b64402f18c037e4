/**
 * Node IPAM, as Kubernetes' node IPAM controller does it: every node gets a block of pod addresses (a /24 of the
 * cluster range, 127.244.0.0/16 unless configured) in `spec.podCIDR`, the lowest free one. The allocator is rebuilt
 * from the nodes' own podCIDRs every round, so no block is ever given twice, whichever leader gives it.
 */
import type { Node } from "../../api/node.js";
import { BlockAllocator } from "../../network/allocator.js";
import { parseCidr } from "../../network/cidr.js";
import { DEFAULT_CLUSTER_CIDR } from "../../network/ranges.js";
import type { ControllerContext } from "../context.js";


/** Options of node IPAM. */
export interface NodeIpamOptions {
  clusterCidr?: string;
  /** The prefix length of each node's block; default 24. */
  nodeMaskSize?: number;
}

/** One reconciler per leadership term. */
export class NodeIpamReconciler {
  private exhaustedWarned = false;

  constructor(private readonly ctx: ControllerContext, private readonly opts: NodeIpamOptions = {}) {}

  /** One round: every node without a podCIDR gets the lowest free block. */
  async reconcile(): Promise<void> {
    const nodes = this.ctx.view.list<Node>("nodes");
    const waiting = nodes.filter((n) => n.object.spec.podCIDR === undefined);
    if (waiting.length === 0) return;
    const blocks = new BlockAllocator(parseCidr(this.opts.clusterCidr ?? DEFAULT_CLUSTER_CIDR), this.opts.nodeMaskSize ?? 24,
      nodes.flatMap((n) => (n.object.spec.podCIDR ? [n.object.spec.podCIDR] : [])));
    for (const n of waiting.sort((a, b) => a.name.localeCompare(b.name))) {
      const podCIDR = blocks.allocate();
      if (!podCIDR) {
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
