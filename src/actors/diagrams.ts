/**
 * The state diagrams of the kinds' lifecycles, drawn from their machines as Mermaid `stateDiagram-v2`: an edge for
 * each guarded transition to another state (labelled with the events that take it), a note with the commands each state accepts,
 * and the states that wait on a deadline. `npm run diagrams` writes them to docs/lifecycles.md; a unit test
 * fails when that file is stale. Pure.
 */
import { RESOURCE_INFO, type Resource } from "../api/kinds.js";
import { createLifecycleMachine, type LifecycleMachine, type LifecycleStateMeta } from "./lifecycle.js";
import type { ActorKinds } from "./registry.js";

interface StateNodeView {
  key: string;
  meta?: unknown;
  transitions: Map<string, { eventType: string; guard?: unknown; target?: readonly { key: string }[] }[]>;
}

/** The Mermaid diagram of one lifecycle machine. Pure. */
export function lifecycleDiagram(machine: LifecycleMachine): string {
  const nodes = Object.values(machine.root.states as Record<string, StateNodeView>).filter((n) => n.meta !== undefined);
  const lines = ["stateDiagram-v2"];
  const absent = nodes.find((n) => (n.meta as LifecycleStateMeta).absent);
  if (absent) lines.push(`  [*] --> ${absent.key}`);
  for (const node of nodes) {
    const edges = new Map<string, string[]>();
    for (const [event, transitions] of node.transitions) {
      for (const t of transitions) {
        const to = t.target?.[0]?.key;
        if (!t.guard || !to || to === node.key || event === "decide") continue;
        edges.set(to, [...(edges.get(to) ?? []), event]);
      }
    }
    for (const [to, events] of edges) lines.push(`  ${node.key} --> ${to} : ${events.join(", ")}`);
  }
  for (const node of nodes) {
    const meta = node.meta as LifecycleStateMeta;
    lines.push(`  note right of ${node.key}`, `    accepts ${meta.accepts.join(", ") || "nothing"}`);
    if (meta.timer) lines.push("    waits on its deadline; the timer's command is sent when it ends");
    lines.push("  end note");
  }
  return lines.join("\n");
}

/** docs/lifecycles.md: every kind's diagram, in the registry's order. Pure. */
export function lifecyclesDocument(kinds: ActorKinds): string {
  const parts = [
    "# Lifecycles",
    "",
    "Generated from each kind's machine (`src/actors/<kind>/machine.ts`) by `npm run diagrams`; do not edit. A command",
    "a state does not accept is refused with a Status naming the state (NotFound while the object does not exist); a",
    "rehydrated entity enters the state its events put it in, and a state that waits on a deadline re-arms it then.",
  ];
  for (const [resource, kind] of Object.entries(kinds) as [Resource, NonNullable<ActorKinds[Resource]>][]) {
    if (!kind.lifecycle) continue;
    parts.push("", `## ${RESOURCE_INFO[resource].kind}`, "", "```mermaid", lifecycleDiagram(createLifecycleMachine(kind.decider, kind.lifecycle) as LifecycleMachine), "```");
  }
  return `${parts.join("\n")}\n`;
}
