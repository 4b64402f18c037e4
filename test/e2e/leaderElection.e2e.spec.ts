/**
 * The leader-election exercise as a Kubernetes user runs it, with the two files of the issue unchanged: real
 * kubectl, `coxswain up --runtime process`, the example program in three pods of a Deployment electing a leader on
 * a Lease through the HTTPS API with their service account's token; then the leader's pod deleted, and a leader's
 * process killed with SIGKILL.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubectl, kubectlOk } from "../harness/kubectl.js";
import { eventually } from "../harness/natsServer.js";
import { inRange, startUp, type UpProcess } from "../harness/upProcess.js";

const dir = "examples/leader-election";
let up: UpProcess;
let kubeconfig: string;
const k = (...args: string[]) => kubectlOk(kubeconfig, args);
const pods = async () => (await k("get", "pods", "-l", "app=leaderelection", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.spec.nodeName} {.status.podIP}{\"\\n\"}{end}"))
  .trim().split("\n").filter(Boolean).map((l) => { const [name, phase, node, ip] = l.split(" "); return { name: name ?? "", phase, node, ip }; });
const logs = async (pod: string) => (await kubectl(kubeconfig, ["logs", pod])).stdout;
const lease = async () => JSON.parse(await k("get", "lease", "my-lease", "-o", "json")) as { spec: { holderIdentity: string; leaseTransitions: number; renewTime: string } };

/** The pid of the process of `pod`'s container, from the node agent's state folder. */
function pidOf(pod: string): number {
  for (const node of readdirSync(up.dataDir).filter((d) => d.startsWith("node-"))) {
    const containers = join(up.dataDir, node, "containers");
    for (const c of existsSync(containers) ? readdirSync(containers) : []) {
      const meta = join(containers, c, "meta.json");
      if (!existsSync(meta) || (JSON.parse(readFileSync(meta, "utf8")) as { launch: { podName: string } }).launch.podName !== pod) continue;
      return Number(readFileSync(join(containers, c, "pid"), "utf8"));
    }
  }
  throw new Error(`no process of ${pod}`);
}

beforeAll(async () => {
  up = await startUp(["--nodes", "3", "--runtime", "process", "--https", "0"]);
  kubeconfig = join(up.dataDir, "kubeconfig");
}, 90_000);
afterAll(async () => up?.stop(), 60_000);

describe("leader election for workloads: Deployment, ServiceAccount, RBAC and a Lease, with kubectl", () => {
  let leader = "";

  it("applies the image, the RBAC file and the Deployment as a user does", async () => {
    // As a user would, once the three nodes are Ready (a pod scheduled earlier finds only the first one).
    await eventually(async () => ((await k("get", "nodes")).match(/\sReady\s/g)?.length === 3 ? true : undefined), 60_000, 500);
    expect(await k("apply", "-f", `${dir}/image.yaml`)).toBe("image.coxswain.io/leaderelection created\n");
    expect(await k("apply", "-f", `${dir}/rbac.yaml`)).toBe([
      "serviceaccount/leaderelection-sa created",
      "role.rbac.authorization.k8s.io/leaderelection-role created",
      "rolebinding.rbac.authorization.k8s.io/leaderelection-rolebinding created", "",
    ].join("\n"));
    expect(await k("apply", "-f", `${dir}/deploy.yaml`)).toBe("deployment.apps/leaderelection created\n");
  });

  it("runs three pods of the Deployment's ReplicaSet, spread over the three nodes, each with an IP", async () => {
    const running = await eventually(async () => {
      const p = await pods();
      return p.length === 3 && p.every((x) => x.phase === "Running" && x.ip) ? p : undefined;
    }, 60_000, 500);
    const hash = (await k("get", "rs", "-l", "app=leaderelection", "-o", "jsonpath={.items[0].metadata.labels.pod-template-hash}")).trim();
    expect(running.every((p) => new RegExp(`^leaderelection-${hash}-[a-z0-9]{5}$`).test(p.name))).toBe(true);
    expect(new Set(running.map((p) => p.node)).size).toBe(3);
    // IP-per-pod: each its own address, from its node's block of the cluster range (node IPAM).
    expect(new Set(running.map((p) => p.ip)).size).toBe(3);
    for (const p of running) expect(inRange(up.ranges.pods, p.ip ?? ""), `${p.ip} in ${up.ranges.pods}`).toBe(true);
    const wide = await k("get", "pod", "-o", "wide");
    expect(wide).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
  });

  it("elects exactly one leader; the others name it; the Lease shows it as holder", async () => {
    leader = await eventually(async () => {
      const all = await pods();
      const texts = await Promise.all(all.map(async (p) => [p.name, await logs(p.name)] as const));
      const leaders = texts.filter(([, t]) => t.includes("successfully acquired lease default/my-lease"));
      if (leaders.length !== 1) return undefined;
      const name = leaders[0]![0];
      return texts.filter(([n]) => n !== name).every(([, t]) => t.includes(`new leader is ${name}`)) ? name : undefined;
    }, 60_000, 500);
    expect((await lease()).spec.holderIdentity).toBe(leader);
  });

  it("answers kubectl's rollout, scale, auth can-i and top for the Deployment", async () => {
    expect(await k("rollout", "status", "deployment/leaderelection", "--timeout=60s")).toContain('deployment "leaderelection" successfully rolled out');
    expect(await k("rollout", "history", "deployment/leaderelection")).toMatch(/REVISION\s+CHANGE-CAUSE\s*\n1\s+<none>/);
    expect(await k("scale", "deployment", "leaderelection", "--replicas=3")).toBe("deployment.apps/leaderelection scaled\n");
    expect((await k("auth", "can-i", "create", "leases")).trim()).toBe("yes");
    const top = await eventually(async () => {
      const r = await kubectl(kubeconfig, ["top", "pods", "-l", "app=leaderelection"]);
      return r.code === 0 && r.stdout.split("\n").filter((l) => l.startsWith("leaderelection-")).length === 3 ? r.stdout : undefined;
    }, 60_000, 1_000);
    expect(top).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    const nodes = await eventually(async () => {
      const r = await kubectl(kubeconfig, ["top", "nodes"]);
      return r.code === 0 && /^node-3\s+\d+m\s+/m.test(r.stdout) ? r.stdout : undefined;
    }, 60_000, 1_000);
    expect(nodes).toMatch(/^NAME\s+CPU\(cores\)\s+CPU(%|\(%\))\s+MEMORY\(bytes\)/);
  });

  it("deleting the leader's pod hands the lease to another at once, the others follow it", async () => {
    const before = (await lease()).spec.leaseTransitions;
    const deleted = leader;
    await k("delete", "pod", deleted);
    // The leader releases the lease as it stops; whoever asks first takes it: one of the two that remain, or the
    // Deployment's replacement pod if it starts before their next retry (both seen on CI).
    const candidates = async () => (await pods()).map((p) => p.name).filter((n) => n !== deleted);
    const next = await eventually(async () => {
      for (const n of await candidates()) if ((await logs(n)).includes("successfully acquired lease default/my-lease")) return n;
      return undefined;
    }, 60_000, 250).catch(async (err: unknown) => {
      // Say what the cluster looked like, so that a failure can be read from the run's output alone.
      const tails = await Promise.all((await candidates()).map(async (n) => `${n}:\n${(await logs(n)).split("\n").slice(-8).join("\n")}`));
      throw new Error(`${(err as Error).message}\npods: ${JSON.stringify(await pods())}\nlease: ${JSON.stringify((await lease()).spec)}\n${tails.join("\n")}`);
    });
    // Three pods again (the replacement running), each of the other two naming the new leader.
    await eventually(async () => {
      const now = (await pods()).filter((p) => p.name !== deleted);
      if (now.length !== 3 || !now.every((p) => p.phase === "Running")) return undefined;
      const followers = now.filter((p) => p.name !== next);
      for (const f of followers) if (!(await logs(f.name)).includes(`new leader is ${next}`)) return undefined;
      return true;
    }, 60_000, 500);
    expect(await lease()).toMatchObject({ spec: { holderIdentity: next, leaseTransitions: before + 1 } });
    leader = next;
  });

  it("a pod whose service account has no binding is refused, in the apiserver's words", async () => {
    await k("run", "outsider", "--image=docker.io/mayankshah1607/leaderelection", "--env=POD_NAME=outsider", "--restart=Never", "--", "--lease-name=my-lease");
    await eventually(async () => (await logs("outsider")).includes(
      'leases.coordination.k8s.io "my-lease" is forbidden: User "system:serviceaccount:default:default" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "default"') || undefined, 60_000, 500);
    expect((await lease()).spec.holderIdentity).not.toBe("outsider");
  });

  it("after kill -9 of the leader's process, a leader logs `successfully acquired` again and keeps renewing", async () => {
    const killedAt = new Date();
    process.kill(pidOf(leader), "SIGKILL");
    await eventually(async () => {
      for (const p of await pods()) {
        const lines = (await logs(p.name)).split("\n").filter((l) => l.includes("successfully acquired lease default/my-lease"));
        if (lines.some((l) => new Date(l.split(" ")[0] ?? "") > killedAt)) return true;
      }
      return undefined;
    }, 60_000, 500);
    const renewed = (await lease()).spec.renewTime;
    await eventually(async () => ((await lease()).spec.renewTime > renewed ? true : undefined), 30_000, 500);
  });
});
