/**
 * Test support: a stream of StoredEvents produced by the kinds' own deciders (decide, then number), so the
 * projection tests do not hand-write event payloads that could drift from the write side. Pure.
 */
import type { ApiVersion } from "../../src/api/codec.js";
import { RESOURCE_INFO, type Resource } from "../../src/api/kinds.js";
import type { Command } from "../../src/actors/decider.js";
import type { ActorKinds } from "../../src/actors/registry.js";
import type { StoredEvent } from "../../src/events/envelope.js";
import { nameToken } from "../../src/events/subjects.js";
import { documentKey } from "../../src/projections/projection.js";

/** Builds a consistent event log by sending commands to in-memory deciders. */
export class EventLogBuilder {
  readonly events: StoredEvent[] = [];
  private readonly states = new Map<string, { state: unknown; version: number; uid: string }>();
  private seq = 0;
  private clock = Date.parse("2026-11-26T03:40:00Z");
  /** Milliseconds the clock moves per command. */
  step = 1000;

  constructor(readonly kinds: ActorKinds, readonly prefix = "cox") {}

  /** Decides `type` with `data` (a manifest is parsed by the kind's codec first); appends and returns the events. */
  send(resource: Resource, namespace: string, name: string, type: string, data: unknown, apiVersion: ApiVersion = "v1", commandId?: string): StoredEvent[] {
    const kind = this.kinds[resource];
    if (!kind) throw new Error(`no kind ${resource}`);
    const key = documentKey(resource, namespace, name);
    const cur = this.states.get(key) ?? { state: kind.decider.initialState, version: 0, uid: `uid-${key}` };
    const spec = (kind.decider.commands as Record<string, { manifest?: boolean }>)[type];
    const parsed = spec?.manifest ? kind.codec.parseManifest(apiVersion, data, { namespace, name }) : data;
    this.clock += this.step;
    const time = new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, "Z");
    const command: Command = {
      type, data: parsed,
      meta: { id: commandId ?? `c-${this.seq + 1}`, time, nowMs: this.clock, uid: cur.uid, apiVersion, namespace, name, term: 1, correlationId: "t", actor: "test" },
    };
    const decided = kind.decider.decide(command, cur.state);
    const out: StoredEvent[] = [];
    for (const e of decided) {
      const version = ++cur.version;
      const sequence = ++this.seq;
      const event = {
        type: e.type, kind: RESOURCE_INFO[resource].kind, namespace, name, uid: cur.uid, version, time, commandId: command.meta.id, schemaVersion: 1, data: e.data,
      };
      cur.state = kind.decider.evolve(cur.state, { type: e.type, data: e.data, version, time, uid: cur.uid, commandId: command.meta.id, sequence });
      out.push({ sequence, subject: `${this.prefix}.ev.${resource}.${namespace}.${nameToken(name)}`, event });
    }
    this.states.set(key, cur);
    this.events.push(...out);
    return out;
  }

  /** Moves the clock forward (the next command happens `ms` + step later). */
  advance(ms: number): void {
    this.clock += ms;
  }

  /** An event of a kind no decider owns, so that sequences have gaps the model must skip. */
  foreign(): StoredEvent {
    const e: StoredEvent = { sequence: ++this.seq, subject: `${this.prefix}.ev.widgets.default.x`, event: {
      type: "WidgetCreated", kind: "Widget", namespace: "default", name: "x", uid: "u", version: 1, time: "2026-11-26T03:40:00Z", commandId: "f", data: {},
    } };
    this.events.push(e);
    return e;
  }
}
