import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { promises as dns } from "node:dns";
import https from "node:https";
import { createServer } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { eventually } from "../harness/natsServer.js";
import { kubectl } from "../harness/kubectl.js";
import { ROOT, startCli } from "../harness/processes.js";
import { startUp, type UpProcess } from "../harness/upProcess.js";

/** What every pod runs: an HTTP server on $POD_IP:8080, after resolving $LOOKUP (when set) the way a pod's resolver would. */
const POD_SCRIPT = `
const dns = require("dns").promises, fs = require("fs"), http = require("http");
const search = (/^search (.*)$/m.exec(fs.readFileSync(process.env.COX_RESOLV_CONF, "utf8")) || [])[1].split(" ");
const resolver = new dns.Resolver({ timeout: 1000, tries: 1 });
resolver.setServers([process.env.COX_DNS]);
async function lookup(name) {
  for (const domain of search) { try { return await resolver.resolve4(name + "." + domain); } catch {} }
}
(async () => {
  const name = process.env.LOOKUP;
  for (let i = 0; name && i < 100; i++) {
    const ips = await lookup(name);
    if (ips) { console.log("resolved " + name + " " + ips.join(",")); break; }
    await new Promise((r) => setTimeout(r, 200));
  }
  http.createServer((q, s) => s.end("hi " + process.env.POD_IP)).listen(8080, process.env.POD_IP);
})();
`;

/** The `containers:` of a spec indented by `pad`, running the pod script. */
const containers = (pad: string, script: string, extra = "", env = "[]") => ["", "containers:", "- name: main", "  image: local",
  `  command: ["${process.execPath}", "${script}"]`, `  ports: [{ containerPort: 8080, name: http${extra} }]`, `  env: ${env}`].join(`\n${pad}`);

const LEGACY = [process.env.KUBECTL_LEGACY, `${ROOT}.ci/kubectl-1.20/usr/bin/kubectl`].find((p): p is string => !!p && existsSync(p));

/** A port free on `host` just now. */
async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const machineIP = () => Object.values(networkInterfaces()).flat().find((a) => a?.family === "IPv4" && !a.internal)?.address ?? "127.0.0.1";

/** `coxswain up --runtime process`: cluster DNS from the read model, pods' resolvers, kubectl expose, host ports. */
describe("cluster DNS, kubectl expose and host ports on coxswain up --runtime process", () => {
  let up: UpProcess;
  let config: string;
  let script: string;
  let resolver: dns.Resolver;
  let podRange: string;
  let serviceRange: string;
  const ok = async (...args: string[]) => {
    const r = await kubectl(config, args);
    expect(r, `kubectl ${args.join(" ")}: ${r.stderr}`).toMatchObject({ code: 0 });
    return r.stdout;
  };
  const apply = (name: string, yaml: string) => {
    const path = join(up.dataDir, `${name}.yaml`);
    writeFileSync(path, yaml);
    return ok("apply", "-f", path);
  };
  const podIPs = async (selector: string) =>
    (await ok("get", "pods", "-l", selector, "--field-selector", "status.phase=Running", "-o", "jsonpath={.items[*].status.podIP}")).split(" ").filter(Boolean).sort();

  beforeAll(async () => {
    // A pod range of its own, so pods of other clusters on this machine (on the default range) cannot hold its addresses.
    podRange = `127.${112 + Math.floor(Math.random() * 120)}.0.0/16`;
    // A service range of its own too: the Service default/kubernetes takes its first address, on port 443.
    serviceRange = `127.${232 + Math.floor(Math.random() * 10)}.0.0/16`;
    up = await startUp(["--nodes", "3", "--runtime", "process", "--https", "0", "--cluster-cidr", podRange, "--service-cluster-ip-range", serviceRange]);
    config = join(up.dataDir, "kubeconfig");
    await up.proc.waitFor("cluster DNS: ", 5_000);
    script = join(up.dataDir, "pod.js");
    writeFileSync(script, POD_SCRIPT);
    resolver = new dns.Resolver({ timeout: 2_000, tries: 2 });
    resolver.setServers([readFileSync(join(up.dataDir, "dns.addr"), "utf8").trim()]);
  }, 90_000);
  afterAll(async () => up?.stop());

  it("kubectl expose rc makes a Service whose name, endpoints and pods' addresses DNS answers; NXDOMAIN for the rest", async () => {
    await apply("web", `apiVersion: v1
kind: ReplicationController
metadata: { name: web }
spec:
  replicas: 2
  selector: { app: web }
  template:
    metadata: { labels: { app: web } }
    spec:${containers("      ", script)}
`);
    expect(await ok("expose", "rc", "web", "--port=80", "--target-port=8080")).toBe("service/web exposed\n");
    const ips = await eventually(async () => { const found = await podIPs("app=web"); return found.length === 2 ? found : null; }, 30_000);
    expect(ips.every((ip) => ip.startsWith(podRange.split(".").slice(0, 2).join(".") + "."))).toBe(true); // --cluster-cidr
    const clusterIP = await ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}");
    expect(clusterIP.startsWith(serviceRange.split(".").slice(0, 2).join(".") + ".")).toBe(true); // --service-cluster-ip-range
    expect(await resolver.resolve4("web.default.svc.cluster.local")).toEqual([clusterIP]);
    let shown = "";
    await eventually(async () => { shown = await ok("get", "svc,endpoints"); return ips.every((ip) => shown.includes(`${ip}:8080`)); }, 20_000).catch(() => undefined);
    expect(shown).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    expect(shown).toMatch(new RegExp(`^service/web\\s+ClusterIP\\s+${clusterIP.replace(/\./g, "\\.")}\\s+<none>\\s+80/TCP\\s+\\d+s$`, "m"));
    expect(shown).toMatch(/^NAME\s+ENDPOINTS\s+AGE$/m);
    expect(shown).toMatch(new RegExp(`^endpoints/web\\s+${ips.map((ip) => `${ip.replace(/\./g, "\\.")}:8080`).join(",")}\\s+\\d+s$`, "m"));
    // The service's port has no name: its EndpointSlice's port is named "" (kubectl's describe reads the name unchecked).
    const described = await ok("describe", "svc", "web");
    expect(described).toMatch(/^TargetPort:\s+8080\/TCP$/m);
    for (const ip of ips) expect(described).toContain(`${ip}:8080`);
    const wide = (await ok("get", "pods", "-o", "wide")).split("\n");
    expect(wide[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+/);
    for (const ip of ips) expect(wide.some((l) => new RegExp(`\\s${ip.replace(/\./g, "\\.")}\\s+node-\\d`).test(l))).toBe(true);
    expect(await resolver.resolve4(`${ips[0]?.replace(/\./g, "-")}.default.pod.cluster.local`)).toEqual([ips[0]]);
    await expect(resolver.resolve4("nope.default.svc.cluster.local")).rejects.toMatchObject({ code: "ENOTFOUND" });
    await expect(resolver.resolve4("127-1-2-3.default.pod.cluster.local")).rejects.toMatchObject({ code: "ENOTFOUND" });
    if (LEGACY) {
      const legacy = await kubectl(config, ["expose", "rc", "web", "--name=web-legacy", "--port=80", "--target-port=8080"], undefined, LEGACY);
      expect(legacy).toMatchObject({ code: 0, stdout: "service/web-legacy exposed\n" });
      const out = (await kubectl(config, ["get", "svc,endpoints"], undefined, LEGACY)).stdout;
      expect(out).toMatch(/^service\/web-legacy\s+ClusterIP\s+127\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/m);
      expect(await eventually(async () => (await resolver.resolve4("web-legacy.default.svc.cluster.local").catch(() => null))?.length === 1, 10_000)).toBe(true);
    }
  }, 120_000);

  it("a headless service answers each ready pod, SRV for its named port, and <hostname>.<subdomain>; a pod resolves `web` through its resolver file and COX_DNS", async () => {
    await apply("db", `apiVersion: v1
kind: Service
metadata: { name: db }
spec: { clusterIP: None, selector: { role: db }, ports: [ { name: http, port: 80, targetPort: http } ] }
---
apiVersion: v1
kind: Pod
metadata: { name: db-0, labels: { role: db } }
spec:
  hostname: db-0
  subdomain: db${containers("  ", script, "", "[ { name: LOOKUP, value: web } ]")}
`);
    const [ip] = await eventually(async () => { const found = await podIPs("role=db"); return found.length === 1 ? found : null; }, 30_000);
    expect(await eventually(async () => (await resolver.resolve4("db.default.svc.cluster.local").catch(() => null))?.join(), 20_000)).toBe(ip);
    expect(await resolver.resolve4("db-0.db.default.svc.cluster.local")).toEqual([ip]);
    expect(await resolver.resolveSrv("_http._tcp.db.default.svc.cluster.local")).toEqual([{ name: "db-0.db.default.svc.cluster.local", port: 80, priority: 0, weight: 100 }]);
    const clusterIP = await ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}");
    expect(await eventually(async () => (await ok("logs", "db-0")).includes(`resolved web ${clusterIP}`), 30_000)).toBe(true);
  }, 120_000);

  it("a StatefulSet's pods have stable names that DNS answers through its headless service, and find each other by them", async () => {
    await apply("peers", `apiVersion: v1
kind: Service
metadata: { name: peers }
spec: { clusterIP: None, selector: { app: peer }, ports: [ { name: http, port: 8080 } ] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: peer }
spec:
  serviceName: peers
  replicas: 2
  selector: { matchLabels: { app: peer } }
  template:
    metadata: { labels: { app: peer } }
    spec:${containers("      ", script, "", "[{ name: LOOKUP, value: peer-0.peers }]")}
`);
    await eventually(async () => (await podIPs("app=peer")).length === 2, 60_000);
    const ipOf = (pod: string) => ok("get", "pod", pod, "-o", "jsonpath={.status.podIP}");
    const [ip0, ip1] = [await ipOf("peer-0"), await ipOf("peer-1")];
    expect(await resolver.resolve4("peer-0.peers.default.svc.cluster.local")).toEqual([ip0]);
    expect(await resolver.resolve4("peer-1.peers.default.svc.cluster.local")).toEqual([ip1]);
    // peer-1's process looks its peer up by the short name, through its resolver file's search list.
    await eventually(async () => (await kubectl(config, ["logs", "peer-1"])).stdout.includes(`resolved peer-0.peers ${ip0}`), 30_000);
    await ok("delete", "statefulset", "peer");
    await ok("delete", "service", "peers");
    await eventually(async () => (await podIPs("app=peer")).length === 0, 30_000);
  }, 120_000);

  it("a hostPort is served on the node's address; a fourth pod asking for it on three nodes stays Pending with FailedScheduling", async () => {
    const hostPort = await freePort(machineIP());
    const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: { port: host } }
spec:${containers("  ", script, `, hostPort: ${hostPort}`)}
`;
    for (const name of ["hp-1", "hp-2", "hp-3"]) await apply(name, pod(name));
    const ips = await eventually(async () => { const found = await podIPs("port=host"); return found.length === 3 ? found : null; }, 30_000);
    expect(new Set((await ok("get", "pods", "-l", "port=host", "-o", "jsonpath={.items[*].spec.nodeName}")).split(" ")).size).toBe(3);
    const body = await eventually(async () => { const r = await fetch(`http://${machineIP()}:${hostPort}/`).catch(() => null); return r ? r.text() : null; }, 20_000);
    expect(ips.map((ip) => `hi ${ip}`)).toContain(body);
    await apply("hp-4", pod("hp-4"));
    const message = "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports.";
    expect(await eventually(async () => (await ok("get", "events", "--field-selector", "involvedObject.name=hp-4")).includes(message), 20_000)).toBe(true);
    expect(await ok("get", "pod", "hp-4", "-o", "jsonpath={.status.phase}")).toBe("Pending");
    expect(await ok("get", "pod", "hp-4", "-o", "jsonpath={.spec.nodeName}")).toBe("");
  }, 120_000);

  it("has the Service default/kubernetes on the service range's first address, the API's address as its Endpoints and EndpointSlice, and DNS answers it", async () => {
    const first = serviceRange.replace(/\.0\.0\/16$/, ".0.1");
    expect(await ok("get", "svc", "kubernetes", "-o", "jsonpath={.spec.clusterIP} {.spec.ports[0].name}:{.spec.ports[0].port}")).toBe(`${first} https:443`);
    const server = new URL(await ok("config", "view", "--raw", "-o", "jsonpath={.clusters[0].cluster.server}"));
    expect(await eventually(async () => (await ok("get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}")) || undefined, 20_000))
      .toBe(server.host);
    // Its EndpointSlice too, as kube-apiserver writes its own (what clients that follow slices read).
    expect(await eventually(async () => (await ok("get", "endpointslices", "-l", "kubernetes.io/service-name=kubernetes", "-o",
      "jsonpath={.items[0].metadata.name} {.items[0].endpoints[0].addresses[0]}:{.items[0].ports[0].port} {.items[0].endpoints[0].conditions.ready}")) || undefined, 20_000))
      .toBe(`kubernetes ${server.host} true`);
    expect(await eventually(async () => (await resolver.resolve4("kubernetes.default.svc.cluster.local").catch(() => null))?.join(), 20_000)).toBe(first);
  });

  // Port 443 of the service address needs the right to bind it (the proxy retries without it).
  it.skipIf(process.getuid?.() !== 0)("reaches the API through default/kubernetes by its DNS name, the serving certificate naming it", async () => {
    const first = serviceRange.replace(/\.0\.0\/16$/, ".0.1");
    const token = await ok("config", "view", "--raw", "-o", "jsonpath={.users[0].user.token}");
    const ca = readFileSync(join(up.dataDir, "pki", "ca.crt"));
    const version = await eventually(() => new Promise<string | undefined>((resolve) => {
      const req = https.get({ host: first, port: 443, servername: "kubernetes.default.svc", ca, path: "/version", headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => { body += c.toString(); });
        res.on("end", () => resolve(res.statusCode === 200 ? body : undefined));
      });
      req.on("error", () => resolve(undefined));
    }), 30_000);
    expect(JSON.parse(version)).toMatchObject({ gitVersion: expect.stringMatching(/^v1\./) });
  });

  it("coxswain dns runs the server as its own process, finding the cluster from the data folder", async () => {
    const alone = startCli("coxswain", ["dns", "--data-dir", up.dataDir, "--dns-address", "127.53.0.12:0"]);
    try {
      await alone.waitFor(/cluster DNS ready .*\n/, 30_000);
      const address = /cluster DNS ready \(pid \d+\): (127\.53\.0\.12:\d+)/.exec(alone.output())?.[1];
      expect(address).toBeDefined();
      expect(readFileSync(join(up.dataDir, "dns.addr"), "utf8").trim()).toBe(address);
      const own = new dns.Resolver({ timeout: 2_000, tries: 2 });
      own.setServers([address as string]);
      const clusterIP = await ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}");
      expect(await eventually(async () => (await own.resolve4("web.default.svc.cluster.local").catch(() => null))?.join(), 20_000)).toBe(clusterIP);
    } finally {
      alone.child.kill("SIGTERM");
      await alone.exited;
    }
  }, 60_000);
});
