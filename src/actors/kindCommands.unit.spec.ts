/**
 * The commands are typed by kind: these lines are checked by `tsc` (and by vitest's expectTypeOf). Each
 * `@ts-expect-error` is a send that must not compile; if a command type widened back to `string` (or to `any`),
 * the directive would be unused and `tsc --noEmit` would fail.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { CommandReply } from "../api/reply.js";
import type { CommandSender } from "../nats/commandClient.js";
import type { AnyCommandType, CommandData, CommandType, OutgoingCommand } from "./kindCommands.js";
import { ACTOR_KINDS } from "./registry.js";
import { commandOf, given, meta } from "../../test/harness/deciderSpec.js";
import { replicationControllerDecider as rcs } from "./replicationController/decider.js";
import { createPodDecider } from "./pod/decider.js";
import { DEFAULT_ACTOR_CONFIG } from "./actorConfig.js";

/** A sender that records what it was given (no NATS: what is checked here is the types). */
function recordingSender(): CommandSender & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    sent,
    send: async (ref, command) => {
      sent.push({ ref, command });
      return { ok: false, status: { kind: "Status", apiVersion: "v1", status: "Failure", message: "recorded", reason: "Unavailable", code: 503 } } as CommandReply;
    },
  };
}

describe("commands typed by kind", () => {
  it("a kind's command types are exactly its decider's, and no kind's are wide", () => {
    expectTypeOf<"BindPod">().toExtend<CommandType<"pods">>();
    expectTypeOf<"ScaleReplicationController">().not.toExtend<CommandType<"pods">>();
    expectTypeOf<string>().not.toExtend<AnyCommandType>();
    expectTypeOf<CommandData<"pods", "BindPod">>().toEqualTypeOf<{ nodeName: string; hostIP?: string | undefined }>();
    const registered = Object.keys(ACTOR_KINDS.pods?.decider.commands ?? {}).sort();
    const typed: Record<CommandType<"pods">, true> = {
      CreatePod: true, UpdatePod: true, BindPod: true, MarkPodUnschedulable: true, ContainerStarted: true, ContainerExited: true,
      ContainerCannotRun: true, ReportContainerWaiting: true, RestartContainer: true, ReportProbeFailure: true, ReportReadiness: true,
      ReportHook: true, ReportPodStatus: true, DeletePod: true, FinalizePodDeletion: true, EvictPod: true,
    };
    expect(Object.keys(typed).sort()).toEqual(registered);
  });

  it("a sender takes, for an entity of a kind, only that kind's commands with their data", async () => {
    const sender = recordingSender();
    const pod = { resource: "pods", namespace: "default", name: "web" } as const;
    const rc = { resource: "replicationcontrollers", namespace: "default", name: "web" } as const;
    await sender.send(pod, { type: "BindPod", data: { nodeName: "n1" } });
    await sender.send(rc, { type: "ScaleReplicationController", data: { replicas: 3 } });
    // @ts-expect-error a pod does not take a replication controller's command
    await sender.send(pod, { type: "ScaleReplicationController", data: { replicas: 3 } });
    // @ts-expect-error no kind has this command
    await sender.send(pod, { type: "Explode", data: {} });
    // @ts-expect-error BindPod's nodeName is a string
    await sender.send(pod, { type: "BindPod", data: { nodeName: 3 } });
    // @ts-expect-error ScaleReplicationController needs its replicas
    await sender.send(rc, { type: "ScaleReplicationController", data: { replica: 3 } });
    expect(sender.sent).toHaveLength(6);
  });

  it("an OutgoingCommand of a kind is a union over its command types", () => {
    expectTypeOf<OutgoingCommand<"nodes">["type"]>().toEqualTypeOf<CommandType<"nodes">>();
    expectTypeOf<{ type: "CordonNode"; data: Record<string, never> }>().toExtend<OutgoingCommand<"nodes">>();
    expectTypeOf<{ type: "BindPod"; data: { nodeName: string } }>().not.toExtend<OutgoingCommand<"nodes">>();
  });

  it("the decider spec DSL takes only the decider's own commands, each with its data", () => {
    const rc = commandOf(rcs, meta({ name: "web" }));
    const pod = commandOf(createPodDecider(DEFAULT_ACTOR_CONFIG), meta({ name: "web-1" }));
    given(rcs).when(rc("ScaleReplicationController", { replicas: 2 })).thenThrows("NotFound");
    // @ts-expect-error a replication controller's decider does not take a pod's command
    expect(() => given(rcs).when(pod("BindPod", { nodeName: "n1" })).thenNothingHappened()).toThrow();
    // @ts-expect-error nor does its command builder know it
    rc("BindPod", { nodeName: "n1" });
    // @ts-expect-error ScaleReplicationController's replicas is a number
    rc("ScaleReplicationController", { replicas: "2" });
  });
});
