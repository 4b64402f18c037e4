import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/pod.js";
import { describeObject } from "./describers.js";

const pod: Pod = {
  kind: "Pod",
  metadata: { name: "db", namespace: "default", uid: "u", creationTimestamp: "2026-12-02T00:00:00Z" },
  spec: {
    restartPolicy: "Always", terminationGracePeriodSeconds: 30, nodeName: "n1",
    containers: [{
      name: "main", image: "local",
      readinessProbe: { tcpSocket: { port: 5432 }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 2, successThreshold: 1, failureThreshold: 3 },
    }],
  },
  status: {
    phase: "Running",
    containerStatuses: [{
      name: "main", image: "local", ready: false, restartCount: 1,
      state: { running: { startedAt: "2026-12-02T00:00:12Z" } },
      lastState: { terminated: { exitCode: 2, reason: "Error", message: "db unreachable\nretry later\n", finishedAt: "2026-12-02T00:00:01Z" } },
    }],
  },
};

describe("coxctl describe pod", () => {
  it("shows the last termination's message under Last State, and the probes", () => {
    const text = describeObject("pods", pod as unknown as Record<string, unknown>, {});
    expect(text).toContain([
      "    Last State: Terminated",
      "      Reason:   Error",
      "      Message:  db unreachable",
      "                retry later",
      "      Exit Code: 2",
    ].join("\n"));
    expect(text).toContain("    Readiness:  tcp-socket :5432 delay=0s timeout=1s period=2s #success=1 #failure=3");
  });
});

describe("coxctl describe secret", () => {
  it("shows the type and each key's size, never a value; an event's sealed data is only named", async () => {
    const secret = { kind: "Secret", metadata: { name: "db", namespace: "default", uid: "u", creationTimestamp: "2026-12-06T00:00:00Z" }, type: "Opaque", data: { password: Buffer.from("hunter2").toString("base64"), user: "YQ==" } };
    const text = describeObject("secrets", secret, {});
    expect(text).toContain("Type:           Opaque");
    expect(text).toContain("Data\n====\npassword:  7 bytes\nuser:  1 bytes\n");
    expect(text).not.toContain(secret.data.password);
    const { summarizeData } = await import("./eventFeed.js");
    expect(summarizeData("k8s:enc:aesgcm:v1:0a1b2c3d:AAAA")).toBe("(sealed)");
  });
});
