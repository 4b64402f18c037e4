/** Objects shaped as the v1 API renders them, and a Status catcher, shared by the patch specs (test support only). */
import { StatusError } from "../status.js";
import type { JsonObject } from "./body.js";

/** A rendered v1 Pod with two containers, labels and a status. */
export function pod(): JsonObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web-1", namespace: "default", uid: "u-1", resourceVersion: "7", labels: { app: "web", tier: "front" } },
    spec: {
      containers: [
        { name: "web", image: "nginx:1.25", ports: [{ containerPort: 80, protocol: "TCP" }], env: [{ name: "A", value: "1" }] },
        { name: "sidecar", image: "busybox:1.36" },
      ],
      restartPolicy: "Always",
    },
    status: { phase: "Running" },
  };
}

/** A rendered v1 ReplicationController. */
export function rc(): JsonObject {
  return {
    apiVersion: "v1",
    kind: "ReplicationController",
    metadata: { name: "web", namespace: "default", uid: "u-2", labels: { app: "web" } },
    spec: {
      replicas: 2,
      selector: { app: "web" },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.25" }] } },
    },
  };
}

/** The Status that `f` throws; fails the test when it throws nothing or something else. */
export function statusOf(f: () => unknown): ReturnType<StatusError["toStatus"]> {
  try {
    f();
  } catch (err) {
    if (err instanceof StatusError) return err.toStatus();
    throw err;
  }
  throw new Error("expected a StatusError");
}
