/** The v1 Pod as the API shows it and reads it back. */
import { describe, expect, it } from "vitest";
import { podCodec, type Pod } from "./pod.js";

const pod: Pod = {
  kind: "Pod", metadata: { name: "web", namespace: "default", uid: "u", creationTimestamp: "2026-12-07T00:00:00Z" },
  spec: { containers: [{ name: "c", image: "nginx" }], restartPolicy: "Always", terminationGracePeriodSeconds: 30 },
  status: { phase: "Running", hostIP: "10.0.0.7", podIP: "10.244.0.9" },
};

describe("the v1 Pod codec", () => {
  it("shows hostIPs and podIPs beside hostIP and podIP, as Kubernetes does, and stores neither when it reads one back", () => {
    const shown = podCodec.render("v1", pod) as { status: Record<string, unknown> };
    expect(shown.status).toMatchObject({ hostIP: "10.0.0.7", hostIPs: [{ ip: "10.0.0.7" }], podIP: "10.244.0.9", podIPs: [{ ip: "10.244.0.9" }] });
    expect(podCodec.fromExternal("v1", shown).status).toEqual(pod.status);
    expect((podCodec.render("v1", { ...pod, status: { phase: "Pending" } }) as { status: unknown }).status).toEqual({ phase: "Pending" });
  });
});
