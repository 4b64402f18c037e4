import { describe, expect, it } from "vitest";
import { kubectlAgainstUp, tableLines } from "../harness/kubectl.js";
import { eventually } from "../harness/natsServer.js";

const GATED = `apiVersion: v1
kind: Pod
metadata: { name: gated }
spec:
  schedulingGates: [ { name: example.com/quota }, { name: example.com/approval } ]
  containers: [ { name: app, image: nginx } ]
`;

const lines = tableLines;

/** Pod scheduling gates and the global default PriorityClass through the real kubectl against `coxswain up`. */
describe("kubectl and what decides a pod's scheduling: gates, the default priority class", () => {
  const { k, ok, file } = kubectlAgainstUp();

  it("keeps a gated pod SchedulingGated until its gates are taken away, then runs it; a gate may not be added", async () => {
    await ok("apply", "-f", file("gated.yaml", GATED));
    expect(lines(await ok("get", "pod", "gated"))[1]).toMatch(/^gated 0\/1 SchedulingGated 0 \S+$/);
    expect(await ok("get", "pod", "gated", "-o", 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}: {.status.conditions[?(@.type=="PodScheduled")].message}'))
      .toBe("SchedulingGated: Scheduling is blocked due to non-empty scheduling gates");
    expect((await k("patch", "pod", "gated", "--type=json", "-p", '[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"more"}}]')).stderr)
      .toContain("spec.schedulingGates[2].name: Forbidden: only deletion is allowed, but found new scheduling gate 'more'");
    await ok("patch", "pod", "gated", "--type=json", "-p", '[{"op":"remove","path":"/spec/schedulingGates/0"}]');
    expect(await ok("get", "pod", "gated", "-o", "jsonpath={.spec.schedulingGates[*].name} {.status.phase}")).toBe("example.com/approval Pending");
    // Still gated by the other (the scheduler's unit test shows a gated pod is never placed).
    expect(await ok("get", "pod", "gated", "-o", 'jsonpath={.spec.nodeName}{.status.conditions[?(@.type=="PodScheduled")].reason}')).toBe("SchedulingGated");
    await ok("patch", "pod", "gated", "--type=json", "-p", '[{"op":"remove","path":"/spec/schedulingGates"}]');
    await eventually(async () => (await k("get", "pod", "gated", "-o", "jsonpath={.status.phase}")).stdout === "Running", 30_000, 200);
    expect(await ok("get", "pod", "gated", "-o", 'jsonpath={.spec.nodeName} {.status.conditions[?(@.type=="PodScheduled")].status}')).toBe("node-1 True");
  });

  it("gives a pod without a class the global default PriorityClass, and refuses a second default in Kubernetes' words", async () => {
    try {
      expect(await ok("create", "priorityclass", "normal", "--value=100", "--global-default")).toBe("priorityclass.scheduling.k8s.io/normal created\n");
      expect(lines(await ok("get", "pc", "normal"))[1]).toMatch(/^normal 100 true \S+$/);
      expect((await k("create", "priorityclass", "other", "--value=5", "--global-default")).stderr)
        .toContain('priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass normal is already marked as default. Only one default can exist');
      // The index that knows the default follows the stream: the next pod may be admitted a moment after the class.
      let attempt = 0;
      await eventually(async () => {
        const name = `plain-${attempt++}`;
        await ok("run", name, "--image=nginx");
        return (await ok("get", "pod", name, "-o", "jsonpath={.spec.priorityClassName} {.spec.priority}")) === "normal 100";
      }, 30_000, 500);
      expect(await ok("run", "named", "--image=nginx", "--overrides", '{"spec":{"priorityClassName":"system-cluster-critical"}}')).toBe("pod/named created\n");
      expect(await ok("get", "pod", "named", "-o", "jsonpath={.spec.priorityClassName} {.spec.priority}")).toBe("system-cluster-critical 2000000000");
      // No longer the default: another class may be.
      await ok("patch", "pc", "normal", "--type=merge", "-p", '{"globalDefault":false}');
      await eventually(async () => (await k("create", "priorityclass", "other", "--value=5", "--global-default")).code === 0, 30_000, 500);
    } finally {
      await k("delete", "pc", "normal", "other");
    }
  });

  it("admits a pod under its RuntimeClass (overhead, node selector), refuses one naming a class that does not exist, and keeps the handler", async () => {
    const klass = `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: { name: sandboxed }
handler: runsc
overhead: { podFixed: { cpu: 250m, memory: 64Mi } }
scheduling: { nodeSelector: { kubernetes.io/hostname: node-1 } }
`;
    expect(await ok("apply", "-f", file("rc.yaml", klass))).toBe("runtimeclass.node.k8s.io/sandboxed created\n");
    expect(lines(await ok("get", "runtimeclass"))).toEqual(["NAME HANDLER AGE", expect.stringMatching(/^sandboxed runsc \S+$/)]);
    expect((await k("patch", "runtimeclass", "sandboxed", "--type=merge", "-p", '{"handler":"kata"}')).stderr).toContain('handler: Invalid value: "kata": field is immutable');
    await ok("run", "boxed", "--image=nginx", "--overrides", '{"spec":{"runtimeClassName":"sandboxed"}}');
    expect(await ok("get", "pod", "boxed", "-o", "jsonpath={.spec.overhead.cpu} {.spec.overhead.memory} {.spec.nodeSelector}")).toBe('250m 64Mi {"kubernetes.io/hostname":"node-1"}');
    await eventually(async () => (await k("get", "pod", "boxed", "-o", "jsonpath={.status.phase}")).stdout === "Running", 30_000, 200);
    expect((await k("run", "lost", "--image=nginx", "--overrides", '{"spec":{"runtimeClassName":"nope"}}')).stderr)
      .toContain('Error from server (Forbidden): pods "lost" is forbidden: pod rejected: RuntimeClass "nope" not found');
  });
});
