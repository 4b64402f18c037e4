/**
 * Pod-spec fields of everyday charts: hooks with httpGet and sleep, grpc probes and a probe's grace period,
 * resourceFieldRef variables, readiness gates, os, resource claims, hostUsers and resizePolicy. Each valid one is
 * stored as given (a manifest parses and renders back unchanged); each invalid one is refused with the apiserver's
 * words at its own path.
 */
import { describe, expect, it } from "vitest";
import { codecFor } from "./codecs.js";
import type { AnyKindCodec } from "./codecs.js";
import { resourceFieldValue } from "./resourceFieldRef.js";
import { StatusError } from "./status.js";

type Json = Record<string, any>;
const target = { namespace: "default", name: "web" };
const pods = codecFor("pods") as AnyKindCodec;
const probeDefaults = { initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };

/** A v1 pod whose spec is `spec` (a container `app` when it names none). */
function manifest(spec: Json): Json {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" }, spec: { containers: [{ name: "app", image: "nginx" }], ...spec } };
}
const withContainer = (fields: Json, spec: Json = {}) => manifest({ ...spec, containers: [{ name: "app", image: "nginx", ...fields }] });

/** The spec as stored and shown back (`kubectl get -o yaml`). */
function shownBack(body: Json): Json {
  const parsed = pods.parseManifest("v1", body, target) as { spec: Json };
  const object = { metadata: { name: "web", namespace: "default", uid: "u", creationTimestamp: "2026-01-01T00:00:00Z" }, spec: parsed.spec, status: { phase: "Pending" } };
  return pods.render("v1", object as never).spec as Json;
}

/** The first cause of the refusal of `body`, as `field: message`. */
function refusal(body: Json): string {
  try {
    pods.parseManifest("v1", body, target);
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    const cause = (e as StatusError).toStatus().details?.causes?.[0];
    return `${cause?.field}: ${cause?.message}`;
  }
  throw new Error("the manifest was accepted");
}

describe("lifecycle hooks: httpGet and sleep", () => {
  it("stores httpGet (named port, host, scheme, headers) and sleep hooks as given", () => {
    const lifecycle = {
      postStart: { httpGet: { path: "/started", port: "http", host: "localhost", scheme: "HTTPS", httpHeaders: [{ name: "X-Hook", value: "1" }] } },
      preStop: { sleep: { seconds: 5 } },
    };
    const spec = shownBack(withContainer({ lifecycle, ports: [{ name: "http", containerPort: 8080 }] }));
    expect(spec.containers[0].lifecycle).toEqual(lifecycle);
  });

  it("refuses a sleep longer than the grace period, a hook with two handlers or none, and a bad header name", () => {
    expect(refusal(withContainer({ lifecycle: { preStop: { sleep: { seconds: 31 } } } })))
      .toBe("data.spec.containers[0].lifecycle.preStop.sleep.seconds: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)");
    expect(refusal(withContainer({ lifecycle: { preStop: { sleep: { seconds: -1 } } } }, { terminationGracePeriodSeconds: 60 })))
      .toBe("data.spec.containers[0].lifecycle.preStop.sleep.seconds: Invalid value: -1: must be non-negative and less than terminationGracePeriodSeconds (60)");
    expect(refusal(withContainer({ lifecycle: { preStop: { exec: { command: ["true"] }, sleep: { seconds: 1 } } } })))
      .toBe("data.spec.containers[0].lifecycle.preStop: Forbidden: may not specify more than 1 handler type");
    expect(refusal(withContainer({ lifecycle: { postStart: {} } }))).toBe("data.spec.containers[0].lifecycle.postStart: Required value: must specify a handler type");
    expect(refusal(withContainer({ lifecycle: { postStart: { httpGet: { port: 80, httpHeaders: [{ name: "X Bad", value: "" }] } } } })))
      .toMatch(/^data\.spec\.containers\[0\]\.lifecycle\.postStart\.httpGet\.httpHeaders\[0\]\.name: Invalid value: "X Bad": a valid HTTP header must consist of alphanumeric/);
    expect(refusal(withContainer({ lifecycle: { postStart: { httpGet: { port: 80, scheme: "FTP" } } } })))
      .toBe('data.spec.containers[0].lifecycle.postStart.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"');
  });
});

describe("probes: grpc and terminationGracePeriodSeconds", () => {
  it("stores a grpc probe and a liveness probe's grace period", () => {
    const livenessProbe = { ...probeDefaults, grpc: { port: 9090, service: "ready" }, terminationGracePeriodSeconds: 5 };
    expect(shownBack(withContainer({ livenessProbe })).containers[0].livenessProbe).toEqual(livenessProbe);
  });

  it("refuses a grace period on a readiness probe or of 0, a grpc port by name, and two handlers", () => {
    expect(refusal(withContainer({ readinessProbe: { grpc: { port: 9090 }, terminationGracePeriodSeconds: 5 } })))
      .toBe("data.spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes");
    expect(refusal(withContainer({ livenessProbe: { grpc: { port: 9090 }, terminationGracePeriodSeconds: 0 } })))
      .toBe("data.spec.containers[0].livenessProbe.terminationGracePeriodSeconds: must be greater than 0");
    expect(refusal(withContainer({ livenessProbe: { grpc: { port: "grpc" } } }))).toMatch(/^data\.spec\.containers\[0\]\.livenessProbe\.grpc\.port: /);
    expect(refusal(withContainer({ livenessProbe: { grpc: { port: 1 }, tcpSocket: { port: 1 } } })))
      .toBe("data.spec.containers[0].livenessProbe: must specify exactly one of exec, httpGet, tcpSocket and grpc");
  });
});

describe("env valueFrom.resourceFieldRef", () => {
  it("stores a resource field reference as given", () => {
    const env = [{ name: "MEM", valueFrom: { resourceFieldRef: { containerName: "app", resource: "limits.memory", divisor: "1Mi" } } }];
    expect(shownBack(withContainer({ env })).containers[0].env).toEqual(env);
  });

  it("refuses an unknown resource and a divisor the resource does not take, in the apiserver's words", () => {
    const ref = (resourceFieldRef: Json) => withContainer({ env: [{ name: "X", valueFrom: { resourceFieldRef } }] });
    expect(refusal(ref({ resource: "limits.gpu" }))).toBe('data.spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: '
      + '"limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"');
    expect(refusal(ref({ resource: "limits.cpu", divisor: "2" })))
      .toBe('data.spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource');
    expect(refusal(ref({ resource: "requests.memory", divisor: "3Mi" }))).toContain("are supported with the memory resource");
    expect(refusal(withContainer({ env: [{ name: "X", valueFrom: { resourceFieldRef: { resource: "limits.cpu" }, fieldRef: { fieldPath: "metadata.name" } } }] })))
      .toBe("data.spec.containers[0].env[0].valueFrom: must specify exactly one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
  });

  it("is the kubelet's arithmetic: cpu rounded up to the divisor, bytes over it, an unset limit the node's allocatable", () => {
    const resources = { requests: { cpu: "250m", memory: "64Mi" }, limits: { cpu: "1500m" } };
    expect(resourceFieldValue({ resource: "limits.cpu" }, resources)).toBe("2");
    expect(resourceFieldValue({ resource: "limits.cpu", divisor: "1m" }, resources)).toBe("1500");
    expect(resourceFieldValue({ resource: "requests.cpu" }, resources)).toBe("1");
    expect(resourceFieldValue({ resource: "requests.memory", divisor: "1Mi" }, resources)).toBe("64");
    expect(resourceFieldValue({ resource: "limits.memory" }, resources, { memory: "8Gi", cpu: "4" })).toBe(String(8 * 1024 ** 3));
    expect(resourceFieldValue({ resource: "limits.memory", divisor: "1G" }, resources, { memory: "1500M" })).toBe("2");
    expect(resourceFieldValue({ resource: "requests.cpu" }, {})).toBe("0");
    expect(resourceFieldValue({ resource: "requests.cpu", divisor: "1m" }, { limits: { cpu: "300m" } })).toBe("300");
  });
});

describe("readinessGates, os, resource claims, hostUsers, resizePolicy", () => {
  it("stores them as given", () => {
    const fields = {
      readinessGates: [{ conditionType: "example.com/lb-ready" }], os: { name: "windows" }, hostUsers: false,
      resourceClaims: [{ name: "gpu", resourceClaimTemplateName: "one-gpu" }],
    };
    const container = { resources: { claims: [{ name: "gpu" }] }, resizePolicy: [{ resourceName: "cpu", restartPolicy: "NotRequired" }] };
    const spec = shownBack(withContainer(container, fields));
    expect(spec).toMatchObject(fields);
    expect(spec.containers[0]).toMatchObject(container);
  });

  it("refuses an unknown os, a gate that is not a qualified name, and claims the pod does not have or whose names are not DNS labels", () => {
    expect(refusal(manifest({ os: { name: "plan9" } }))).toBe('data.spec.os.name: Unsupported value: "plan9": supported values: "linux", "windows"');
    expect(refusal(manifest({ readinessGates: [{ conditionType: "a b" }] }))).toMatch(/^data\.spec\.readinessGates\[0\]\.conditionType: Invalid value: "a b": /);
    expect(refusal(withContainer({ resources: { claims: [{ name: "gpu" }] } })))
      .toBe('data.spec.containers[0].resources.claims[0]: Not found: "gpu": must be one of the names in pod.spec.resourceClaims which is empty');
    expect(refusal(withContainer({ resources: { claims: [{ name: "GPU" }] } }, { resourceClaims: [{ name: "gpu", resourceClaimName: "c" }] })))
      .toMatch(/^data\.spec\.containers\[0\]\.resources\.claims\[0\]\.name: Invalid value: "GPU": a lowercase RFC 1123 label/);
    expect(refusal(manifest({ resourceClaims: [{ name: "gpu" }] })))
      .toBe("data.spec.resourceClaims[0]: must specify one of: `resourceClaimName`, `resourceClaimTemplateName`");
    expect(refusal(withContainer({ resizePolicy: [{ resourceName: "gpu", restartPolicy: "NotRequired" }] })))
      .toBe('data.spec.containers[0].resizePolicy[0].resourceName: Unsupported value: "gpu": supported values: "cpu", "memory"');
  });

  it("keeps a plain pod's spec as small as it was: none of these fields appear unless given", () => {
    const spec = shownBack(manifest({}));
    for (const field of ["readinessGates", "os", "resourceClaims", "hostUsers"]) expect(spec).not.toHaveProperty(field);
    expect(Object.keys(spec.containers[0]).sort()).toEqual(["image", "name"]);
  });
});
