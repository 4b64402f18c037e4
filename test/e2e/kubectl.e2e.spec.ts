import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect, headers, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { EVENT_STREAM } from "../../src/events/names.js";
import { showDefaults } from "../../src/api/podDefaults.js";
import { issueServiceAccountToken, serviceAccountKeyPath } from "../../src/auth/serviceAccountToken.js";
import { eventually } from "../harness/natsServer.js";
import { kubectl, kubectlStream, kubectlTools, type KubectlResult } from "../harness/kubectl.js";
import { ROOT, startCli } from "../harness/processes.js";
import { startUp, type UpProcess } from "../harness/upProcess.js";

const RC = `apiVersion: v1
kind: ReplicationController
metadata: { name: web, labels: { app: web } }
spec:
  replicas: 2
  selector: { app: web }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [ { name: web, image: nginx } ] }
`;
const POD = (name: string, labels = "{ tier: one }") => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: ${labels} }
spec: { containers: [ { name: main, image: busybox } ] }
`;

/** Debian's kubernetes-client 1.20, unpacked by `.ci/run` beside the tests (or KUBECTL_LEGACY). */
const LEGACY = [process.env.KUBECTL_LEGACY, `${ROOT}.ci/kubectl-1.20/usr/bin/kubectl`].find((p): p is string => !!p && existsSync(p));

/** The real kubectl against a real `coxswain up`, with the kubeconfig it writes. */
describe("kubectl against coxswain up", () => {
  let up: UpProcess;
  let config: string;
  let nc: NatsConnection;
  const k = (...args: string[]) => kubectl(config, args);
  const { ok, file } = kubectlTools(() => config, () => up.dataDir);
  /** The object as the NATS read API gives it. */
  const overNats = async (kind: string, ns: string, name: string) =>
    (await nc.request(`cox.api.${kind}.${ns}.get`, JSON.stringify({ name }))).json<{ ok: boolean; object: Record<string, unknown> }>().object;

  /** Runs `body` with a process node `name` of the system (its samples every `statsMs`), stopped after it. */
  const onProcessNode = async (name: string, body: () => Promise<void>, statsMs?: number) => {
    const env = statsMs === undefined ? {} : { COX_STATS_MS: String(statsMs) };
    const node = startCli("coxswain", ["node", "--name", name, "--runtime", "process", "--heartbeat", "200", "--data-dir", up.dataDir], env);
    try {
      await node.waitFor("node agent ready", 60_000);
      await body();
    } finally {
      node.child.kill("SIGTERM");
      await node.exited;
    }
  };
  /**
   * Applies pod `name` on process node `node`, running `sh -c '<command>; sleep 30'` with `env` (YAML lines); sees it
   * held as CreateContainerConfigError with the kubelet's `missing`, creates what it lacks (`kubectl create …`), waits
   * for the logs to be `log`, and deletes the pod.
   */
  const heldUntilCreated = async (name: string, node: string, command: string, env: string, missing: string, create: string[], log: string) => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n  nodeName: ${node}\n  containers:\n  - name: main\n    image: local\n`
      + `    command: [sh, -c, '${command}; sleep 30']\n${env}`;
    await ok("apply", "-f", file(`${name}.yaml`, pod));
    await eventually(async () => new RegExp(`${name}\\s+0/1\\s+CreateContainerConfigError\\s`).test(await ok("get", "pod", name)), 30_000);
    expect(await ok("describe", "pod", name)).toMatch(new RegExp(`Warning\\s+Failed\\s+\\S+\\s+kubelet\\s+Error: ${missing}`));
    await ok("create", ...create);
    await eventually(async () => (await k("logs", name)).stdout === log, 30_000);
    await ok("delete", "pod", name, "--grace-period=1");
  };

  beforeAll(async () => {
    up = await startUp(["--nodes", "2", "--tenant", "alpha"]);
    config = join(up.dataDir, "kubeconfig");
    await up.proc.waitFor(`export KUBECONFIG=${config}`, 5_000);
    const admin = JSON.parse(readFileSync(join(up.dataDir, "credentials", "admin.json"), "utf8")) as { user: string; password: string };
    nc = await connect({ servers: up.url, user: admin.user, pass: admin.password });
  });
  afterAll(async () => {
    await nc?.close();
    await up?.stop();
  });

  it("answers version, api-resources, api-versions and cluster-info", async () => {
    expect(await ok("cluster-info")).toMatch(/Kubernetes control plane.* is running at .*https:\/\/127\.0\.0\.1:\d+/);
    expect(await ok("version")).toMatch(/Server Version: v1\.32\.\d+/);
    const resources = await ok("api-resources");
    expect(resources).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources).toMatch(/^replicationcontrollers\s+rc\s+v1\s+true\s+ReplicationController$/m);
    expect(resources).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
    expect(resources).toMatch(/^poddisruptionbudgets\s+pdb\s+policy\/v1\s+true\s+PodDisruptionBudget$/m);
    expect((await ok("api-versions")).trim().split("\n")).toEqual([
      "apps/v1", "autoscaling/v1", "autoscaling/v2", "batch/v1", "coordination.k8s.io/v1", "coxswain.io/v1", "discovery.k8s.io/v1", "events.k8s.io/v1", "metrics.k8s.io/v1beta1", "networking.k8s.io/v1", "node.k8s.io/v1", "policy/v1", "rbac.authorization.k8s.io/v1", "scheduling.k8s.io/v1", "storage.k8s.io/v1", "v1",
    ]);
  });

  it("applies (created, unchanged, configured), and gets with tables, -o wide/yaml/jsonpath/custom-columns/name, -l, --field-selector, -A, --chunk-size", async () => {
    const path = file("web.yaml", RC);
    expect(await ok("apply", "-f", path)).toBe("replicationcontroller/web created\n");
    expect(await ok("apply", "-f", path)).toBe("replicationcontroller/web unchanged\n");
    writeFileSync(path, RC.replace("replicas: 2", "replicas: 3"));
    expect(await ok("apply", "-f", path)).toBe("replicationcontroller/web configured\n");
    await eventually(async () => (await ok("get", "pods", "-l", "app=web", "--field-selector", "status.phase=Running", "-o", "name")).trim().split("\n").length === 3, 20_000);
    const table = (await ok("get", "pods")).split("\n");
    expect(table[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(table.filter((l) => /^web-\w+\s+1\/1\s+Running\s+0\s+\d+s$/.test(l))).toHaveLength(3);
    expect((await ok("get", "pods", "-o", "wide")).split("\n")[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect((await ok("get", "rc", "-o", "wide")).split("\n")[1]).toMatch(/^web\s+3\s+3\s+3\s+\d+s\s+web\s+nginx\s+app=web$/);
    expect(await ok("get", "rc", "web", "-o", "yaml")).toMatch(/kind: ReplicationController[\s\S]*replicas: 3/);
    expect(await ok("get", "rc", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).toBe("nginx");
    expect((await ok("get", "pods", "-o", "custom-columns=NAME:.metadata.name,APP:.metadata.labels.app")).split("\n")[1]).toMatch(/^web-\w+\s+web$/);
    expect((await ok("get", "pods", "-A", "--chunk-size=1")).split("\n")[0]).toMatch(/^NAMESPACE\s+NAME\s+READY/);
    expect((await ok("get", "pods", "--field-selector", "metadata.name=nope")).trim()).toBe("");
    const nodes = (await ok("get", "nodes")).split("\n");
    expect(nodes[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(nodes[1]).toMatch(/\sv1\.32\.0-coxswain$/);
    expect((await ok("get", "nodes", "-o", "wide")).split("\n")[1]).toMatch(/\sCoxswain simulated node\s+simulated\s+coxswain-sim:\/\/1\.32\.0-coxswain$/);
    expect(await ok("get", "namespaces")).toMatch(/^default\s+Active\s+/m);
    // The namespaces every cluster has, each with its name label (what namespace selectors match on); the immortal ones stay.
    expect(await ok("get", "namespaces", "-l", "kubernetes.io/metadata.name in (kube-system,kube-public,kube-node-lease)", "-o", "name"))
      .toBe("namespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n");
    expect((await k("delete", "namespace", "kube-system")).stderr).toContain('namespaces "kube-system" is forbidden: this namespace may not be deleted');
    const all = await ok("get", "all");
    expect(all).toMatch(/^pod\/web-\w+\s+1\/1\s+Running/m);
    expect(all).toMatch(/^replicationcontroller\/web\s+3\s+3\s+3/m);
    // what kubectl made reads back the same over NATS
    const viaKubectl = JSON.parse(await ok("get", "rc", "web", "-o", "json")) as Record<string, unknown>;
    const viaNats = await overNats("replicationcontrollers", "default", "web");
    // The same object, but for the defaults the HTTP API shows without storing them (src/api/podDefaults.ts).
    expect(showDefaults("replicationcontrollers", viaNats).spec).toEqual(viaKubectl.spec);
    expect((viaNats.metadata as { annotations: Record<string, string> }).annotations["kubectl.kubernetes.io/last-applied-configuration"]).toContain('"replicas":3');
  });

  it("shows each node's Lease in kube-node-lease from its heartbeats: kubectl describe node, get leases, a renewTime that moves on", async () => {
    const nodes = (await ok("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}")).split(" ").sort();
    const node = nodes[0] ?? "";
    const lease = new RegExp(`\\nLease:\\n\\s+HolderIdentity:\\s+${node}\\n\\s+AcquireTime:\\s+<unset>\\n\\s+RenewTime:\\s+\\w{3}, \\d{2} \\w{3} \\d{4} `);
    expect(await ok("describe", "node", node)).toMatch(lease);
    if (LEGACY) expect((await kubectl(config, ["describe", "node", node], undefined, LEGACY)).stdout).toMatch(lease);
    const rows = (await ok("get", "leases", "-n", "kube-node-lease")).trim().split("\n");
    expect(rows[0]).toMatch(/^NAME\s+HOLDER\s+AGE$/);
    expect(rows.slice(1).map((r) => r.split(/\s+/).slice(0, 2).join(" "))).toEqual(nodes.map((n) => `${n} ${n}`));
    expect(await ok("get", "leases", "-A", "-o", "name")).toContain(`lease.coordination.k8s.io/${node}\n`);
    expect(await ok("get", "leases", "-n", "kube-node-lease", "--field-selector", `metadata.name=${node}`, "-o", "name")).toBe(`lease.coordination.k8s.io/${node}\n`);
    expect(await ok("get", "leases", "-n", "kube-node-lease", "-l", "a=b", "-o", "name")).toBe("");
    const renewed = async () => (await ok("get", "lease", node, "-n", "kube-node-lease", "-o", "jsonpath={.spec.renewTime}")).trim();
    const first = await renewed();
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await eventually(async () => ((await renewed()) > first ? true : undefined), 30_000, 250);
    const uid = (await ok("get", "node", node, "-o", "jsonpath={.metadata.uid}")).trim();
    const object = JSON.parse(await ok("get", "lease", node, "-n", "kube-node-lease", "-o", "json")) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    expect(object.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Node", name: node, uid }]);
    expect(object.spec.holderIdentity).toBe(node);
    expect((await k("get", "lease", "no-such-node", "-n", "kube-node-lease")).stderr).toContain('leases.coordination.k8s.io "no-such-node" not found');
  });

  it("creates, replaces, patches (strategic, merge, JSON), labels and annotates, and NATS sees every change", async () => {
    expect(await ok("create", "-f", file("solo.yaml", POD("solo")))).toBe("pod/solo created\n");
    const created = await k("create", "-f", file("solo.yaml", POD("solo")));
    expect(created.stderr).toContain('pods "solo" already exists');
    expect(await ok("replace", "-f", file("solo2.yaml", POD("solo", "{ tier: two }")))).toBe("pod/solo replaced\n");
    expect(await ok("patch", "pod", "solo", "-p", '{"metadata":{"labels":{"s":"1"}}}')).toBe("pod/solo patched\n");
    expect(await ok("patch", "pod", "solo", "--type=merge", "-p", '{"metadata":{"labels":{"m":"2"}}}')).toBe("pod/solo patched\n");
    expect(await ok("patch", "pod", "solo", "--type=json", "-p", '[{"op":"add","path":"/metadata/labels/j","value":"3"}]')).toBe("pod/solo patched\n");
    expect(await ok("label", "pod", "solo", "l=4")).toBe("pod/solo labeled\n");
    expect(await ok("annotate", "pod", "solo", "note=hello")).toBe("pod/solo annotated\n");
    const edited = await kubectl(config, ["edit", "pod", "solo"], undefined, undefined, { EDITOR: "sed -i s/note:\\ hello/note:\\ edited/" });
    expect(edited.stdout).toBe("pod/solo edited\n");
    expect(await ok("patch", "pod", "solo", "-p", '{"spec":{"containers":[{"name":"main","image":"busybox:2"}]}}')).toBe("pod/solo patched\n");
    const pod = await overNats("pods", "default", "solo") as { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: { containers: { image: string }[] } };
    expect(pod.metadata.labels).toEqual({ tier: "two", s: "1", m: "2", j: "3", l: "4" });
    expect(pod.metadata.annotations.note).toBe("edited");
    expect(pod.spec.containers[0]?.image).toBe("busybox:2");
    const refused = await k("patch", "pod", "solo", "-p", '{"spec":{"restartPolicy":"Never"}}');
    expect(refused.stderr).toMatch(/pod updates may not change fields/);
  });

  it("keeps an object's finalizers: a delete leaves it Terminating (kubectl delete waits), no finalizer added then, the last one taken away deletes it, and its namespace waits for it", async () => {
    const held = (name: string, finalizers: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  finalizers: ${finalizers}\ndata: { a: b }\n`;
    expect(await ok("create", "-f", file("held.yaml", held("held", "[example.com/one, example.com/two]")))).toBe("configmap/held created\n");
    expect((await k("create", "-f", file("bad.yaml", held("bad", "[Bad Name]")))).stderr)
      .toContain(`The ConfigMap "bad" is invalid: metadata.finalizers: Invalid value: "Bad Name": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
    // A dry-run delete answers the object as the delete would leave it, Terminating, and changes nothing.
    const dry = JSON.parse(await ok("delete", "--raw", "/api/v1/namespaces/default/configmaps/held?dryRun=All")) as { kind: string; metadata: Record<string, unknown> };
    expect([dry.kind, dry.metadata.deletionGracePeriodSeconds, typeof dry.metadata.deletionTimestamp]).toEqual(["ConfigMap", 0, "string"]);
    expect(await ok("get", "configmap", "held", "-o", "jsonpath={.metadata.deletionTimestamp}")).toBe("");
    // kubectl delete waits for the object to go: it stays, Terminating, while it has finalizers.
    const deleting = k("delete", "configmap", "held");
    const terminating = await eventually(async () => {
      const out = await ok("get", "configmap", "held", "-o", "jsonpath={.metadata.finalizers} {.metadata.deletionGracePeriodSeconds} {.metadata.deletionTimestamp}");
      return out.endsWith(" ") ? undefined : out;
    }, 30_000, 100);
    expect(terminating).toMatch(/^\["example.com\/one","example.com\/two"\] 0 \d{4}-\d\d-\d\dT/);
    expect((await k("patch", "configmap", "held", "--type=json", "-p", '[{"op":"add","path":"/metadata/finalizers/-","value":"example.com/three"}]')).stderr)
      .toContain('The ConfigMap "held" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/three"}');
    // Taking the first finalizer away leaves it; the last deletes it.
    expect(await ok("patch", "configmap", "held", "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers/0"}]')).toBe("configmap/held patched\n");
    expect(await ok("get", "configmap", "held", "-o", "jsonpath={.metadata.finalizers}")).toBe('["example.com/two"]');
    // A replace that leaves the finalizers out takes them away, as a PUT does.
    await ok("replace", "-f", file("held2.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: held }\ndata: { a: c }\n"));
    expect((await deleting).code).toBe(0);
    expect((await k("get", "configmap", "held")).stderr).toContain('configmaps "held" not found');

    // A pod too: its containers stop at its deletion, and it stays until its finalizer goes.
    await ok("create", "-f", file("held-pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: { name: held-pod, finalizers: [example.com/one] }\nspec: { containers: [{ name: main, image: nginx }] }\n"));
    await eventually(async () => /^Running$/.test(await ok("get", "pod", "held-pod", "-o", "jsonpath={.status.phase}")), 30_000);
    const dryPod = JSON.parse(await ok("delete", "--raw", "/api/v1/namespaces/default/pods/held-pod?dryRun=All")) as { kind: string; metadata: Record<string, unknown> };
    expect([dryPod.kind, dryPod.metadata.deletionGracePeriodSeconds]).toEqual(["Pod", 30]); // a bound pod's grace
    await ok("delete", "pod", "held-pod", "--grace-period=1", "--wait=false");
    await eventually(async () => /^true 0$/.test(await ok("get", "pod", "held-pod", "-o", "jsonpath={.status.containerStatuses[0].state.terminated.exitCode} {.metadata.deletionGracePeriodSeconds}").then((o) => o.replace(/^\d+/, "true"))), 30_000);
    expect(await ok("get", "pod", "held-pod", "--no-headers")).toMatch(/^held-pod\s+0\/1\s+Terminating\s/);
    // The update that takes the last finalizer away answers the object as it left it: no finalizers, still being deleted.
    expect(await ok("patch", "pod", "held-pod", "--type=merge", "-p", '{"metadata":{"finalizers":null}}', "-o", "jsonpath={.metadata.finalizers}|{.metadata.deletionTimestamp}"))
      .toMatch(/^\|\d{4}-\d\d-\d\dT/);
    await eventually(async () => (await k("get", "pod", "held-pod")).stderr.includes('pods "held-pod" not found'), 30_000);

    await ok("create", "namespace", "held-ns");
    await ok("create", "-n", "held-ns", "-f", file("held3.yaml", held("held", "[example.com/one]")));
    const dryNs = JSON.parse(await ok("delete", "--raw", "/api/v1/namespaces/held-ns?dryRun=All")) as { status: { phase: string } };
    expect([dryNs.status.phase, await ok("get", "namespace", "held-ns", "-o", "jsonpath={.status.phase}")]).toEqual(["Terminating", "Active"]);
    await ok("delete", "namespace", "held-ns", "--wait=false");
    await eventually(async () => /deletionTimestamp/.test(await ok("get", "-n", "held-ns", "configmap", "held", "-o", "yaml")), 30_000);
    expect(await ok("get", "namespace", "held-ns", "-o", "jsonpath={.status.phase}")).toBe("Terminating");
    await ok("patch", "-n", "held-ns", "configmap", "held", "--type=merge", "-p", '{"metadata":{"finalizers":null}}');
    await eventually(async () => (await k("get", "namespace", "held-ns")).stderr.includes('namespaces "held-ns" not found'), 30_000);
  });

  it("scales, runs, creates a namespace, describes, watches and deletes", async () => {
    expect(await ok("scale", "rc", "web", "--replicas=1")).toBe("replicationcontroller/web scaled\n");
    await eventually(async () => (await ok("get", "pods", "-l", "app=web", "-o", "name")).trim().split("\n").length === 1, 20_000);
    expect(await ok("create", "namespace", "demo")).toBe("namespace/demo created\n");
    expect(await ok("cordon", "node-1")).toBe("node/node-1 cordoned\n");
    expect(await ok("get", "node", "node-1")).toMatch(/^node-1\s+Ready,SchedulingDisabled\s/m);
    // A cordoned node shows the taint its state gives it (not stored: a patch of the node written back keeps it derived).
    expect(await ok("describe", "node", "node-1")).toMatch(/^Taints:\s+node\.kubernetes\.io\/unschedulable:NoSchedule\nUnschedulable:\s+true$/m);
    expect((await overNats("nodes", "_", "node-1")).spec).not.toHaveProperty("taints");
    // kubectl taint writes the whole list back: only the user's taint is stored, the state's stays derived.
    await ok("taint", "node", "node-1", "extra=x:PreferNoSchedule");
    expect((await overNats("nodes", "_", "node-1")).spec).toMatchObject({ taints: [{ key: "extra", value: "x", effect: "PreferNoSchedule" }] });
    expect(await ok("uncordon", "node-1")).toBe("node/node-1 uncordoned\n");
    await ok("taint", "node", "node-1", "extra-");
    expect(await ok("describe", "node", "node-1")).toMatch(/^Taints:\s+<none>$/m);
    expect((await k("patch", "node", "node-1", "-p", '{"spec":{"podCIDR":"10.9.0.0/24"}}')).stderr).toContain("only spec.unschedulable, metadata.labels, metadata.annotations, spec.taints may change");
    const watch = kubectlStream(config, ["get", "pods", "-n", "demo", "-w"]);
    try {
      expect(await ok("run", "runner", "--image=busybox", "-n", "demo")).toBe("pod/runner created\n");
      await eventually(() => /runner\s+1\/1\s+Running/.test(watch.output()), 20_000);
      expect(watch.output().split("\n")[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    } finally {
      watch.stop();
    }
    const described = await ok("describe", "pod", "runner", "-n", "demo");
    expect(described).toMatch(/^Name:\s+runner$/m);
    expect(described).toMatch(/^Status:\s+Running$/m);
    const rc = await ok("describe", "rc", "web");
    expect(rc).toMatch(/^Replicas:\s+1 current \/ 1 desired$/m);
    expect(rc).toMatch(/^Pods Status:\s+1 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m); // the pods' ownerReferences name the RC
    expect(await ok("delete", "pod", "runner", "-n", "demo", "--grace-period=0")).toMatch(/pod "runner" deleted/);
    // --cascade=orphan (propagationPolicy Orphan) leaves the RC's pod alone; delete --all then takes every pod of the namespace
    await ok("apply", "-n", "demo", "-f", file("keep.yaml", RC.replace(/web/g, "keep").replace("replicas: 2", "replicas: 1")));
    await eventually(async () => (await ok("get", "pods", "-n", "demo", "-l", "app=keep", "-o", "name")).trim() !== "", 20_000);
    expect(await ok("delete", "rc", "keep", "-n", "demo", "--cascade=orphan")).toBe('replicationcontroller "keep" deleted\n');
    const kept = "jsonpath={range .items[*]}{.metadata.name}:{.metadata.deletionTimestamp};{end}";
    expect(await ok("get", "pods", "-n", "demo", "-l", "app=keep", "-o", kept)).toMatch(/^keep-\w+:;$/);
    expect(await ok("delete", "pods", "--all", "-n", "demo")).toMatch(/^pod "keep-\w+" deleted$/m);
    await eventually(async () => (await ok("get", "pods", "-n", "demo", "-o", "name")).trim() === "", 20_000);
    await ok("create", "-f", file("d1.yaml", POD("d1", "{ group: gone }")));
    await ok("create", "-f", file("d2.yaml", POD("d2", "{ group: gone }")));
    expect(await ok("delete", "pods", "-l", "group=gone")).toMatch(/pod "d1" deleted\npod "d2" deleted/);
    expect(await ok("delete", "rc", "web")).toBe('replicationcontroller "web" deleted\n');
    await eventually(async () => (await ok("get", "pods", "-l", "app=web", "-o", "name")).trim() === "", 20_000);
  });

  it("creates a deployment with `kubectl create deployment` (a protobuf body), and its pods run", async () => {
    const created = await k("create", "deployment", "site", "--image=nginx", "--replicas=2");
    expect(created, created.stderr).toMatchObject({ code: 0, stdout: "deployment.apps/site created\n", stderr: "" });
    await eventually(async () => /^site\s+2\/2\s+2\s+2\s/m.test(await ok("get", "deployment", "site")), 30_000);
    expect(await ok("get", "deployment", "site", "-o", "jsonpath={.spec.strategy.type} {.spec.selector.matchLabels.app}")).toBe("RollingUpdate site");
    // The deployment controller's steps are the Deployment's Events, as `kubectl describe` shows them.
    await ok("scale", "deployment", "site", "--replicas=1");
    await eventually(async () => /Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled down replica set site-\w+ to 1 from 2/.test(await ok("describe", "deployment", "site")), 30_000);
    expect(await ok("describe", "deployment", "site")).toMatch(/Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set site-\w+ to 2\n/);
    expect(await ok("delete", "deployment", "site")).toBe('deployment.apps "site" deleted\n');
    // Background propagation: the garbage collector takes its ReplicaSet, then the ReplicaSet's pods.
    await eventually(async () => (await ok("get", "replicasets,pods", "-l", "app=site", "-o", "name")).trim() === "", 30_000);
  });

  it("creates a service account, quota, service, roles and bindings with `kubectl create` (protobuf bodies)", async () => {
    const creates: [string[], string][] = [
      [["serviceaccount", "builder"], "serviceaccount/builder created\n"],
      [["quota", "compute", "--hard=pods=5,requests.cpu=2"], "resourcequota/compute created\n"],
      [["service", "clusterip", "front", "--tcp=80:8080"], "service/front created\n"],
      [["role", "reader", "--verb=get,list", "--resource=pods"], "role.rbac.authorization.k8s.io/reader created\n"],
      [["rolebinding", "reader-builder", "--role=reader", "--serviceaccount=default:builder"], "rolebinding.rbac.authorization.k8s.io/reader-builder created\n"],
      [["clusterrole", "node-reader", "--verb=get", "--resource=nodes"], "clusterrole.rbac.authorization.k8s.io/node-reader created\n"],
      [["clusterrolebinding", "node-reader-alice", "--clusterrole=node-reader", "--user=alice"], "clusterrolebinding.rbac.authorization.k8s.io/node-reader-alice created\n"],
    ];
    for (const [args, out] of creates) {
      const created = await k("create", ...args);
      expect(created, created.stderr).toMatchObject({ code: 0, stdout: out, stderr: "" });
    }
    expect(await ok("get", "resourcequota", "compute", "-o", "jsonpath={.spec.hard.pods} {.spec.hard.requests\\.cpu}")).toBe("5 2");
    expect(await ok("get", "service", "front", "-o", "jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector.app}")).toBe("80 8080 front");
    expect(await ok("get", "role", "reader", "-o", "jsonpath={.rules[0].verbs} {.rules[0].apiGroups} {.rules[0].resources}")).toBe('["get","list"] [""] ["pods"]');
    expect(await ok("get", "rolebinding", "reader-builder", "-o", "jsonpath={.roleRef.kind}/{.roleRef.name} {.subjects[0].kind}:{.subjects[0].namespace}:{.subjects[0].name}"))
      .toBe("Role/reader ServiceAccount:default:builder");
    expect(await ok("get", "clusterrolebinding", "node-reader-alice", "-o", "jsonpath={.roleRef.name} {.subjects[0].kind}:{.subjects[0].name}")).toBe("node-reader User:alice");
    expect(await ok("auth", "can-i", "list", "pods", "--as=system:serviceaccount:default:builder")).toBe("yes\n");
    expect(await ok("get", "serviceaccount", "builder", "-o", "name")).toBe("serviceaccount/builder\n");
    await ok("delete", "serviceaccount/builder", "resourcequota/compute", "service/front", "role/reader", "rolebinding/reader-builder", "clusterrole/node-reader", "clusterrolebinding/node-reader-alice");
  });

  it("shows a quota's refusal of a deployment's pods as ReplicaFailure and a FailedCreate Event, until the quota grows", async () => {
    await ok("create", "namespace", "capped");
    await ok("-n", "capped", "create", "quota", "compute", "--hard=pods=1");
    await ok("-n", "capped", "create", "deployment", "site", "--image=nginx", "--replicas=3");
    const failure = (kind: string) => ok("-n", "capped", "get", kind, "-l", "app=site", "-o", 'jsonpath={.items[*].status.conditions[?(@.type=="ReplicaFailure")].reason}');
    await eventually(async () => (await failure("replicasets")) === "FailedCreate", 30_000);
    await eventually(async () => /FailedCreate/.test(await ok("-n", "capped", "get", "deployment", "site", "-o", 'jsonpath={.status.conditions[?(@.type=="ReplicaFailure")].reason}')), 30_000);
    const rs = (await ok("-n", "capped", "get", "rs", "-l", "app=site", "-o", "name")).trim();
    const described = await ok("-n", "capped", "describe", rs);
    expect(described).toMatch(/Normal\s+SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: site-/);
    expect(described).toMatch(/Warning\s+FailedCreate\s+\S+\s+replicaset-controller\s+Error creating: pods "site-\S+" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1/);
    expect(await ok("-n", "capped", "get", "events", "--field-selector", "reason=FailedCreate", "-o", "jsonpath={.items[*].involvedObject.kind}")).toBe("ReplicaSet");
    await ok("-n", "capped", "patch", "quota", "compute", "--type=merge", "-p", '{"spec":{"hard":{"pods":"3"}}}');
    await eventually(async () => /^site\s+3\/3\s/m.test(await ok("-n", "capped", "get", "deployment", "site")), 60_000);
    await eventually(async () => (await failure("replicasets")) === "" && (await failure("deployments")) === "", 30_000);
    await ok("delete", "namespace", "capped");
  });

  it("creates, lists and updates ConfigMaps with kubectl (a protobuf body, binary data), and keeps an immutable one", async () => {
    const blob = file("blob.bin", "");
    writeFileSync(blob, Buffer.from([0, 1, 2, 255]));
    const created = await k("create", "configmap", "app", "--from-literal=mode=fast", `--from-file=blob=${blob}`);
    expect(created, created.stderr).toMatchObject({ code: 0, stdout: "configmap/app created\n" });
    expect(await ok("get", "cm", "app")).toMatch(/^NAME\s+DATA\s+AGE\napp\s+2\s+\d+s\n$/);
    expect(await ok("get", "configmap", "app", "-o", "jsonpath={.data.mode} {.binaryData.blob}")).toBe("fast AAEC/w==");
    await ok("patch", "configmap", "app", "--type=merge", "-p", '{"data":{"mode":"slow"}}');
    expect((await overNats("configmaps", "default", "app")).data).toEqual({ mode: "slow" });
    await ok("apply", "-f", file("frozen.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: frozen }\ndata: { mode: fast }\nimmutable: true\n"));
    const refused = await k("apply", "-f", file("frozen2.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: frozen }\ndata: { mode: slow }\nimmutable: true\n"));
    expect(refused.stderr).toContain('ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    expect(await ok("get", "cm", "frozen", "-o", "jsonpath={.data.mode}")).toBe("fast");
    const bad = await k("apply", "-f", file("bad-cm.yaml", 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: bad }\ndata: { "bad key": "1" }\n'));
    expect(bad.stderr).toContain('ConfigMap "bad" is invalid: data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters');
    expect((await k("get", "cm", "bad")).stderr).toContain('configmaps "bad" not found');
    await ok("delete", "configmap", "app", "frozen");
  });

  it("creates, lists, describes and applies Secrets with kubectl (stringData merged, typed keys required, immutable kept), sealed in the stream", async () => {
    const created = await k("create", "secret", "generic", "db", "--from-literal=password=s3cr3t-e2e");
    expect(created, created.stderr).toMatchObject({ code: 0, stdout: "secret/db created\n" });
    expect(await ok("get", "secrets")).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\ndb\s+Opaque\s+1\s+\d+s\n$/);
    expect(await ok("get", "secret", "db", "-o", "jsonpath={.type} {.data.password}")).toBe(`Opaque ${Buffer.from("s3cr3t-e2e").toString("base64")}`);
    expect(await ok("describe", "secret", "db")).toMatch(/Type:\s+Opaque[\s\S]*password:\s+10 bytes/);
    await ok("apply", "-f", file("app-secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: { name: app }\nstringData: { token: abc-plain }\ndata: { user: YWRtaW4= }\n"));
    const app = await overNats("secrets", "default", "app");
    expect(app).toMatchObject({ type: "Opaque", data: { user: "YWRtaW4=", token: Buffer.from("abc-plain").toString("base64") } });
    expect(app.stringData).toBeUndefined();
    const tls = await k("apply", "-f", file("tls.yaml", "apiVersion: v1\nkind: Secret\nmetadata: { name: web-tls }\ntype: kubernetes.io/tls\ndata: { tls.crt: YQ== }\n"));
    expect(tls.stderr).toContain('Secret "web-tls" is invalid: data[tls.key]: Required value');
    await ok("apply", "-f", file("frozen-secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: { name: frozen }\nstringData: { k: one }\nimmutable: true\n"));
    const refused = await k("apply", "-f", file("frozen-secret2.yaml", "apiVersion: v1\nkind: Secret\nmetadata: { name: frozen }\nstringData: { k: two }\nimmutable: true\n"));
    expect(refused.stderr).toContain('Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    const retyped = await k("patch", "secret", "db", "--type=merge", "-p", '{"type":"kubernetes.io/basic-auth"}');
    expect(retyped.stderr).toContain('Secret "db" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable');
    // In the stream: the envelope, never a value, in plain text or in base64.
    const stored = await jetstreamManager(nc).then((jsm) => jsm.streams.getMessage(EVENT_STREAM, { last_by_subj: "cox.ev.secrets.default.app" }));
    const text = new TextDecoder().decode(stored?.data);
    expect(text).toMatch(/"data":"k8s:enc:aesgcm:v1:[0-9a-f]{8}:/);
    for (const plain of ["abc-plain", Buffer.from("abc-plain").toString("base64"), "YWRtaW4="]) expect(text).not.toContain(plain);
    await ok("delete", "secret", "db", "app", "frozen");
  });

  it("runs a Deployment whose pods mount ConfigMap, Secret and emptyDir volumes, holding them until what they mount exists", async () => {
    const site = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: mounted }\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: mounted } }\n"
      + "  template:\n    metadata: { labels: { app: mounted } }\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"
      + "        volumeMounts: [ { name: cfg, mountPath: /etc/nginx/conf.d }, { name: tls, mountPath: /etc/tls, readOnly: true }, { name: cache, mountPath: /var/cache } ]\n"
      + "      volumes:\n      - { name: cfg, configMap: { name: site-conf, items: [ { key: default.conf, path: default.conf } ] } }\n"
      + "      - { name: tls, secret: { secretName: site-tls, defaultMode: 0400 } }\n      - { name: cache, emptyDir: { medium: Memory } }\n";
    await ok("apply", "-f", file("mounted.yaml", site));
    await eventually(async () => (await ok("get", "pods", "-l", "app=mounted")).match(/CreateContainerConfigError/g)?.length === 2, 30_000);
    const pod = (await ok("get", "pods", "-l", "app=mounted", "-o", "name")).split("\n")[0] ?? "";
    expect(await ok("describe", pod)).toContain('Error: MountVolume.SetUp failed for volume "cfg" : configmap "site-conf" not found');
    await ok("create", "configmap", "site-conf", "--from-literal=default.conf=server {}");
    await eventually(async () => (await ok("describe", pod)).includes('secret "site-tls" not found'), 30_000);
    await ok("create", "secret", "generic", "site-tls", "--from-literal=tls.crt=c", "--from-literal=tls.key=k");
    await eventually(async () => (await ok("get", "pods", "-l", "app=mounted")).match(/\s1\/1\s+Running\s/g)?.length === 2, 30_000);
    expect(await ok("get", "deployment", "mounted", "-o", "jsonpath={.spec.template.spec.volumes[1].secret.defaultMode}")).toBe("256");
    const stray = await k("apply", "-f", file("stray.yaml", POD("stray").replace("image: busybox }", "image: busybox, volumeMounts: [ { name: nope, mountPath: /x } ] }")));
    expect(stray.stderr).toContain('The Pod "stray" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "nope"');
    await ok("delete", "deployment", "mounted");
    await ok("delete", "configmap", "site-conf");
    await ok("delete", "secret", "site-tls");
  });

  it("runs Jobs to completion or failure: kubectl create job, get jobs, wait --for=condition=complete|failed, and delete takes the pods", async () => {
    const jobYaml = (name: string, env: string, extra = "") => `apiVersion: batch/v1\nkind: Job\nmetadata: { name: ${name} }\nspec:\n  completions: 2\n  parallelism: 2\n${extra}`
      + `  template:\n    spec:\n      restartPolicy: Never\n      containers: [ { name: work, image: busybox, env: [ ${env} ] } ]\n`;
    await ok("apply", "-f", file("job-ok.yaml", jobYaml("batchwork", "{ name: COX_SIM_DURATION, value: 300ms }")));
    await ok("wait", "--for=condition=complete", "job/batchwork", "--timeout=60s");
    expect(await ok("get", "jobs", "batchwork")).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nbatchwork\s+Complete\s+2\/2\s+\d+s\s+\d+s\n$/);
    const pods = (await ok("get", "pods", "-l", "batch.kubernetes.io/job-name=batchwork", "-o", "jsonpath={.items[*].status.phase}")).split(" ");
    expect(pods).toEqual(["Succeeded", "Succeeded"]);
    const described = await ok("describe", "job", "batchwork");
    expect(described.match(/Normal\s+SuccessfulCreate\s+\S+\s+job-controller\s+Created pod: batchwork-\w{5}/g)).toHaveLength(2);
    expect(described).toMatch(/Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);
    expect(described).toMatch(/^Completion Mode:\s+NonIndexed$/m);
    expect(described).toMatch(/^Suspend:\s+false$/m);
    await ok("apply", "-f", file("job-bad.yaml", jobYaml("doomed", "{ name: COX_SIM_DURATION, value: 100ms }, { name: COX_SIM_EXIT_CODE, value: '1' }", "  backoffLimit: 1\n")));
    await ok("wait", "--for=condition=failed", "job/doomed", "--timeout=60s");
    expect(await ok("get", "job", "doomed", "-o", "jsonpath={.status.conditions[0].reason} {.status.failed}")).toMatch(/^BackoffLimitExceeded [23]$/);
    await eventually(async () => /Warning\s+BackoffLimitExceeded\s+job\/doomed\s+Job has reached the specified backoff limit/
      .test(await ok("get", "events", "--field-selector", "involvedObject.kind=Job")), 10_000);
    const always = await k("apply", "-f", file("job-always.yaml", jobYaml("always", "{ name: A, value: b }").replace("restartPolicy: Never", "restartPolicy: Always")));
    expect(always.stderr).toContain('The Job "always" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"');
    const created = await k("create", "job", "hello", "--image=busybox", "--", "echo", "hi");
    expect(created, created.stderr).toMatchObject({ code: 0, stdout: "job.batch/hello created\n" });
    await eventually(async () => (await ok("get", "pods", "-l", "job-name=hello", "-o", "name")).startsWith("pod/hello-"), 30_000);
    expect(await ok("get", "job", "hello", "-o", "jsonpath={.spec.completions} {.spec.parallelism} {.spec.backoffLimit}")).toBe("1 1 6");
    // A simulated node knows `echo`: the Job completes, as on Kubernetes.
    await ok("wait", "--for=condition=complete", "job/hello", "--timeout=60s");
    const once = await k("run", "once", "--rm", "-i", "--restart=Never", "--image=busybox", "--", "sh", "-c", "echo hi; sleep 1");
    expect(once, once.stderr).toMatchObject({ code: 0 });
    expect(once.stdout).toContain('pod "once" deleted');
    await ok("delete", "job", "batchwork", "doomed", "hello");
    await eventually(async () => (await ok("get", "pods", "-l", "batch.kubernetes.io/job-name", "-o", "name")) === "", 30_000);
  });

  it("applies an everyday Deployment unchanged (pull policy, security contexts, tolerations, affinity, DNS, priority) under strict validation, places it by its required node affinity, and round-trips it", async () => {
    const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: { name: everyday }
spec:
  replicas: 2
  selector: { matchLabels: { app: everyday } }
  template:
    metadata: { labels: { app: everyday } }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: RuntimeDefault } }
      tolerations: [ { key: dedicated, operator: Equal, value: batch, effect: NoSchedule } ]
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms: [ { matchExpressions: [ { key: kubernetes.io/hostname, operator: In, values: [ node-2 ] } ] } ]
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - { weight: 100, podAffinityTerm: { topologyKey: kubernetes.io/hostname, labelSelector: { matchLabels: { app: everyday } } } }
      imagePullSecrets: [ { name: registry } ]
      nodeSelector: { kubernetes.io/os: linux, kubernetes.io/arch: ${process.arch === "arm64" ? "arm64" : "amd64"} }
      dnsPolicy: ClusterFirst
      schedulerName: default-scheduler
      priorityClassName: ""
      enableServiceLinks: false
      containers:
      - name: app
        image: busybox:1.36
        imagePullPolicy: IfNotPresent
        workingDir: /srv
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: [ ALL ] } }
        resources: { requests: { cpu: 10m, memory: 16Mi, ephemeral-storage: 100Mi }, limits: { memory: 64Mi, ephemeral-storage: 1Gi } }
        stdin: false
        tty: false
`;
    const path = file("everyday.yaml", manifest);
    expect(await ok("apply", "--validate=strict", "-f", path)).toBe("deployment.apps/everyday created\n");
    await eventually(async () => (await ok("get", "pods", "-l", "app=everyday", "-o", "jsonpath={.items[*].spec.nodeName}")) === "node-2 node-2", 30_000);
    expect(await ok("get", "pods", "-l", "app=everyday", "-o", "jsonpath={.items[0].spec.containers[0].imagePullPolicy} {.items[0].spec.securityContext.runAsUser}"))
      .toBe("IfNotPresent 1000");
    // Its pods keep the template's dnsPolicy and schedulerName, and a label or an annotation patch keeps them too.
    expect(await ok("label", "pods", "-l", "app=everyday", "tier=web")).toMatch(/^pod\/everyday-\S+ labeled\npod\/everyday-\S+ labeled\n$/);
    expect(await ok("annotate", "pods", "-l", "app=everyday", "note=x")).toMatch(/ annotated\n.* annotated\n$/);
    expect(await ok("apply", "--validate=strict", "-f", path)).toBe("deployment.apps/everyday unchanged\n");
    const bad = await k("apply", "-f", file("bad-pull.yaml", manifest.replace("imagePullPolicy: IfNotPresent", "imagePullPolicy: Sometimes")));
    expect(bad.stderr).toContain(`spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`);
    await ok("annotate", "deployment", "everyday", "kubernetes.io/change-cause=first release");
    await eventually(async () => /^1\s+first release$/m.test(await ok("rollout", "history", "deployment/everyday")), 20_000);
    // The Deployment carries its revision, as kube-controller-manager sets it, without a new generation for it.
    await eventually(async () => /^Annotations:\s+deployment\.kubernetes\.io\/revision: 1\n/m.test(await ok("describe", "deployment", "everyday")), 20_000);
    expect(await ok("get", "deployment", "everyday", "-o", "jsonpath={.metadata.generation}")).toBe("1");
    // kubectl diff (a server dry run) shows only what a change would change.
    expect(await k("diff", "-f", path)).toMatchObject({ code: 0, stdout: "" });
    const diff = await k("diff", "-f", file("everyday-3.yaml", manifest.replace("replicas: 2", "replicas: 3")));
    expect(diff.code).toBe(1);
    const changed = diff.stdout.split("\n").filter((l) => /^[-+]\s/.test(l)).map((l) => l.replace(/\s+/g, " "));
    expect(changed).toEqual(["- generation: 1", "+ generation: 2", "- replicas: 2", "+ replicas: 3"]);
    const dry = JSON.parse(await ok("create", "configmap", "dry", "--from-literal=a=b", "--dry-run=server", "-o", "json")) as { apiVersion: string; metadata: Record<string, unknown> };
    expect(dry.metadata).toMatchObject({ name: "dry", namespace: "default", uid: expect.any(String), creationTimestamp: expect.stringMatching(/^\d{4}-/) });
    expect((await k("get", "configmap", "dry")).code).toBe(1); // nothing was made
    // kubectl sends a dry-run delete's dryRun in the DeleteOptions body: nothing is deleted.
    expect(await ok("delete", "deployment", "everyday", "--dry-run=server")).toBe('deployment.apps "everyday" deleted (server dry run)\n');
    expect(await ok("get", "deployment", "everyday", "-o", "name")).toBe("deployment.apps/everyday\n");
    const moved = await k("patch", "deployment", "everyday", "--type=merge", "-p",
      '{"spec":{"selector":{"matchLabels":{"app":"everyday","x":"1"}},"template":{"metadata":{"labels":{"app":"everyday","x":"1"}}}}}');
    expect(moved.stderr).toContain('The Deployment "everyday" is invalid: spec.selector: Invalid value: field is immutable');
    // Its ReplicaSet cannot lose its owner reference: an orphaning delete is refused, and deletes nothing.
    const orphaning = await k("delete", "deployment", "everyday", "--cascade=orphan");
    expect(orphaning.stderr).toContain("propagationPolicy Orphan is not supported for deployments");
    expect(await ok("get", "deployment", "everyday", "-o", "name")).toBe("deployment.apps/everyday\n");
    await ok("delete", "deployment", "everyday");
  });

  it("shows the defaults kube-apiserver fills in (account, scheduler, pull policy, QoS class), without storing them, and an object read and written back is unchanged", async () => {
    await ok("run", "dflt", "--image=busybox:1.36", "--", "sleep", "3600");
    const fields = "{.spec.serviceAccountName} {.spec.serviceAccount} {.spec.schedulerName} {.spec.enableServiceLinks} {.spec.priority} {.spec.securityContext}"
      + " {.spec.containers[0].imagePullPolicy} {.spec.containers[0].terminationMessagePath} {.spec.containers[0].terminationMessagePolicy} {.status.qosClass}";
    expect(await ok("get", "pod", "dflt", "-o", `jsonpath=${fields}`)).toBe("default default default-scheduler true 0 {} IfNotPresent /dev/termination-log File BestEffort");
    const described = await ok("describe", "pod", "dflt");
    expect(described).toMatch(/^Service Account:\s+default$/m);
    expect(described).toMatch(/^Tolerations:\s+node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s\n\s+node\.kubernetes\.io\/unreachable:NoExecute op=Exists for 300s$/m);
    expect(described).toMatch(/^Priority:\s+0$/m);
    expect(described).toMatch(/^QoS Class:\s+BestEffort$/m);
    // Not stored: the NATS read API gives the pod as it was written.
    expect((await overNats("pods", "default", "dflt")).spec).not.toHaveProperty("schedulerName");
    // Read and written back whole, the pod is replaced (no field it shows counts as a change) and stays as stored.
    expect(await ok("replace", "-f", file("dflt-pod.json", await ok("get", "pod", "dflt", "-o", "json")))).toBe("pod/dflt replaced\n");
    expect((await overNats("pods", "default", "dflt")).spec).not.toHaveProperty("serviceAccountName");
    // A Deployment's template shows a template's defaults; written back, it is the same template: no new generation, no new ReplicaSet.
    await ok("create", "deployment", "dflt", "--image=nginx");
    expect(await ok("get", "deployment", "dflt", "-o", "jsonpath={.spec.template.spec.schedulerName} {.spec.template.spec.containers[0].imagePullPolicy} {.spec.template.spec.serviceAccountName}"))
      .toBe("default-scheduler Always ");
    await eventually(async () => (await ok("get", "rs", "-l", "app=dflt", "-o", "name")).trim().split("\n").length === 1, 20_000);
    expect(await ok("replace", "-f", file("dflt-deploy.json", await ok("get", "deployment", "dflt", "-o", "json")))).toBe("deployment.apps/dflt replaced\n");
    expect(await ok("get", "deployment", "dflt", "-o", "jsonpath={.metadata.generation}")).toBe("1");
    expect((await ok("get", "rs", "-l", "app=dflt", "-o", "name")).trim().split("\n")).toHaveLength(1);
    await ok("delete", "deployment", "dflt");
    await ok("delete", "pod", "dflt", "--grace-period=1");
  });

  it("reports a rollout that makes no progress for progressDeadlineSeconds: Progressing False ProgressDeadlineExceeded, and kubectl rollout status fails", async () => {
    const manifest = `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: stuck }\nspec:\n  replicas: 1\n  progressDeadlineSeconds: 2\n`
      + `  selector: { matchLabels: { app: stuck } }\n  template:\n    metadata: { labels: { app: stuck } }\n    spec:\n      containers:\n`
      + `      - name: app\n        image: busybox\n        env: [ { name: COX_SIM_READINESS, value: "1000s=true" } ]\n`
      + `        readinessProbe: { exec: { command: [ "true" ] }, periodSeconds: 1 }\n`;
    await ok("apply", "-f", file("stuck.yaml", manifest));
    const status = await k("rollout", "status", "deployment/stuck", "--timeout=60s");
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('error: deployment "stuck" exceeded its progress deadline');
    expect(await ok("get", "deployment", "stuck", "-o", "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}")).toBe("ProgressDeadlineExceeded");
    await ok("delete", "deployment", "stuck");
  });

  it("creates NodePort, LoadBalancer and ExternalName services as kubectl shows them: node ports given, <pending>, the external name; targetPort defaults to port", async () => {
    await ok("create", "service", "nodeport", "np", "--tcp=80:8080");
    await ok("create", "service", "loadbalancer", "lb", "--tcp=443");
    await ok("create", "service", "externalname", "ex", "--external-name=db.example.com");
    const shown = await ok("get", "svc", "np", "lb", "ex");
    expect(shown).toMatch(/^np\s+NodePort\s+127\.\d+\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP\s+\d+s$/m);
    expect(shown).toMatch(/^lb\s+LoadBalancer\s+127\.\d+\.\d+\.\d+\s+<pending>\s+443:3\d{4}\/TCP\s+\d+s$/m);
    expect(shown).toMatch(/^ex\s+ExternalName\s+<none>\s+db\.example\.com\s+<none>\s+\d+s$/m);
    await ok("apply", "-f", file("svc-plain.yaml", "apiVersion: v1\nkind: Service\nmetadata: { name: plain }\nspec: { selector: { app: x }, ports: [ { port: 5432 } ] }\n"));
    expect(await ok("get", "svc", "plain", "-o", "jsonpath={.spec.ports[0].targetPort}")).toBe("5432");
    // A dry run answers what the write would store: its clusterIP kept, targetPort defaulted, so no difference.
    expect(await k("diff", "-f", join(up.dataDir, "svc-plain.yaml"))).toMatchObject({ code: 0, stdout: "" });
    expect((await k("create", "service", "nodeport", "np", "--tcp=80:8080", "--dry-run=server")).stderr).toContain('services "np" already exists');
    await ok("delete", "svc", "np", "lb", "ex", "plain");
  });

  it("runs a work queue, deletes a finished Job after its ttlSecondsAfterFinished, and holds a suspended Job until it is resumed", async () => {
    const spec = (name: string, head: string) => `apiVersion: batch/v1\nkind: Job\nmetadata: { name: ${name} }\nspec:\n${head}`
      + `  template:\n    spec:\n      restartPolicy: Never\n      containers: [ { name: work, image: busybox, env: [ { name: COX_SIM_DURATION, value: 200ms } ] } ]\n`;
    await ok("apply", "-f", file("job-queue.yaml", spec("queue", "  parallelism: 2\n  ttlSecondsAfterFinished: 0\n")));
    await ok("wait", "--for=delete", "job/queue", "--timeout=60s");
    const events = await ok("get", "events", "--field-selector", "involvedObject.kind=Job,involvedObject.name=queue");
    expect(events.match(/SuccessfulCreate/g)).toHaveLength(2);
    expect(events).toMatch(/Normal\s+Completed\s+job\/queue\s+Job completed/);
    await eventually(async () => (await ok("get", "pods", "-l", "job-name=queue", "-o", "name")) === "", 30_000);

    await ok("apply", "-f", file("job-paused.yaml", spec("paused", "  suspend: true\n")));
    await eventually(async () => /^paused\s+Suspended\s+0\/1\s/m.test(await ok("get", "jobs", "paused")), 30_000);
    expect(await ok("get", "job", "paused", "-o", "jsonpath={.status.conditions[0].reason} {.status.startTime}")).toBe("JobSuspended ");
    expect(await ok("get", "pods", "-l", "job-name=paused", "-o", "name")).toBe("");
    await ok("patch", "job", "paused", "--type=merge", "-p", '{"spec":{"suspend":false}}');
    await ok("wait", "--for=condition=complete", "job/paused", "--timeout=60s");
    expect(await ok("get", "job", "paused", "-o", "jsonpath={.status.conditions[0].type}={.status.conditions[0].status} {.status.conditions[0].reason}")).toBe("Suspended=False JobResumed");
    await ok("delete", "job", "paused");
  });

  it("runs CronJobs: kubectl create cronjob, get cronjobs, a Job at each time of the schedule, create job --from, and delete takes the Jobs", async () => {
    const created = await k("create", "cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *", "--", "echo", "hi");
    expect(created, created.stderr).toMatchObject({ code: 0, stdout: "cronjob.batch/nightly created\n" });
    expect(await ok("get", "cronjobs")).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\nnightly\s+0 3 \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s\n$/);
    // A strategic merge patch of its containers (kubectl set, apply) finds them by name.
    expect(await ok("set", "image", "cronjob/nightly", "nightly=busybox:1.36")).toBe("cronjob.batch/nightly image updated\n");
    expect(await ok("get", "cronjob", "nightly", "-o", "jsonpath={.spec.jobTemplate.spec.template.spec.containers[0].image}")).toBe("busybox:1.36");
    expect(await ok("create", "job", "by-hand", "--from=cronjob/nightly")).toBe("job.batch/by-hand created\n");
    // kubectl names the CronJob as the Job's owner: the garbage collector takes it with the CronJob (below).
    expect(await ok("get", "job", "by-hand", "-o", "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}")).toBe("CronJob/nightly");
    expect((await k("set", "env", "job/by-hand", "X=1")).stderr).toContain("spec.template: Invalid value: field is immutable");
    expect((await k("patch", "job", "by-hand", "-p", '{"spec":{"completions":3}}', "--dry-run=server")).stderr).toContain("spec.completions: Invalid value: field is immutable");
    expect(await ok("get", "job", "by-hand", "-o", "jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate} {.spec.template.spec.containers[0].command}"))
      .toBe('manual ["echo","hi"]');
    // Made by kubectl, not by the cronjob controller: no `Created job by-hand` Event of the controller on the CronJob.
    expect(await ok("get", "events", "--field-selector", "involvedObject.kind=CronJob,involvedObject.name=nightly", "-o", "jsonpath={.items[*].message}")).not.toContain("Created job by-hand");

    const every = `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: often }\nspec:\n  schedule: "@every 2s"\n  concurrencyPolicy: Forbid\n`
      + `  successfulJobsHistoryLimit: 1\n  jobTemplate:\n    metadata: { labels: { app: often } }\n    spec:\n      template:\n        spec:\n`
      + `          restartPolicy: Never\n          containers: [ { name: work, image: busybox, env: [ { name: COX_SIM_DURATION, value: 100ms } ] } ]\n`;
    await ok("apply", "-f", file("cron-often.yaml", every));
    // A time of the schedule comes: its Job runs and succeeds, and is the one the history of 1 keeps (Jobs are named by
    // their minute, so `@every 2s` makes one a minute, as on Kubernetes; the history limits are the decision's tests).
    await eventually(async () => (await ok("get", "cronjob", "often", "-o", "jsonpath={.status.lastSuccessfulTime}")) !== "", 60_000);
    const runs = await eventually(async () => {
      const names = (await ok("get", "jobs", "-l", "app=often", "-o", "jsonpath={.items[*].metadata.name}")).split(" ").filter(Boolean);
      const schedule = await ok("get", "cronjob", "often", "-o", "jsonpath={.status.lastScheduleTime}");
      return names.length === 1 && Date.parse(schedule) > 0 ? { names, schedule } : null;
    }, 60_000);
    expect(runs.names[0]).toMatch(/^often-\d{8}$/);
    const bad = await k("create", "cronjob", "bad", "--image=busybox", "--schedule=61 * * * *");
    expect(bad.stderr).toMatch(/CronJob "bad" is invalid: spec\.schedule: Invalid value: "61 \* \* \* \*": .*0-59/);

    await ok("delete", "cronjob", "nightly", "often");
    await eventually(async () => (await ok("get", "jobs", "-l", "app=often", "-o", "name")) === "", 30_000);
    await eventually(async () => (await k("get", "job", "by-hand")).stderr.includes("NotFound"), 30_000);
  });

  it("runs DaemonSets: a pod on each node, get ds, rollout status, a rolling update by set image, placement on the nodes a user labelled, refusals in the apiserver's words, and delete takes the pods", async () => {
    const ds = (image: string, extra = "") => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: logs }\nspec:\n  selector: { matchLabels: { app: logs } }\n`
      + `  template:\n    metadata: { labels: { app: logs } }\n    spec:\n${extra}      containers: [ { name: agent, image: ${image} } ]\n`;
    expect(await ok("apply", "-f", file("ds.yaml", ds("fluentd:1")))).toBe("daemonset.apps/logs created\n");
    expect(await ok("rollout", "status", "ds/logs", "--timeout=60s")).toContain('daemon set "logs" successfully rolled out');
    expect(await ok("get", "ds")).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nlogs\s+2\s+2\s+2\s+2\s+2\s+<none>\s+\d+s\n$/);
    const placed = async () => (await ok("get", "pods", "-l", "app=logs", "-o", "jsonpath={range .items[*]}{.spec.nodeName}={.spec.containers[0].image} {end}")).trim().split(" ").sort();
    const nodes = (await ok("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}")).split(" ").sort();
    expect(await placed()).toEqual(nodes.map((n) => `${n}=fluentd:1`));
    const before = await ok("get", "pods", "-l", "app=logs", "-o", "name");

    expect(await ok("set", "image", "ds/logs", "agent=fluentd:2")).toBe("daemonset.apps/logs image updated\n");
    expect(await ok("rollout", "status", "ds/logs", "--timeout=60s")).toContain('daemon set "logs" successfully rolled out');
    await eventually(async () => (await placed()).join(" ") === nodes.map((n) => `${n}=fluentd:2`).join(" "), 30_000);
    const after = (await ok("get", "pods", "-l", "app=logs", "-o", "name")).trim().split("\n");
    expect(after.filter((p) => before.includes(p))).toEqual([]);
    expect(await ok("describe", "ds", "logs")).toMatch(/Desired Number of Nodes Scheduled: 2\nCurrent Number of Nodes Scheduled: 2\nNumber of Nodes Scheduled with Up-to-date Pods: 2/);
    // Each template is a ControllerRevision: rollout history lists them, undo goes back to the one before, and back again.
    expect(await ok("rollout", "history", "ds/logs")).toMatch(/^daemonset\.apps\/logs \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    expect(await ok("get", "controllerrevisions")).toMatch(/\nlogs-\w+\s+daemonset\.apps\/logs\s+2\s+\d+s\n/);
    expect(await ok("rollout", "undo", "ds/logs")).toBe("daemonset.apps/logs rolled back\n");
    await eventually(async () => (await placed()).join(" ") === nodes.map((n) => `${n}=fluentd:1`).join(" "), 30_000);
    expect(await ok("rollout", "undo", "ds/logs")).toBe("daemonset.apps/logs rolled back\n");
    await eventually(async () => (await placed()).join(" ") === nodes.map((n) => `${n}=fluentd:2`).join(" "), 30_000);
    expect(await ok("rollout", "history", "ds/logs")).toMatch(/\n3\s+<none>\n4\s+<none>\n/);

    // A node selector places it on the nodes a user labelled (kubectl label node), and takes it off one unlabelled.
    const [first = "", second = ""] = nodes;
    expect(await ok("label", "node", first, "logs=on")).toBe(`node/${first} labeled\n`);
    expect(await ok("annotate", "node", first, "owner=ops")).toBe(`node/${first} annotated\n`);
    await ok("patch", "ds", "logs", "-p", '{"spec":{"template":{"spec":{"nodeSelector":{"logs":"on"}}}}}');
    await eventually(async () => (await placed()).join(" ") === `${first}=fluentd:2`, 30_000);
    expect(await ok("get", "ds", "logs")).toMatch(/\nlogs\s+1\s+1\s+1\s+1\s+1\s+logs=on\s+\d+s\n$/);
    expect(await ok("get", "node", first, "-o", "jsonpath={.metadata.labels.logs} {.metadata.annotations.owner} {.metadata.labels.kubernetes\\.io/hostname}")).toBe(`on ops ${first}`);
    await ok("label", "node", second, "logs=on");
    await eventually(async () => (await placed()).length === 2, 30_000);
    expect(await ok("label", "node", first, "logs-")).toBe(`node/${first} unlabeled\n`);
    await eventually(async () => (await placed()).join(" ") === `${second}=fluentd:2`, 30_000);
    expect((await k("patch", "node", first, "-p", '{"metadata":{"labels":{"bad":"a b"}}}')).stderr).toMatch(/metadata\.labels\.bad: a label value must be empty/);

    const bad = await k("apply", "-f", file("ds-bad.yaml", ds("x", "      restartPolicy: Never\n")));
    expect(bad.stderr).toContain('spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"');
    await ok("delete", "ds", "logs");
    await eventually(async () => (await ok("get", "pods", "-l", "app=logs", "-o", "name")) === "", 30_000);
  });

  it("runs StatefulSets: pods made in order with stable names, scale, a rolling update from the highest ordinal, partitions, refusals in the apiserver's words, and delete takes the pods", async () => {
    const sts = (image: string, extra = "") => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: db }\nspec:\n  serviceName: db\n  replicas: 3\n`
      + `  selector: { matchLabels: { app: db } }\n${extra}  template:\n    metadata: { labels: { app: db } }\n    spec:\n      containers: [ { name: main, image: ${image} } ]\n`;
    expect(await ok("apply", "-f", file("sts.yaml", sts("db:1")))).toBe("statefulset.apps/db created\n");
    expect(await ok("rollout", "status", "sts/db", "--timeout=60s")).toContain("partitioned roll out complete: 3 new pods have been updated...");
    const pods = async () => (await ok("get", "pods", "-l", "app=db", "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image} {end}")).trim().split(" ").filter(Boolean).sort();
    expect(await pods()).toEqual(["db-0=db:1", "db-1=db:1", "db-2=db:1"]);
    expect(await ok("get", "pod", "db-1", "-o", "jsonpath={.spec.hostname}.{.spec.subdomain} {.metadata.labels.apps\\.kubernetes\\.io/pod-index}")).toBe("db-1.db 1");
    expect(await ok("get", "sts")).toMatch(/^NAME\s+READY\s+AGE\ndb\s+3\/3\s+\d+s\n$/);

    expect(await ok("scale", "sts", "db", "--replicas=1")).toBe("statefulset.apps/db scaled\n");
    await eventually(async () => (await pods()).join(" ") === "db-0=db:1", 30_000);
    await ok("scale", "sts", "db", "--replicas=3");
    await eventually(async () => (await pods()).length === 3, 30_000);
    // A partition of 2: only db-2 takes the new template.
    await ok("apply", "-f", file("sts.yaml", sts("db:2", "  updateStrategy: { rollingUpdate: { partition: 2 } }\n")));
    await eventually(async () => (await pods()).join(" ") === "db-0=db:1 db-1=db:1 db-2=db:2", 30_000);
    await ok("apply", "-f", file("sts.yaml", sts("db:2", "  updateStrategy: { rollingUpdate: { partition: 0 } }\n")));
    await eventually(async () => (await pods()).join(" ") === "db-0=db:2 db-1=db:2 db-2=db:2", 30_000);
    expect(await ok("rollout", "status", "sts/db", "--timeout=60s")).toContain("partitioned roll out complete: 3 new pods have been updated...");
    expect(await ok("rollout", "undo", "sts/db")).toBe("statefulset.apps/db rolled back\n");
    await eventually(async () => (await pods()).join(" ") === "db-0=db:1 db-1=db:1 db-2=db:1", 30_000);

    expect((await k("patch", "sts", "db", "-p", '{"spec":{"serviceName":"other"}}')).stderr).toContain("spec: Forbidden: updates to statefulset spec for fields other than 'replicas'");
    const claims = sts("db:1").replace("  template:", "  volumeClaimTemplates: [ { metadata: { name: data }, spec: { resources: { requests: { storage: 1Gi } } } } ]\n  template:").replace("name: db }", "name: db2 }");
    expect((await k("apply", "-f", file("sts2.yaml", claims))).stderr).toContain("spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required");
    await ok("delete", "sts", "db");
    await eventually(async () => (await pods()).length === 0, 30_000);
  });

  it("taints nodes: NoSchedule keeps untolerating pods off (FailedScheduling names the taint), NoExecute evicts them (TaintManagerEviction), untainting lets them back", async () => {
    const nodes = (await ok("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}")).split(" ").sort();
    const [first = "", second = ""] = nodes;
    const where = async () => (await ok("get", "pods", "-l", "app=tainted", "--field-selector", "status.phase=Running", "-o", "jsonpath={.items[*].spec.nodeName}")).split(" ").filter(Boolean);
    try {
      expect(await ok("taint", "nodes", first, "dedicated=gpu:NoSchedule")).toBe(`node/${first} tainted\n`);
      expect(await ok("describe", "node", first)).toMatch(/Taints:\s+dedicated=gpu:NoSchedule\n/);
      await ok("create", "deployment", "tainted", "--image=nginx", "--replicas=2");
      await eventually(async () => (await where()).length === 2, 30_000);
      expect(new Set(await where())).toEqual(new Set([second]));
      // A pod that must go to the tainted node waits, and says why.
      await ok("run", "pinned", "--image=nginx", `--overrides={"spec":{"nodeSelector":{"kubernetes.io/hostname":"${first}"}}}`);
      await eventually(async () => /untolerated taint \{dedicated: gpu\}/.test(await ok("describe", "pod", "pinned")), 30_000);
      // NoExecute on the other node: its pods go, and come back nowhere until a node takes them.
      expect(await ok("taint", "nodes", second, "maintenance=on:NoExecute")).toBe(`node/${second} tainted\n`);
      expect(await ok("get", "node", second, "-o", "jsonpath={.spec.taints[0].timeAdded}")).toMatch(/^\d{4}-\d\d-\d\dT/);
      await eventually(async () => (await where()).length === 0, 30_000);
      expect(await ok("get", "events", "--field-selector", "reason=TaintManagerEviction", "-o", "jsonpath={.items[*].message}")).toMatch(/Marking for deletion Pod default\/tainted-/);
      expect(await ok("taint", "nodes", first, "dedicated=gpu:NoSchedule-")).toBe(`node/${first} untainted\n`);
      await eventually(async () => (await where()).length === 2, 30_000);
      expect(new Set(await where())).toEqual(new Set([first]));
      await eventually(async () => (await ok("get", "pod", "pinned", "-o", "jsonpath={.spec.nodeName}")) === first, 30_000);
      expect((await k("patch", "node", first, "-p", '{"spec":{"taints":[{"key":"a","effect":"Sometimes"}]}}')).stderr)
        .toContain('spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"');
    } finally {
      await k("taint", "nodes", first, "dedicated-");
      await k("taint", "nodes", second, "maintenance-");
      await k("delete", "deployment", "tainted");
      await k("delete", "pod", "pinned", "--grace-period=1");
    }
  });

  it("keeps a PodDisruptionBudget through kubectl drain: evictions refused with 429 while none is allowed, admitted one at a time once one is", async () => {
    const row = async () => (await ok("get", "pdb", "guarded")).split("\n")[1] ?? "";
    const running = async () => (await ok("get", "pods", "-l", "app=guarded", "--field-selector", "status.phase=Running", "-o", "jsonpath={range .items[*]}{.metadata.name}@{.spec.nodeName} {end}")).split(" ").filter(Boolean);
    let drained = "";
    try {
      await ok("create", "deployment", "guarded", "--image=nginx", "--replicas=2");
      expect(await ok("create", "pdb", "guarded", "--selector=app=guarded", "--min-available=2")).toBe("poddisruptionbudget.policy/guarded created\n");
      expect((await ok("get", "pdb")).split("\n")[0]).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/);
      await eventually(async () => /^guarded\s+2\s+N\/A\s+0\s+\S+$/.test(await row()) && (await running()).length === 2, 30_000);
      const [victim = ""] = await running();
      drained = victim.split("@")[1] ?? "";
      // None allowed: kubectl drain asks, is told 429, and retries until its timeout; the pod stays.
      const refused = await k("drain", drained, "--pod-selector=app=guarded", "--timeout=7s");
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toContain("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.");
      expect(await running()).toContain(victim);
      if (LEGACY) { // kubectl 1.20 finds the eviction subresource by discovery too, and is refused alike
        const legacy = await kubectl(config, ["drain", drained, "--pod-selector=app=guarded", "--timeout=7s"], undefined, LEGACY);
        expect(legacy.stdout + legacy.stderr).toContain("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.");
      }
      // One allowed: the eviction is admitted, the pod goes, and the budget allows none until its replacement is Ready.
      await ok("patch", "pdb", "guarded", "--type=merge", "-p", '{"spec":{"minAvailable":1}}');
      await eventually(async () => /^guarded\s+1\s+N\/A\s+1\s/.test(await row()), 30_000);
      const evicted = await ok("drain", drained, "--pod-selector=app=guarded", "--timeout=30s");
      expect(evicted).toContain(`pod/${victim.split("@")[0] ?? ""} evicted`);
      expect(evicted).toContain(`node/${drained} drained`);
      await eventually(async () => {
        const now = await running();
        return now.length === 2 && !now.includes(victim) && now.every((p) => !p.endsWith(`@${drained}`));
      }, 30_000);
      await eventually(async () => /^guarded\s+1\s+N\/A\s+1\s/.test(await row()), 30_000);
      // Bad budgets are refused in the apiserver's words, and nothing is stored.
      const both = await k("apply", "-f", file("both.yaml", "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: both }\nspec: { minAvailable: 1, maxUnavailable: 1 }\n"));
      expect(both.stderr).toContain('The PodDisruptionBudget "both" is invalid: spec: Invalid value:');
      expect(both.stderr).toContain("minAvailable and maxUnavailable cannot be both set");
      expect((await k("get", "pdb", "both")).stderr).toContain('poddisruptionbudgets.policy "both" not found');
    } finally {
      if (drained) await k("uncordon", drained);
      await k("delete", "pdb", "guarded");
      await k("delete", "deployment", "guarded");
    }
  });

  it("takes names with dots (DNS-1123 subdomains) where Kubernetes does, carried as `_` in subject tokens, and refuses them for namespaces and services", async () => {
    expect(await ok("create", "configmap", "app.config", "--from-literal=mode=dotted")).toBe("configmap/app.config created\n");
    expect(await ok("get", "configmap", "app.config", "-o", "jsonpath={.data.mode}")).toBe("dotted");
    expect(await overNats("configmaps", "default", "app.config")).toMatchObject({ metadata: { name: "app.config" } });
    // Its events are on the name's token, and say the name itself.
    const seen: string[] = [];
    const sub = nc.subscribe("cox.ev.configmaps.default.app_config", { callback: (_e, m) => void seen.push((m.json<{ name: string }>()).name) });
    await nc.flush();
    await ok("label", "configmap", "app.config", "tier=a");
    await eventually(async () => seen.length > 0, 10_000);
    sub.unsubscribe();
    expect(seen[0]).toBe("app.config");
    // A leader-election lease named as operators name theirs, and a pod that runs.
    const lease = "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: { name: my-operator.example.com }\nspec: { holderIdentity: a, leaseDurationSeconds: 15 }\n";
    expect(await ok("apply", "-f", file("dotted-lease.yaml", lease))).toBe("lease.coordination.k8s.io/my-operator.example.com created\n");
    expect(await ok("get", "lease", "my-operator.example.com", "-o", "jsonpath={.spec.holderIdentity}")).toBe("a");
    await ok("apply", "-f", file("dotted-pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: { name: web.v1 }\nspec: { containers: [ { name: main, image: nginx } ] }\n"));
    await eventually(async () => /^web\.v1\s+1\/1\s+Running\s/m.test(await ok("get", "pod", "web.v1")), 30_000);
    expect((await k("create", "namespace", "team.a")).stderr)
      .toContain(`The Namespace "team.a" is invalid: metadata.name: Invalid value: "team.a": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`);
    expect((await k("create", "service", "clusterip", "web.svc", "--tcp=80:80")).stderr).toContain('Service "web.svc" is invalid: metadata.name: Invalid value: "web.svc"');
    expect((await k("create", "configmap", "Bad.Name")).stderr).toContain("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
    expect(await ok("delete", "configmap", "app.config")).toBe('configmap "app.config" deleted\n');
    expect(await ok("delete", "lease", "my-operator.example.com")).toBe('lease.coordination.k8s.io "my-operator.example.com" deleted\n');
    await ok("delete", "pod", "web.v1", "--grace-period=1");
    expect((await k("get", "configmap", "app.config")).stderr).toContain('configmaps "app.config" not found');
  });

  it("runs a pod as a real cluster exports it: its projected kube-api-access volume, and kube-root-ca.crt with the CA in every namespace, made again when deleted", async () => {
    const ca = readFileSync(join(up.dataDir, "pki", "ca.crt"), "utf8");
    const caOf = async (ns: string) => (await k("get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "jsonpath={.data.ca\\.crt}")).stdout.trimEnd();
    try {
      await ok("create", "namespace", "exported");
      await eventually(async () => (await caOf("exported")) === ca.trimEnd(), 20_000);
      await eventually(async () => (await caOf("default")) === ca.trimEnd(), 20_000);
      const pod = [
        "apiVersion: v1", "kind: Pod",
        "metadata: { name: copied, namespace: exported, uid: 0b4c6a9e-0000-4000-8000-000000000000, creationTimestamp: \"2026-01-01T00:00:00Z\", labels: { app: copied } }",
        "spec:",
        "  containers:",
        "  - name: web", "    image: nginx", "    imagePullPolicy: Always", "    resources: {}",
        "    terminationMessagePath: /dev/termination-log", "    terminationMessagePolicy: File",
        "    volumeMounts: [ { name: kube-api-access-x7k2p, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true } ]",
        "  dnsPolicy: ClusterFirst", "  enableServiceLinks: true", "  preemptionPolicy: PreemptLowerPriority", "  priority: 0", "  restartPolicy: Always",
        "  schedulerName: default-scheduler", "  securityContext: {}", "  serviceAccount: default", "  serviceAccountName: default", "  terminationGracePeriodSeconds: 30",
        "  tolerations: [ { effect: NoExecute, key: node.kubernetes.io/not-ready, operator: Exists, tolerationSeconds: 300 } ]",
        "  volumes:",
        "  - name: kube-api-access-x7k2p",
        "    projected:", "      defaultMode: 420", "      sources:",
        "      - serviceAccountToken: { expirationSeconds: 3607, path: token }",
        "      - configMap: { name: kube-root-ca.crt, items: [ { key: ca.crt, path: ca.crt } ] }",
        "      - downwardAPI: { items: [ { fieldRef: { apiVersion: v1, fieldPath: metadata.namespace }, path: namespace } ] }",
        "status: { phase: Running, podIP: 10.244.1.7, qosClass: BestEffort }",
      ].join("\n");
      expect(await ok("apply", "-f", file("exported-pod.yaml", `${pod}\n`))).toBe("pod/copied created\n");
      await eventually(async () => /^copied\s+1\/1\s+Running\s/m.test(await ok("get", "pod", "copied", "-n", "exported")), 30_000);
      // Deleted or changed, it is set back.
      await ok("delete", "configmap", "kube-root-ca.crt", "-n", "exported");
      await eventually(async () => (await caOf("exported")) === ca.trimEnd(), 20_000);
      await ok("patch", "configmap", "kube-root-ca.crt", "-n", "exported", "--type=merge", "-p", '{"data":{"ca.crt":"tampered"}}');
      await eventually(async () => (await caOf("exported")) === ca.trimEnd(), 20_000);
    } finally {
      await k("delete", "namespace", "exported", "--wait=false");
    }
  });

  it("stores and serves Ingresses, IngressClasses and NetworkPolicies as an application's manifests carry them (kubectl create ingress: protobuf), refusing bad ones in the apiserver's words", async () => {
    try {
      expect(await ok("create", "ingress", "site", "--class=nginx", "--rule=shop.example.com/api*=site:80,tls=site-tls", "--rule=*.example.com/=site:http"))
        .toBe("ingress.networking.k8s.io/site created\n");
      const rows = (await ok("get", "ingress")).split("\n");
      expect(rows[0]).toMatch(/^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE$/);
      expect(rows[1]).toMatch(/^site\s+nginx\s+shop\.example\.com,\*\.example\.com\s+80, 443\s+\d+s$/);
      expect(await ok("get", "ing", "site", "-o", "jsonpath={.spec.rules[0].http.paths[0].pathType} {.spec.rules[0].http.paths[0].backend.service.port.number} {.spec.rules[1].http.paths[0].backend.service.port.name} {.spec.tls[0].secretName}"))
        .toBe("Prefix 80 http site-tls");
      const policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny-all }\nspec: { podSelector: {}, policyTypes: [Ingress] }\n";
      expect(await ok("apply", "-f", file("netpol.yaml", policy))).toBe("networkpolicy.networking.k8s.io/deny-all created\n");
      expect((await ok("get", "netpol")).split("\n").slice(0, 2).map((l) => l.replace(/\s+/g, " "))).toEqual(["NAME POD-SELECTOR AGE", expect.stringMatching(/^deny-all <none> \d+s$/)]);
      const ingressClass = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: nginx }\nspec: { controller: k8s.io/ingress-nginx }\n";
      expect(await ok("apply", "-f", file("ingressclass.yaml", ingressClass))).toBe("ingressclass.networking.k8s.io/nginx created\n");
      expect((await ok("get", "ingressclass")).split("\n")[1]).toMatch(/^nginx\s+k8s\.io\/ingress-nginx\s+<none>\s+\d+s$/);
      const bad = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: bad }\nspec: { rules: [ { http: { paths: [ { path: /, backend: { service: { name: site, port: { number: 80 } } } } ] } } ] }\n";
      expect((await k("apply", "-f", file("bad-ingress.yaml", bad))).stderr).toContain('The Ingress "bad" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified');
      expect((await k("get", "ingress", "bad")).stderr).toContain('ingresses.networking.k8s.io "bad" not found');
    } finally {
      await k("delete", "ingress", "site");
      await k("delete", "netpol", "deny-all");
      await k("delete", "ingressclass", "nginx");
    }
  });

  it("stores PriorityClasses (kubectl create priorityclass: protobuf), refusing a reserved name and a changed value", async () => {
    try {
      expect(await ok("create", "priorityclass", "batch-low", "--value=100", "--description=batch work", "--preemption-policy=Never")).toBe("priorityclass.scheduling.k8s.io/batch-low created\n");
      expect((await ok("get", "pc", "batch-low")).split("\n").map((l) => l.replace(/\s+/g, " "))[1]).toMatch(/^batch-low 100 false \d+s$/);
      expect(await ok("get", "pc", "batch-low", "-o", "jsonpath={.description} {.preemptionPolicy}")).toBe("batch work Never");
      expect((await k("create", "priorityclass", "system-mine", "--value=1")).stderr).toContain("priority class names with 'system-' prefix are reserved");
      expect((await k("patch", "pc", "batch-low", "--type=merge", "-p", '{"value":200}')).stderr).toContain('The PriorityClass "batch-low" is invalid: value: Invalid value: field is immutable');
      // Kubernetes' own two classes exist; a pod takes its class's value and policy, and a class that does not exist is refused.
      expect(await ok("get", "pc", "system-cluster-critical", "system-node-critical", "-o", "jsonpath={.items[*].value}")).toBe("2000000000 2000001000");
      expect(await ok("run", "prio", "--image=nginx", "--overrides", '{"spec":{"priorityClassName":"batch-low"}}')).toBe("pod/prio created\n");
      expect(await ok("get", "pod", "prio", "-o", "jsonpath={.spec.priority} {.spec.preemptionPolicy}")).toBe("100 Never");
      expect((await k("run", "prio2", "--image=nginx", "--overrides", '{"spec":{"priorityClassName":"nope"}}')).stderr)
        .toContain('Error from server (Forbidden): pods "prio2" is forbidden: no PriorityClass with name nope was found');
      // A Deployment's pods, made by its controller, take it too.
      expect(await ok("create", "deployment", "critical", "--image=nginx")).toBe("deployment.apps/critical created\n");
      await ok("patch", "deployment", "critical", "--type=merge", "-p", '{"spec":{"template":{"spec":{"priorityClassName":"system-cluster-critical"}}}}');
      await eventually(async () => (await ok("get", "pods", "-l", "app=critical", "-o", "jsonpath={.items[*].spec.priority}")) === "2000000000", 30_000);
    } finally {
      await k("delete", "deployment", "critical");
      await k("delete", "pod", "prio");
      await k("delete", "pc", "batch-low");
    }
  });

  it("applies server-side with field managers: a conflict between two, then taken with --force-conflicts", async () => {
    const path = file("ssa.yaml", RC.replace(/web/g, "ssa").replace("replicas: 2", "replicas: 1"));
    expect(await ok("apply", "--server-side", "--field-manager=alice", "-f", path)).toBe("replicationcontroller/ssa serverside-applied\n");
    const bob = file("ssa-bob.yaml", RC.replace(/web/g, "ssa").replace("replicas: 2", "replicas: 0"));
    expect((await k("apply", "--server-side", "--field-manager=bob", "-f", bob)).stderr).toContain('Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    expect(await ok("apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", bob)).toBe("replicationcontroller/ssa serverside-applied\n");
    expect(((await overNats("replicationcontrollers", "default", "ssa")).spec as { replicas: number }).replicas).toBe(0);
    expect(await ok("get", "rc", "ssa", "-o", "jsonpath={.metadata.managedFields[*].manager}")).toBe("alice bob");
    await ok("delete", "rc", "ssa");
  });

  it("shows a pod's logs from the log stream, and its Events in describe and get events", async () => {
    const node = startCli("coxswain", ["node", "--name", "proc-1", "--runtime", "process", "--heartbeat", "200", "--data-dir", up.dataDir]);
    try {
      await node.waitFor("node agent ready", 60_000);
      const greeter = "apiVersion: v1\nkind: Pod\nmetadata: { name: greeter }\nspec:\n  nodeName: proc-1\n" +
        "  containers: [ { name: main, image: local, command: [sh, -c, \"echo one; echo two; sleep 30\"] } ]\n";
      await ok("apply", "-f", file("greeter.yaml", greeter));
      await eventually(async () => (await k("logs", "greeter")).stdout === "one\ntwo\n", 30_000);
      expect(await ok("logs", "greeter", "-c", "main", "--tail=1")).toBe("two\n");
      expect(await ok("logs", "greeter", "--timestamps")).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z one\n/);
      expect((await k("logs", "greeter", "-c", "nope")).stderr).toContain("container nope is not valid for pod greeter");
      const short = "apiVersion: v1\nkind: Pod\nmetadata: { name: short }\nspec:\n  nodeName: proc-1\n  restartPolicy: Never\n" +
        "  containers: [ { name: main, image: local, command: [sh, -c, \"echo a; sleep 2; echo b\"] } ]\n";
      await ok("apply", "-f", file("short.yaml", short));
      await eventually(async () => (await k("logs", "short")).stdout.startsWith("a\n"), 30_000);
      // -f follows until the container ends, then kubectl exits by itself
      expect(await ok("logs", "-f", "short")).toBe("a\nb\n");
      const described = await ok("describe", "pod", "greeter");
      expect(described).toMatch(/^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message/m);
      expect(described).toMatch(/Normal\s+Started\s+\S+\s+kubelet\s+Started container main/);
      const events = await ok("get", "events", "--field-selector", "involvedObject.name=greeter");
      expect(events.split("\n")[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
      expect(events).toMatch(/Normal\s+Started\s+pod\/greeter\s+Started container main/);
      await ok("delete", "pod", "greeter", "--grace-period=1");
    } finally {
      node.child.kill("SIGTERM");
      await node.exited;
    }
  });

  it("gives a process its variables from a Secret, holds it as CreateContainerConfigError until the Secret exists, and will not start one that mounts a volume", async () => {
    await onProcessNode("proc-secret", async () => {
      await heldUntilCreated("with-secret", "proc-secret", "echo user=$DB_USER password=$PASSWORD",
        "    envFrom: [ { prefix: DB_, secretRef: { name: creds } } ]\n    env: [ { name: PASSWORD, valueFrom: { secretKeyRef: { name: creds, key: PASS } } } ]\n",
        'secret "creds" not found', ["secret", "generic", "creds", "--from-literal=USER=app", "--from-literal=PASS=s3cr3t p@ss"], "user=app password=s3cr3t p@ss\n");
      await ok("delete", "secret", "creds");
      // A process runs on the host, where no volume can be at its mountPath: the node says so instead of starting it.
      const mounting = "apiVersion: v1\nkind: Pod\nmetadata: { name: mounting }\nspec:\n  nodeName: proc-secret\n  volumes: [ { name: scratch, emptyDir: {} } ]\n"
        + "  containers:\n  - { name: main, image: local, command: [sleep, '30'], volumeMounts: [ { name: scratch, mountPath: /scratch } ] }\n";
      await ok("apply", "-f", file("mounting.yaml", mounting));
      await eventually(async () => (await ok("describe", "pod", "mounting")).includes('Error: the process runtime mounts no volumes: volume "scratch" at /scratch'), 30_000);
      await ok("delete", "pod", "mounting", "--grace-period=1");
    });
  });

  it("gives a process its variables from a ConfigMap, and holds it as CreateContainerConfigError until the ConfigMap exists", async () => {
    await onProcessNode("proc-cm", async () => {
      await heldUntilCreated("configured", "proc-cm", "echo mode=$MODE level=$LEVEL app_mode=$APP_MODE",
        "    envFrom: [ { configMapRef: { name: settings } }, { prefix: APP_, configMapRef: { name: settings } } ]\n"
        + "    env: [ { name: LEVEL, valueFrom: { configMapKeyRef: { name: settings, key: level } } } ]\n",
        'configmap "settings" not found', ["configmap", "settings", "--from-literal=MODE=fast", "--from-literal=level=2"], "mode=fast level=2 app_mode=fast\n");
      await ok("delete", "configmap", "settings");
    });
  });

  it("runs init containers one at a time before the containers: Init:1/2 and PodInitializing while one runs, Init:Error failing the pod under Never, refusals in the apiserver's words", async () => {
    // On a simulated node by name: a process node an earlier test stopped may still look Ready to the scheduler.
    const pod = (name: string, inits: string, more = "") => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n  nodeName: node-1\n${more}  initContainers:\n${inits}`
      + "  containers: [ { name: app, image: nginx } ]\n";
    const waitDb = "  - { name: wait-db, image: busybox, command: [sh, -c, 'until nslookup db; do sleep 2; done'] }\n";
    // A simulated container with COX_SIM_DURATION runs that long: the second init container holds the pod.
    await ok("apply", "-f", file("held.yaml", pod("held", `${waitDb}  - { name: hold, image: busybox, env: [ { name: COX_SIM_DURATION, value: 1h } ] }\n`)));
    await ok("apply", "-f", file("inited.yaml", pod("inited", `${waitDb}  - { name: seed, image: busybox, command: [sh, -c, 'echo seeded'] }\n`)));
    await ok("apply", "-f", file("broken.yaml", pod("broken", "  - { name: fail, image: busybox, command: [sh, -c, 'exit 3'] }\n", "  restartPolicy: Never\n")));
    const json = async (name: string, path: string) => ok("get", "pod", name, "-o", `jsonpath=${path}`);
    await eventually(async () => /^held\s+0\/1\s+Init:1\/2\s+0\s/.test((await ok("get", "pod", "held")).split("\n")[1] ?? ""), 30_000);
    expect(await json("held", "{.status.initContainerStatuses[0].state.terminated.reason} {.status.initContainerStatuses[0].ready} {.status.initContainerStatuses[1].state.running.startedAt}"))
      .toMatch(/^Completed true \d{4}-/);
    expect(await json("held", "{.status.phase} {.status.containerStatuses[0].state.waiting.reason} {.status.conditions[?(@.type==\"Initialized\")].status}")).toBe("Pending PodInitializing False");
    await eventually(async () => /^inited\s+1\/1\s+Running\s/.test((await ok("get", "pod", "inited")).split("\n")[1] ?? ""), 30_000);
    expect(await json("inited", "{.status.conditions[?(@.type==\"Initialized\")].status} {.status.initContainerStatuses[*].state.terminated.exitCode}")).toBe("True 0 0");
    const described = await ok("describe", "pod", "inited");
    expect(described).toMatch(/Init Containers:\n\s+wait-db:[\s\S]+State:\s+Terminated\n\s+Reason:\s+Completed/);
    await eventually(async () => /^broken\s+0\/1\s+Init:Error\s/.test((await ok("get", "pod", "broken")).split("\n")[1] ?? ""), 30_000);
    expect(await json("broken", "{.status.phase} {.status.initContainerStatuses[0].state.terminated.exitCode}")).toBe("Failed 3");
    const probe = await k("apply", "-f", file("probed.yaml", pod("probed", "  - { name: init, image: busybox, livenessProbe: { exec: { command: ['true'] } } }\n")));
    const policy = await k("apply", "-f", file("policy.yaml", pod("policy", "  - { name: init, image: busybox, restartPolicy: OnFailure }\n")));
    expect(policy.stderr).toContain('spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"');
    expect(probe.stderr).toContain('The Pod "probed" is invalid: spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always');
    const clash = await k("apply", "-f", file("clash.yaml", pod("clash", "  - { name: app, image: busybox }\n")));
    expect(clash.stderr).toContain('spec.initContainers[0].name: Duplicate value: "app"');
    expect((await k("get", "pod", "probed")).stderr).toContain('pods "probed" not found');
    await ok("delete", "pod", "held", "inited", "broken", "--grace-period=1");
  });

  it("runs sidecars (init containers with restartPolicy Always): counted in READY beside the container, and a Job with one completes", async () => {
    const sidecar = "      nodeSelector: { kubernetes.io/hostname: node-1 }\n      initContainers: [ { name: proxy, image: envoyproxy/envoy, restartPolicy: Always } ]\n";
    const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: meshed }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: meshed } }\n"
      + `  template:\n    metadata: { labels: { app: meshed } }\n    spec:\n${sidecar.replace("restartPolicy: Always", "restartPolicy: Always, startupProbe: { exec: { command: [pgrep, envoy] } }")}`
      + "      containers: [ { name: web, image: nginx } ]\n";
    await ok("apply", "-f", file("meshed.yaml", deployment));
    // The container waits for the sidecar's startup probe: its success, reported by the node, is the sidecar's `started`.
    await eventually(async () => /^meshed-\S+\s+2\/2\s+Running\s/.test((await ok("get", "pods", "-l", "app=meshed")).split("\n")[1] ?? ""), 30_000);
    expect(await ok("get", "pods", "-l", "app=meshed", "-o", "jsonpath={.items[0].status.initContainerStatuses[0].started}")).toBe("true");
    const job = "apiVersion: batch/v1\nkind: Job\nmetadata: { name: shipped }\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n"
      + `${sidecar}      containers: [ { name: work, image: busybox, command: [sh, -c, 'echo done'] } ]\n`;
    await ok("apply", "-f", file("shipped.yaml", job));
    await ok("wait", "--for=condition=complete", "job/shipped", "--timeout=30s");
    const pod = "{.items[0].status.phase} {.items[0].status.initContainerStatuses[0].state.terminated.exitCode}";
    await eventually(async () => (await ok("get", "pods", "-l", "batch.kubernetes.io/job-name=shipped", "-o", `jsonpath=${pod}`)) === "Succeeded 143", 30_000);
    expect((await ok("get", "pods", "-l", "batch.kubernetes.io/job-name=shipped")).split("\n")[1]).toMatch(/^shipped-\S+\s+0\/2\s+Completed\s+0\s/);
    await ok("delete", "deployment", "meshed");
    await ok("delete", "job", "shipped");
  });

  it("never counts a container that crashes at once as Ready: a rollout of one exceeds its progress deadline, the old pods stay", async () => {
    await onProcessNode("proc-crash", async () => {
      const deployment = (command: string) => "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: crashy }\nspec:\n  replicas: 2\n  progressDeadlineSeconds: 3\n"
        + "  selector: { matchLabels: { app: crashy } }\n  template:\n    metadata: { labels: { app: crashy } }\n    spec:\n      nodeName: proc-crash\n"
        + `      containers: [ { name: main, image: local, command: [sh, -c, '${command}'] } ]\n`;
      await ok("apply", "-f", file("crashy.yaml", deployment("sleep 600")));
      await ok("rollout", "status", "deployment/crashy", "--timeout=60s");
      await ok("apply", "-f", file("crashy.yaml", deployment("echo bad config >&2; exit 1")));
      const status = await k("rollout", "status", "deployment/crashy", "--timeout=60s");
      expect(status.stderr).toContain('error: deployment "crashy" exceeded its progress deadline');
      // maxUnavailable 25 % of 2 is 0: both healthy pods still run beside the crashing one.
      expect(await ok("get", "deployment", "crashy", "-o", "jsonpath={.status.availableReplicas}")).toBe("2");
      const crashing = await ok("get", "pods", "-l", "app=crashy", "-o", "jsonpath={range .items[?(@.spec.containers[0].command[2]!='sleep 600')]}{.status.containerStatuses[0].ready} {end}");
      expect(crashing.trim().split(" ").every((r) => r === "false")).toBe(true);
      await ok("delete", "deployment", "crashy");
    });
  });

  it("runs a process node's init container to its end before the container, each with its own log", async () => {
    await onProcessNode("proc-init", async () => {
      const pod = "apiVersion: v1\nkind: Pod\nmetadata: { name: ordered }\nspec:\n  nodeName: proc-init\n"
        + "  initContainers: [ { name: prepare, image: local, command: [sh, -c, 'echo prepared; sleep 1'] } ]\n"
        + "  containers: [ { name: main, image: local, command: [sh, -c, 'echo main; sleep 30'] } ]\n";
      await ok("apply", "-f", file("ordered.yaml", pod));
      await eventually(async () => (await ok("get", "pod", "ordered", "-o", "jsonpath={.status.phase}")) === "Running", 30_000);
      const [finished, started] = (await ok("get", "pod", "ordered", "-o", "jsonpath={.status.initContainerStatuses[0].state.terminated.finishedAt} {.status.containerStatuses[0].state.running.startedAt}")).split(" ");
      expect(Date.parse(finished ?? "")).toBeLessThanOrEqual(Date.parse(started ?? ""));
      expect(await ok("logs", "ordered", "-c", "prepare")).toBe("prepared\n");
      await eventually(async () => (await k("logs", "ordered", "-c", "main")).stdout === "main\n", 30_000);
      await ok("delete", "pod", "ordered", "--grace-period=1");
    });
  });

  it("autoscales Deployments by their pods' usage on a process node: up to maxReplicas, down to minReplicas, with kubectl's columns and Kubernetes' conditions", async () => {
    await onProcessNode("proc-hpa", async () => {
      const deployment = (name: string, replicas: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name} }\nspec:\n  replicas: ${replicas}\n`
        + `  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      nodeSelector: { kubernetes.io/hostname: proc-hpa }\n`
        + "      containers: [ { name: main, image: local, command: [sleep, '3600'], resources: { requests: { cpu: 100m, memory: 64Mi } } } ]\n";
      // A sleeping process holds about a MiB: 1 KiB a pod is far below, 1 GiB far above.
      const hpa = (name: string, average: string, min: number, max: number) => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: ${name} }\nspec:\n`
        + `  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }\n  minReplicas: ${min}\n  maxReplicas: ${max}\n`
        + `  metrics: [ { type: Resource, resource: { name: memory, target: { type: AverageValue, averageValue: ${average} } } } ]\n`
        + "  behavior: { scaleDown: { stabilizationWindowSeconds: 0 } }\n";
      await ok("apply", "-f", file("grower.yaml", deployment("grower", 1)));
      await ok("apply", "-f", file("shrinker.yaml", deployment("shrinker", 3)));
      const sampled = async (app: string, n: number) => (await k("top", "pod", "-l", `app=${app}`, "--no-headers")).stdout.trim().split("\n").filter(Boolean).length === n;
      await eventually(async () => (await sampled("grower", 1)) && sampled("shrinker", 3), 60_000);
      await ok("apply", "-f", file("grower-hpa.yaml", hpa("grower", "1Ki", 1, 3)));
      await ok("apply", "-f", file("shrinker-hpa.yaml", hpa("shrinker", "1Gi", 1, 5)));
      const replicas = async (name: string) => ok("get", "deployment", name, "-o", "jsonpath={.spec.replicas}");
      await eventually(async () => (await replicas("grower")) === "3" && (await replicas("shrinker")) === "1", 60_000);
      const row = (await ok("get", "hpa", "grower")).split("\n").map((l) => l.replace(/\s+/g, " "));
      expect(row[0]).toBe("NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE");
      expect(row[1]).toMatch(/^grower Deployment\/grower memory: \d+\/1Ki 1 3 \d \d+s$/);
      const conditions = await ok("get", "hpa", "grower", "-o", "jsonpath={range .status.conditions[*]}{.type}={.reason} {end}");
      expect(conditions).toMatch(/AbleToScale=(SucceededRescale|ReadyForNewScale) ScalingActive=ValidMetricFound ScalingLimited=TooManyReplicas/);
      expect(await ok("get", "hpa", "shrinker", "-o", "jsonpath={.status.conditions[?(@.type==\"ScalingLimited\")].reason}")).toMatch(/TooFewReplicas|DesiredWithinRange/);
      await eventually(async () => /Normal\s+SuccessfulRescale\s+\S+\s+horizontal-pod-autoscaler\s+New size: 3; reason: memory resource above target/.test(await ok("describe", "hpa", "grower")), 10_000);
      const bad = await k("apply", "-f", file("bad-hpa.yaml", hpa("bad", "1Ki", 4, 2)));
      expect(bad.stderr).toContain('The HorizontalPodAutoscaler "bad" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`');
      await ok("delete", "hpa", "grower", "shrinker");
      await ok("delete", "deployment", "grower", "shrinker");
    }, 500);
  });

  it("kubectl autoscale writes an autoscaling/v1 HorizontalPodAutoscaler, read back as v1 and v2; without samples it says so in Kubernetes' words", async () => {
    await ok("create", "deployment", "cpu-web", "--image=nginx", "--replicas=2");
    expect((await ok("autoscale", "deployment", "cpu-web", "--min=2", "--max=4", "--cpu-percent=50")).trim()).toBe("horizontalpodautoscaler.autoscaling/cpu-web autoscaled");
    expect(await ok("get", "horizontalpodautoscalers.v1.autoscaling", "cpu-web", "-o", "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage} {.spec.minReplicas}")).toBe("autoscaling/v1 50 2");
    expect(await ok("get", "hpa", "cpu-web", "-o", "jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}")).toBe("autoscaling/v2 50");
    // A simulated node publishes no samples: the autoscaler finds no metrics, and moves nothing.
    await eventually(async () => (await ok("get", "hpa", "cpu-web", "-o", "jsonpath={.status.conditions[?(@.type==\"ScalingActive\")].reason}")) === "FailedGetResourceMetric", 30_000);
    expect((await ok("get", "hpa", "cpu-web")).split("\n")[1]?.replace(/\s+/g, " ")).toMatch(/^cpu-web Deployment\/cpu-web cpu: <unknown>\/50% 2 4 2 \d+s$/);
    expect(await ok("get", "deployment", "cpu-web", "-o", "jsonpath={.spec.replicas}")).toBe("2");
    // A v1 manifest applied again is a PATCH through v1: the change lands on the stored v2 object.
    const v1 = (target: number) => "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: { name: cpu-v1 }\nspec:\n"
      + `  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: cpu-web }\n  minReplicas: 2\n  maxReplicas: 4\n  targetCPUUtilizationPercentage: ${target}\n`;
    expect(await ok("apply", "-f", file("cpu-v1.yaml", v1(60)))).toContain("horizontalpodautoscaler.autoscaling/cpu-v1 created");
    expect(await ok("apply", "-f", file("cpu-v1.yaml", v1(70)))).toContain("horizontalpodautoscaler.autoscaling/cpu-v1 configured");
    expect(await ok("get", "hpa", "cpu-v1", "-o", "jsonpath={.spec.metrics[0].resource.target.averageUtilization}")).toBe("70");
    await ok("delete", "hpa", "cpu-v1");
    if (LEGACY) {
      const legacy = await kubectl(config, ["autoscale", "deployment", "cpu-web", "--name=legacy-web", "--max=3", "--cpu-percent=70"], undefined, LEGACY);
      expect(legacy, legacy.stderr).toMatchObject({ code: 0 });
      expect(await ok("get", "hpa", "legacy-web", "-o", "jsonpath={.spec.metrics[0].resource.target.averageUtilization}")).toBe("70");
      await ok("delete", "hpa", "legacy-web");
    }
    await ok("delete", "hpa", "cpu-web");
    await ok("delete", "deployment", "cpu-web");
  });

  it("prints kubectl's usual lines for bad input, and creates nothing", async () => {
    const bad = await k("apply", "-f", file("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata: { name: bad }\nspec: { containers: [ { name: c } ] }\n"));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The Pod "bad" is invalid: spec.containers[0].image: Required');
    const unknown = await k("create", "-f", file("unknown.yaml", POD("odd").replace("image: busybox", "image: busybox, colour: red")));
    expect(unknown.stderr).toMatch(/strict decoding error: unknown field "spec.containers\[0\].colour"/);
    // A field of the wrong type is refused as the apiserver's decoder refuses it: 400, naming the field.
    const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: typed }\nspec:\n  replicas: three\n  selector: { matchLabels: { app: typed } }\n"
      + "  template:\n    metadata: { labels: { app: typed } }\n    spec: { containers: [ { name: c, image: nginx } ] }\n";
    const typed = file("typed.yaml", deployment);
    expect((await k("create", "-f", typed)).stderr)
      .toContain(`Error from server (BadRequest): error when creating "${typed}": Deployment in version "v1" cannot be handled as a Deployment: spec.replicas must be a number, not string`);
    expect((await k("get", "deployment", "typed")).stderr).toContain('deployments.apps "typed" not found');
    expect((await k("get", "pod", "bad")).stderr).toContain('pods "bad" not found');
    expect((await k("get", "widgets")).stderr).toContain('the server doesn\'t have a resource type "widgets"');
  });

  it("explains a kind's fields from the OpenAPI v3 schemas (nested paths, recursively), and apply still patches as before", async () => {
    const containers = await ok("explain", "pods.spec.containers");
    expect(containers).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: containers <\[\]Object>/);
    const fields = containers.slice(containers.indexOf("\nFIELDS:\n"));
    expect(fields).toMatch(/^ {2}image\t<string> -required-$/m);
    expect(fields).toMatch(/^ {2}name\t<string> -required-$/m);
    expect(fields).toMatch(/^ {2}ports\t<\[\]Object>$/m);
    expect(await ok("explain", "pods")).toMatch(/^ {2}metadata\t<Object> -required-\n {4}\S/m);
    const strategy = await ok("explain", "deployments.spec.strategy", "--api-version=apps/v1");
    expect(strategy).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\n/);
    expect(strategy).toMatch(/^ {2}type\t<string> -required-\n {2}enum: RollingUpdate, Recreate$/m);
    const recursive = await ok("explain", "pods", "--recursive");
    expect(recursive).toMatch(/^ {6}image\t<string> -required-$/m);
    expect(recursive).toMatch(/^ {10}cpu\t<Quantity>$/m);
    expect((await k("explain", "pods.spec.colour")).stderr).toContain('field "colour" does not exist');
    expect(await ok("explain", "events.involvedObject")).toMatch(/^ {2}kind\t<string> -required-$/m);
    // The schemas offer no strategic-merge-patch: kubectl apply keeps computing its patches from its built-in types.
    const site = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: explained }\nspec:\n  replicas: 0\n  selector: { matchLabels: { app: explained } }\n"
      + "  template:\n    metadata: { labels: { app: explained } }\n    spec: { containers: [ { name: web, image: nginx:1 } ] }\n";
    expect(await ok("apply", "-f", file("explained.yaml", site))).toBe("deployment.apps/explained created\n");
    expect(await ok("apply", "-f", file("explained.yaml", site.replace("nginx:1", "nginx:2")))).toBe("deployment.apps/explained configured\n");
    expect(await ok("get", "deployment", "explained", "-o", "jsonpath={.spec.template.spec.containers[*].image}")).toBe("nginx:2");
    await ok("delete", "deployment", "explained");
  });

  it.skipIf(!LEGACY)("works the same with kubectl 1.20 (Debian's kubernetes-client)", async () => {
    const old = async (...args: string[]) => kubectl(config, args, undefined, LEGACY);
    expect((await old("version")).stdout).toMatch(/Client Version: .*v1\.20[\s\S]*Server Version: .*v1\.32/);
    const path = file("old.yaml", RC.replace(/web/g, "old").replace("replicas: 2", "replicas: 1"));
    expect((await old("apply", "-f", path)).stdout).toBe("replicationcontroller/old created\n");
    expect((await old("apply", "-f", path)).stdout).toBe("replicationcontroller/old unchanged\n");
    writeFileSync(path, RC.replace(/web/g, "old").replace("replicas: 2", "replicas: 0"));
    expect((await old("apply", "-f", path)).stdout).toBe("replicationcontroller/old configured\n");
    expect((await old("get", "rc", "old")).stdout).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nold\s+0\s+/);
    expect((await old("create", "-f", file("bad-old.yaml", "apiVersion: v1\nkind: Pod\nmetadata: { name: bad }\nspec: { containers: [ { name: c } ] }\n"))).stderr)
      .toContain('The Pod "bad" is invalid: spec.containers[0].image: Required');
    expect((await old("delete", "rc", "old")).stdout).toBe('replicationcontroller "old" deleted\n');
    const deployed = await old("create", "deployment", "old-site", "--image=nginx", "--replicas=0");
    expect(deployed).toMatchObject({ code: 0, stdout: "deployment.apps/old-site created\n", stderr: "" });
    expect((await old("get", "deployment", "old-site", "-o", "jsonpath={.spec.replicas} {.spec.strategy.type}")).stdout).toBe("0 RollingUpdate");
    // Server dry runs: kubectl 1.20 looks for the kind's PATCH taking dryRun in /openapi/v2 first (protobuf to it, JSON to anyone else).
    const v2 = JSON.parse(await ok("get", "--raw", "/openapi/v2")) as { swagger: string; paths: Record<string, { patch: { parameters: { name: string }[] } }> };
    expect(v2.swagger).toBe("2.0");
    expect(v2.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?.patch.parameters.map((p) => p.name)).toEqual(["dryRun"]);
    expect(await old("create", "configmap", "old-dry", "--from-literal=a=b", "--dry-run=server", "-o", "name")).toMatchObject({ code: 0, stdout: "configmap/old-dry\n" });
    expect((await old("get", "configmap", "old-dry")).stderr).toContain('configmaps "old-dry" not found');
    expect(await old("delete", "deployment", "old-site", "--dry-run=server")).toMatchObject({ code: 0, stdout: 'deployment.apps "old-site" deleted (server dry run)\n' });
    const live = JSON.parse((await old("get", "deployment", "old-site", "-o", "json")).stdout) as { spec: { replicas: number } };
    const diff = await old("diff", "-f", file("old-site.json", JSON.stringify({ ...live, spec: { ...live.spec, replicas: 2 } })));
    expect(diff.code, diff.stderr).toBe(1);
    expect(diff.stdout).toMatch(/^-  replicas: 0\n\+  replicas: 2$/m);
    expect((await old("get", "deployment", "old-site", "-o", "jsonpath={.spec.replicas}")).stdout).toBe("0");
  });

  it("refuses a missing or wrong token with 401, and what a role may not do with 403 in Kubernetes' words", async () => {
    const wrong = readFileSync(config, "utf8").replace(/token: .*/, "token: not-a-token");
    const wrongConfig = file("wrong-kubeconfig", wrong);
    const denied: KubectlResult = await kubectl(wrongConfig, ["get", "pods"]);
    expect(denied.stderr).toMatch(/Unauthorized|must be logged in/);
    const tenant = startCli("coxswain", ["credentials", "kubeconfig", "tenant-alpha", "--data-dir", up.dataDir]);
    expect((await tenant.exited).code).toBe(0);
    const tenantConfig = file("tenant-kubeconfig", tenant.output());
    expect((await kubectl(tenantConfig, ["get", "pods", "-n", "demo"])).stderr)
      .toContain('pods is forbidden: User "tenant-alpha" cannot list resource "pods" in API group "" in the namespace "demo"');
    expect((await kubectl(tenantConfig, ["get", "pods"])).code).toBe(0);
    expect((await kubectl(tenantConfig, ["auth", "can-i", "get", "pods", "--as=admin"])).stderr)
      .toContain('users "admin" is forbidden: User "tenant-alpha" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it("answers auth whoami for the admin and for a user it impersonates", async () => {
    const me = await ok("auth", "whoami");
    expect(me).toMatch(/^ATTRIBUTE\s+VALUE\nUsername\s+admin\nGroups\s+\[system:masters system:authenticated\]\n$/);
    expect(await ok("auth", "whoami", "--as=alice", "--as-group=devs")).toMatch(/Username\s+alice\nGroups\s+\[devs system:authenticated\]/);
  });

  it("issues a service account's token with `kubectl create token`, judged by RBAC, refused once not for this API or its account is gone", async () => {
    await ok("create", "serviceaccount", "reader");
    await ok("create", "role", "pod-reader", "--verb=get,list", "--resource=pods");
    await ok("create", "rolebinding", "pod-reader", "--role=pod-reader", "--serviceaccount=default:reader");
    let n = 0;
    const as = (token: string, ...args: string[]) => kubectl(file(`token-kubeconfig-${n++}`, readFileSync(config, "utf8").replace(/token: .*/, `token: ${token}`)), args);
    const claims = (token: string) => JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { iat: number; exp: number; aud: string[]; sub: string };
    const token = (await ok("create", "token", "reader")).trim();
    expect(claims(token)).toMatchObject({ sub: "system:serviceaccount:default:reader", aud: ["https://kubernetes.default.svc.cluster.local"] });
    expect(claims(token).exp - claims(token).iat).toBe(3600);
    expect(await as(token, "get", "pods", "-o", "name")).toMatchObject({ code: 0 });
    const uid = await ok("get", "serviceaccount", "reader", "-o", "jsonpath={.metadata.uid}");
    const who = JSON.parse((await as(token, "auth", "whoami", "-o", "json")).stdout) as { status: { userInfo: unknown } };
    expect(who.status.userInfo).toEqual({
      username: "system:serviceaccount:default:reader", uid, groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
    });
    expect((await as(token, "get", "nodes")).stderr)
      .toContain('nodes is forbidden: User "system:serviceaccount:default:reader" cannot list resource "nodes" in API group "" at the cluster scope');
    const longer = (await ok("create", "token", "reader", "--duration=2h")).trim();
    expect(claims(longer).exp - claims(longer).iat).toBe(7200);
    expect((await k("create", "token", "reader", "--duration=1m")).stderr)
      .toContain('TokenRequest.authentication.k8s.io "reader" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
    expect((await k("create", "token", "nobody")).stderr).toContain('serviceaccounts "nobody" not found');
    // A token for another audience is not this API's to accept; one of a deleted account dies with it.
    const vault = (await ok("create", "token", "reader", "--audience=vault")).trim();
    expect(claims(vault).aud).toEqual(["vault"]);
    expect((await as(vault, "get", "pods")).stderr).toMatch(/Unauthorized|must be logged in/);
    await ok("delete", "serviceaccount", "reader");
    expect((await as(token, "get", "pods")).stderr).toMatch(/Unauthorized|must be logged in/);
    await ok("create", "serviceaccount", "reader");
    expect((await as(token, "get", "pods")).stderr).toMatch(/Unauthorized|must be logged in/); // same name, another uid
    await ok("delete", "serviceaccount/reader", "role/pod-reader", "rolebinding/pod-reader");
  });

  it("judges a service account's NATS requests by the same RBAC: leases allowed, pods 403, no token 401", async () => {
    await ok("apply", "-f", join(ROOT, "examples/leader-election/rbac.yaml"));
    const key = Buffer.from(readFileSync(serviceAccountKeyPath(up.dataDir), "utf8").trim(), "base64");
    const token = issueServiceAccountToken(key, { namespace: "default", name: "leaderelection-sa" }, Math.floor(Date.now() / 1000));
    const creds = JSON.parse(readFileSync(join(up.dataDir, "credentials", "serviceaccount.json"), "utf8")) as { user: string; password: string };
    const pod = await connect({ servers: up.url, user: creds.user, pass: creds.password, inboxPrefix: "_INBOX_serviceaccount" });
    try {
      const ask = async (subject: string, body: object, bearer: string | null = token, waits?: string) => {
        const h = headers();
        if (bearer) h.set("Authorization", `Bearer ${bearer}`);
        if (waits) h.set("Cox-Timeout", waits);
        return (await pod.request(subject, JSON.stringify(body), { headers: h, timeout: 5_000 })).json<{ ok: boolean; object?: { spec?: { holderIdentity?: string } }; status?: { code: number; reason: string; message: string } }>();
      };
      const lease = { metadata: { name: "nats-lease" }, spec: { holderIdentity: "pod-a", leaseDurationSeconds: 15 } };
      expect(await ask("cox.sa.cmd.leases.default.nats-lease", { apiVersion: "v1", type: "CreateLease", data: lease })).toMatchObject({ ok: true });
      expect((await ask("cox.sa.api.leases.default.get", { name: "nats-lease" })).object?.spec?.holderIdentity).toBe("pod-a");
      // How long the pod waits goes on to the actor host with the command (a tap on the users' tree sees it).
      const waited: (string | undefined)[] = [];
      const tap = nc.subscribe("cox.cmd.leases.default.nats-lease", { callback: (_e, m) => void waited.push(m.headers?.get("Cox-Timeout")) });
      await nc.flush();
      const renew = { metadata: { name: "nats-lease" }, spec: { holderIdentity: "pod-a", leaseDurationSeconds: 15, renewTime: new Date().toISOString() } };
      expect(await ask("cox.sa.cmd.leases.default.nats-lease", { apiVersion: "v1", type: "UpdateLease", data: renew }, token, "4000")).toMatchObject({ ok: true });
      expect(await ask("cox.sa.cmd.leases.default.nats-lease", { apiVersion: "v1", type: "UpdateLease", data: renew }, token, "soon")).toMatchObject({
        ok: false, status: { code: 400, reason: "BadRequest", message: expect.stringContaining("Cox-Timeout") },
      });
      await eventually(() => waited.length >= 1, 5_000);
      tap.unsubscribe();
      expect(waited).toEqual(["4000"]);
      expect(await ask("cox.sa.api.pods.default.list", {})).toMatchObject({ ok: false, status: {
        code: 403, reason: "Forbidden", message: 'pods is forbidden: User "system:serviceaccount:default:leaderelection-sa" cannot list resource "pods" in API group "" in the namespace "default"',
      } });
      const pod1 = { metadata: { name: "sneaky" }, spec: { containers: [{ name: "c", image: "busybox" }] } };
      expect(await ask("cox.sa.cmd.pods.default.sneaky", { apiVersion: "v1", type: "CreatePod", data: pod1 })).toMatchObject({ ok: false, status: { code: 403, reason: "Forbidden" } });
      expect((await k("get", "pod", "sneaky")).stderr).toContain('pods "sneaky" not found');
      expect(await ask("cox.sa.api.leases.default.get", { name: "nats-lease" }, null)).toMatchObject({ ok: false, status: { code: 401 } });
      await expect(pod.request("cox.api.pods.default.list", "{}", { timeout: 2_000 })).rejects.toThrow(/permissions|timeout|no responders/i);
    } finally {
      await pod.close();
    }
  });

  it("answers auth can-i (and --list) as a service account through impersonation, by the RBAC of its Role", async () => {
    const as = "--as=system:serviceaccount:default:leaderelection-sa";
    // An account no binding names may do nothing; the one the Role is bound to may act on leases.
    expect(await k("auth", "can-i", "--as=system:serviceaccount:default:nobody", "create", "leases")).toMatchObject({ code: 1, stdout: "no\n" });
    await ok("apply", "-f", join(ROOT, "examples/leader-election/rbac.yaml"));
    await eventually(async () => (await k("auth", "can-i", as, "create", "leases")).stdout === "yes\n", 10_000);
    expect(await k("auth", "can-i", as, "delete", "pods")).toMatchObject({ code: 1, stdout: "no\n" });
    expect(await k("auth", "can-i", as, "get", "leases", "-n", "kube-system")).toMatchObject({ code: 1, stdout: "no\n" });
    expect((await k("get", "pods", as)).stderr)
      .toContain('pods is forbidden: User "system:serviceaccount:default:leaderelection-sa" cannot list resource "pods" in API group "" in the namespace "default"');
    const list = (await ok("auth", "can-i", "--list", as)).split("\n");
    expect(list[0]).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    expect(list).toContainEqual(expect.stringMatching(/^leases\.coordination\.k8s\.io\s+\[\]\s+\[\]\s+\[\*\]$/));
    expect(list.filter((l) => l.startsWith("pods"))).toEqual([]);
    expect((await ok("auth", "can-i", "--list")).split("\n")).toContainEqual(expect.stringMatching(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/));
    if (LEGACY) expect((await kubectl(config, ["auth", "can-i", as, "create", "leases"], undefined, LEGACY)).stdout).toBe("yes\n");
  });

  it("has Kubernetes' bootstrap ClusterRoles: a binding to cluster-admin, admin, edit or view grants what it grants there", async () => {
    expect(await ok("get", "clusterroles", "cluster-admin", "admin", "edit", "view", "-o", "name"))
      .toBe("clusterrole.rbac.authorization.k8s.io/cluster-admin\nclusterrole.rbac.authorization.k8s.io/admin\nclusterrole.rbac.authorization.k8s.io/edit\nclusterrole.rbac.authorization.k8s.io/view\n");
    for (const role of ["cluster-admin", "admin", "edit", "view"]) {
      await ok("create", "serviceaccount", `as-${role}`);
      await ok("create", "rolebinding", `as-${role}`, `--clusterrole=${role}`, `--serviceaccount=default:as-${role}`);
    }
    await ok("create", "clusterrolebinding", "as-cluster-admin", "--clusterrole=cluster-admin", "--serviceaccount=default:as-cluster-admin");
    const can = async (role: string, ...what: string[]) => (await k("auth", "can-i", `--as=system:serviceaccount:default:as-${role}`, ...what)).stdout.trim();
    await eventually(async () => (await can("view", "list", "pods")) === "yes", 10_000);
    const table = async (...what: string[]) => Promise.all(["cluster-admin", "admin", "edit", "view"].map((r) => can(r, ...what)));
    expect(await table("list", "deployments.apps")).toEqual(["yes", "yes", "yes", "yes"]);
    expect(await table("get", "secrets")).toEqual(["yes", "yes", "yes", "no"]);
    expect(await table("create", "cronjobs.batch")).toEqual(["yes", "yes", "yes", "no"]);
    expect(await table("create", "rolebindings.rbac.authorization.k8s.io")).toEqual(["yes", "yes", "no", "no"]);
    expect(await table("delete", "nodes")).toEqual(["yes", "no", "no", "no"]);
    expect(await table("list", "pods", "-n", "alpha")).toEqual(["yes", "no", "no", "no"]); // a RoleBinding grants in its namespace only

    // An aggregated ClusterRole holds the rules of the roles its selectors pick, as they come.
    const label = "rbac.example.com/aggregate-to-monitoring";
    await ok("apply", "-f", file("monitoring.yaml", `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: monitoring }\n`
      + `aggregationRule:\n  clusterRoleSelectors: [ { matchLabels: { ${label}: "true" } } ]\nrules: []\n`));
    await ok("create", "serviceaccount", "mona");
    await ok("create", "clusterrolebinding", "mona", "--clusterrole=monitoring", "--serviceaccount=default:mona");
    expect((await k("auth", "can-i", "list", "endpoints", "--as=system:serviceaccount:default:mona")).stdout).toBe("no\n");
    await ok("apply", "-f", file("monitoring-endpoints.yaml", `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n`
      + `metadata: { name: monitoring-endpoints, labels: { ${label}: "true" } }\nrules: [ { apiGroups: [""], resources: [services, endpoints, pods], verbs: [get, list, watch] } ]\n`));
    await eventually(async () => (await k("auth", "can-i", "list", "endpoints", "--as=system:serviceaccount:default:mona")).stdout === "yes\n", 20_000);
    expect(await ok("get", "clusterrole", "monitoring", "-o", "jsonpath={.rules[0].resources}")).toBe('["services","endpoints","pods"]');
  });
});
