/** The gauges each part adds to its `/metrics` (metricsServer.ts) beside the process's own. Pure but for the reads. */
import type { PartGauge } from "./metricsServer.js";

/** The actor host: its entities and its commands by priority level (apiserver_flowcontrol_* in Kubernetes' terms). */
export function actorGauges(host: {
  readonly liveCount: number; readonly restingCount: number; readonly commandLoad: Record<string, { running: number; queued: number }>;
  readonly expiredCommands: Readonly<Record<string, number>>;
}): PartGauge[] {
  const byLevel = (field: "running" | "queued") => () => Object.entries(host.commandLoad).map(([level, l]) => ({ labels: { priority_level: level }, value: l[field] }));
  return [
    { name: "coxswain_actor_live_entities", help: "Entities held in memory (resting ones included)", read: () => host.liveCount },
    { name: "coxswain_actor_resting_entities", help: "Entities held in memory whose actor is stopped until their next command", read: () => host.restingCount },
    { name: "coxswain_actor_commands_executing", help: "Commands running, by priority level (user, controller, node)", labelNames: ["priority_level"], read: byLevel("running") },
    { name: "coxswain_actor_commands_queued", help: "Commands waiting for a seat, by priority level", labelNames: ["priority_level"], read: byLevel("queued") },
    {
      name: "coxswain_actor_commands_expired_total", help: "Commands not run because their sender's Cox-Timeout passed while they waited, by priority level",
      labelNames: ["priority_level"], counter: true,
      read: () => Object.entries(host.expiredCommands).map(([level, value]) => ({ labels: { priority_level: level }, value })),
    },
  ];
}

/**
 * The controllers: whether this process leads, and each work queue's waiting keys while it does (client-go's
 * leader-election and work-queue metrics, by lease and by controller name).
 */
export function controllerGauges(lease: string, controllers: { elector: { isLeader(): boolean }; queueDepths(): Record<string, number> }): PartGauge[] {
  return [{
    name: "leader_election_master_status", help: "1 while this process holds the lease, else 0",
    labelNames: ["name"], read: () => [{ labels: { name: lease }, value: controllers.elector.isLeader() ? 1 : 0 }],
  }, {
    name: "workqueue_depth", help: "Keys waiting in a controller's work queue (while this process leads)",
    labelNames: ["name"], read: () => Object.entries(controllers.queueDepths()).map(([name, value]) => ({ labels: { name }, value })),
  }];
}

/** The node agents of the process. */
export function nodeGauges(agents: { readonly agents: readonly unknown[] }): PartGauge[] {
  return [{ name: "coxswain_node_agents", help: "Node agents running in this process", read: () => agents.agents.length }];
}
