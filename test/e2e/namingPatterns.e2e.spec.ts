/**
 * The four naming patterns of examples/naming as a Kubernetes user runs them, on `coxswain up --nodes 3 --runtime
 * process` with the real kubectl and the example's files unchanged: a master-elected service (the leader labels its
 * pod, the Service selects the label), DB replicas (a headless service and stable per-pod DNS names), a sharded
 * service (one Service per shard, a client routing keys by DNS name) and a worker pool (one Service over an RC).
 * Names are resolved inside a pod, by the example program's `/lookup` and `/route`, through the pod's resolver.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardOf } from "../../examples/naming/shard.js";
import { httpGet as get } from "../harness/httpGet.js";
import { kubectlOk } from "../harness/kubectl.js";
import { eventually } from "../harness/natsServer.js";
import { ROOT } from "../harness/processes.js";
import { startUp, type UpProcess } from "../harness/upProcess.js";

const file = (name: string) => join(ROOT, "examples/naming", name);
let up: UpProcess;
let kubeconfig: string;
const k = (...args: string[]) => kubectlOk(kubeconfig, args);

const answers = async (host: string, n: number) => { const out: string[] = []; for (let i = 0; i < n; i++) out.push(await get(host, 8080)); return out; };

/** Running pods with an IP, name → IP, for a label selector. */
async function running(selector: string): Promise<Map<string, string>> {
  const out = await k("get", "pods", "-l", selector, "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.status.podIP} {.metadata.deletionTimestamp}{\"\\n\"}{end}");
  const rows = out.trim().split("\n").filter(Boolean).map((l) => l.split(" "));
  return new Map(rows.filter(([, phase, ip, deleting]) => phase === "Running" && ip && !deleting).map(([name, , ip]) => [name ?? "", ip ?? ""]));
}
const waitRunning = (selector: string, n: number) =>
  eventually(async () => { const p = await running(selector); return p.size === n ? p : undefined; }, 60_000, 500);
const readyAddresses = async (svc: string) => (await k("get", "endpoints", svc, "-o", "jsonpath={.subsets[*].addresses[*].ip}")).split(" ").filter(Boolean);
const clusterIP = async (svc: string) => (await k("get", "svc", svc, "-o", "jsonpath={.spec.clusterIP}")).trim();

let clientIP = "";
/** What the client pod answered for `path` (it resolves names with its own resolver), parsed. */
const fromClient = async <T>(path: string): Promise<T> => JSON.parse(await get(clientIP, 8080, path)) as T;

beforeAll(async () => {
  // A pod range of its own, so pods of other clusters on this machine cannot hold its addresses.
  up = await startUp(["--nodes", "3", "--runtime", "process", "--https", "0", "--cluster-cidr", `127.${112 + Math.floor(Math.random() * 120)}.0.0/16`]);
  kubeconfig = join(up.dataDir, "kubeconfig");
  await eventually(async () => ((await k("get", "nodes")).match(/\sReady\s/g)?.length === 3 ? true : undefined), 60_000, 500);
  // A pod started before its node has a podCIDR gets no POD_IP (docs/networking.md, what is left).
  await eventually(async () => ((await k("get", "nodes", "-o", "jsonpath={.items[*].spec.podCIDR}")).trim().split(" ").filter(Boolean).length === 3 ? true : undefined), 60_000, 200);
  expect(await k("apply", "-f", file("image.yaml"))).toBe("image.coxswain.io/naming created\n");
  await k("apply", "-f", file("client.yaml"));
  clientIP = (await waitRunning("app=client", 1)).get("client") ?? "";
}, 120_000);
afterAll(async () => up?.stop(), 60_000);

describe("naming patterns with kubectl and process pods (examples/naming)", () => {
  it("master-elected service: the Service over role=leader answers the Lease's holder, the next one when the leader's pod is deleted, and nobody while the Lease is another's", async () => {
    await k("apply", "-f", file("master-elected.yaml"));
    await waitRunning("app=elected", 3);
    const ip = await clusterIP("leader");
    const holder = async () => (await k("get", "lease", "elected", "-o", "jsonpath={.spec.holderIdentity}")).trim();
    const labelled = async () => [...(await running("app=elected,role=leader")).keys()];
    /** The leader once the Lease, the label and the Service all name it. */
    const settled = (not = "") => eventually(async () => {
      const h = await holder();
      if (!h || h === not || (await labelled()).join() !== h) return undefined;
      return (await answers(ip, 6)).every((a) => a === h) ? h : undefined;
    }, 60_000, 300);
    const first = await settled();
    await k("delete", "pod", first, "--wait=false");
    const next = await settled(first);
    expect(next).not.toBe(first);
    expect(await answers(ip, 6)).toEqual(Array(6).fill(next));
    expect(await labelled()).toEqual([next]);
    // A leader that loses the Lease while it runs steps down within its renew deadline and removes its label: the
    // service has nobody behind it while another holds the Lease, and the next leader once it is free.
    const lease = (spec: object) => k("patch", "lease", "elected", "--type=merge", "-p", JSON.stringify({ spec }));
    await lease({ holderIdentity: "intruder", leaseDurationSeconds: 3600 });
    await eventually(async () => ((await labelled()).length === 0 && (await get(ip, 8080)) === "ECONNREFUSED") || undefined, 30_000, 300);
    await lease({ holderIdentity: "", leaseDurationSeconds: 1 });
    expect(await settled("intruder")).toMatch(/^elected-[a-z0-9]{5}$/);
  });

  it("DB replicas: from a pod, db-N.db resolves to db-N's IP and answers db-N; db resolves to every ready replica", async () => {
    await k("apply", "-f", file("db-replicas.yaml"));
    const pods = await waitRunning("app=db", 3);
    type Lookup = { fqdn?: string; ips: string[]; answers?: string[] };
    for (const [name, ip] of pods) {
      const found = await eventually(async () => { const r = await fromClient<Lookup>(`/lookup?name=${name}.db`); return r.ips.length ? r : undefined; }, 20_000, 200);
      expect(found).toEqual({ name: `${name}.db`, fqdn: `${name}.db.default.svc.cluster.local`, ips: [ip], answers: [name] });
    }
    const all = await eventually(async () => { const r = await fromClient<Lookup>("/lookup?name=db"); return r.ips.length === 3 ? r : undefined; }, 20_000, 200);
    expect(all.ips).toEqual([...pods.values()].sort());
    expect(new Set(all.answers)).toEqual(new Set(pods.keys()));
    await k("delete", "pod", "db-2", "--wait=false");
    const left = await eventually(async () => { const r = await fromClient<Lookup>("/lookup?name=db"); return r.ips.length === 2 ? r : undefined; }, 20_000, 200);
    expect(left.ips).toEqual([pods.get("db-0"), pods.get("db-1")].sort());
  });

  it("sharded service: the client routes each key to shard-<fnv1a(key) % 3> by DNS name, and the shard's pod answers", async () => {
    await k("apply", "-f", file("sharded.yaml"));
    await waitRunning("app=shard", 3);
    for (const shard of [0, 1, 2]) await eventually(async () => (await readyAddresses(`shard-${shard}`)).length === 1 || undefined, 60_000, 300);
    const keys = Array.from({ length: 9 }, (_, i) => `user-${i}`);
    expect(new Set(keys.map((key) => shardOf(key, 3))).size).toBe(3); // the keys cover every shard
    type Routed = { key: string; shard: number; service: string; answer?: string };
    for (const key of keys) {
      const r = await fromClient<Routed>(`/route?key=${key}`);
      const shard = shardOf(key, 3);
      expect(r).toMatchObject({ key, shard, service: `shard-${shard}` });
      expect(r.answer).toMatch(new RegExp(`^shard-${shard}-[a-z0-9]{5}$`));
    }
  });

  it("worker pool: requests through the Service spread over every worker; scaling the RC changes the set", async () => {
    await k("apply", "-f", file("worker-pool.yaml"));
    const ip = await clusterIP("workers");
    /** The workers answering `n` requests once they are exactly the running pods. */
    const serving = (n: number) => eventually(async () => {
      const pods = new Set((await running("app=worker")).keys());
      const seen = await answers(ip, 2 * n);
      return pods.size === n && new Set(seen).size === n && seen.every((a) => pods.has(a)) ? seen : undefined;
    }, 60_000, 300);
    expect(new Set(await serving(3)).size).toBe(3);
    await k("scale", "rc", "workers", "--replicas=4");
    expect(new Set(await serving(4)).size).toBe(4);
    await k("scale", "rc", "workers", "--replicas=2");
    const two = new Set(await serving(2));
    expect(new Set(await answers(ip, 8))).toEqual(two);
  });
});
