import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { kubectl, kubectlAgainstUp, tableLines } from "../harness/kubectl.js";
import { eventually } from "../harness/natsServer.js";
import { ROOT } from "../harness/processes.js";

/** Debian's kubernetes-client 1.20, unpacked by `.ci/run` beside the tests (or KUBECTL_LEGACY). */
const LEGACY = [process.env.KUBECTL_LEGACY, `${ROOT}.ci/kubectl-1.20/usr/bin/kubectl`].find((p): p is string => !!p && existsSync(p));

const RANGE = `apiVersion: v1
kind: LimitRange
metadata: { name: defaults }
spec:
  limits:
  - type: Container
    default: { cpu: 500m, memory: 256Mi }
    defaultRequest: { cpu: 100m }
    max: { memory: 1Gi }
    min: { cpu: 50m }
  - type: PersistentVolumeClaim
    max: { storage: 2Gi }
`;
const BIG = `apiVersion: v1
kind: Pod
metadata: { name: big }
spec: { containers: [ { name: app, image: nginx, resources: { limits: { memory: 2Gi }, requests: { cpu: 10m } } } ] }
`;
const CLAIM = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: huge }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 5Gi } } }
`;
const BAD = `apiVersion: v1
kind: LimitRange
metadata: { name: bad }
spec: { limits: [ { type: Container, min: { cpu: "2" }, max: { cpu: "1" } } ] }
`;

const lines = tableLines;

/** LimitRanges through the real kubectl against `coxswain up`: their defaults and rules on the pods and claims of their namespace. */
describe("kubectl and LimitRanges", () => {
  const { k, ok, file, config, dataDir } = kubectlAgainstUp();

  it("serves them as Kubernetes does; a namespace's range defaults its pods' resources and refuses pods and claims outside it, in the apiserver's words", async () => {
    expect(await ok("api-resources")).toMatch(/^limitranges\s+limits\s+v1\s+true\s+LimitRange$/m);
    await ok("create", "namespace", "limited");
    expect(await ok("apply", "-n", "limited", "-f", file("range.yaml", RANGE))).toBe("limitrange/defaults created\n");
    const table = lines(await ok("get", "limits", "-n", "limited"));
    expect(table).toEqual(["NAME CREATED AT", expect.stringMatching(/^defaults \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)]);
    // Stored with Kubernetes' defaults: the default request of memory from its default limit.
    expect(await ok("get", "limits", "defaults", "-n", "limited", "-o", "jsonpath={.spec.limits[0].defaultRequest}")).toBe('{"cpu":"100m","memory":"256Mi"}');
    const described = lines(await ok("describe", "namespace", "limited"));
    expect(described).toContain("Container cpu 50m - 100m 500m -");
    expect(described).toContain("PersistentVolumeClaim storage - 2Gi - - -");

    // A pod that states nothing gets the defaults, noted as Kubernetes notes them; so do a Deployment's pods.
    await ok("run", "web", "--image=nginx", "-n", "limited");
    expect(await ok("get", "pod", "web", "-n", "limited", "-o", "jsonpath={.spec.containers[0].resources}")).toBe('{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"256Mi"}}');
    expect(await ok("get", "pod", "web", "-n", "limited", "-o", "jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}"))
      .toBe("LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web");
    await ok("create", "deployment", "d", "--image=nginx", "-n", "limited");
    const made = await eventually(async () => (await k("get", "pods", "-n", "limited", "-l", "app=d", "-o", "jsonpath={.items[0].spec.containers[0].resources.limits}")).stdout || undefined, 30_000, 200);
    expect(made).toBe('{"cpu":"500m","memory":"256Mi"}');
    // Another namespace has no range: nothing given.
    await ok("run", "free", "--image=nginx");
    expect(await ok("get", "pod", "free", "-o", "jsonpath={.spec.containers[0].resources}")).toBe("{}");

    expect((await k("apply", "-n", "limited", "-f", file("big.yaml", BIG))).stderr).toContain(
      'Error from server (Forbidden): error when creating "' + join(dataDir(), "big.yaml") + '": pods "big" is forbidden: [minimum cpu usage per Container is 50m, but request is 10m, maximum memory usage per Container is 1Gi, but limit is 2Gi]');
    expect((await k("apply", "-n", "limited", "-f", file("claim.yaml", CLAIM))).stderr)
      .toContain('persistentvolumeclaims "huge" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
    expect((await k("apply", "-n", "limited", "-f", file("bad.yaml", BAD))).stderr)
      .toContain('The LimitRange "bad" is invalid: \n* spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1\n');
    expect((await k("get", "pod", "big", "-n", "limited")).stderr).toContain('pods "big" not found');

    if (LEGACY) {
      const old = await kubectl(config(), ["get", "limits", "-n", "limited"], undefined, LEGACY);
      expect(old.code, old.stderr).toBe(0);
      expect(lines(old.stdout)).toEqual(table);
    }
    // Once the range is gone, a pod is taken as written.
    expect(await ok("delete", "limits", "defaults", "-n", "limited")).toBe('limitrange "defaults" deleted\n');
    await eventually(async () => (await k("apply", "-n", "limited", "-f", join(dataDir(), "big.yaml"))).code === 0, 30_000, 500);
  });
});
