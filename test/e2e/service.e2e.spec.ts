/**
 * A Service on `coxswain up --nodes 3 --runtime process`, with real kubectl: three pods of a ReplicationController
 * each run a small HTTP server on `$POD_IP:8080` answering its pod name; requests to the service's clusterIP reach
 * all three through the node agents' service proxy; a pod being deleted (its preStop hook keeps its process alive)
 * leaves the endpoints and the proxy's rotation while its process still answers; a service with no ready endpoint
 * refuses a connection at once.
 */
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpGet as get } from "../harness/httpGet.js";
import { kubectlOk } from "../harness/kubectl.js";
import { eventually } from "../harness/natsServer.js";
import { inRange, startUp, type UpProcess } from "../harness/upProcess.js";

const SERVER = `require("http").createServer((q, s) => s.end(process.env.POD_NAME)).listen(8080, process.env.POD_IP)`;
const container = (extra: object = {}) => ({
  name: "web", image: "local", command: [process.execPath, "-e", SERVER],
  env: [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }], ports: [{ name: "http", containerPort: 8080 }], ...extra,
});
const RC = {
  apiVersion: "v1", kind: "ReplicationController", metadata: { name: "web" },
  spec: { replicas: 3, selector: { app: "web", rc: "web" }, template: { metadata: { labels: { app: "web", rc: "web" } }, spec: { containers: [container()] } } },
};
/** A pod of the service outside the RC whose preStop hook keeps its process serving for a while after deletion. */
const STRAGGLER = {
  apiVersion: "v1", kind: "Pod", metadata: { name: "straggler", labels: { app: "web" } },
  spec: { terminationGracePeriodSeconds: 30, containers: [container({ lifecycle: { preStop: { exec: { command: ["sleep", "8"] } } } })] },
};
const service = (name: string, selector: Record<string, string>, port: number) => ({
  apiVersion: "v1", kind: "Service", metadata: { name }, spec: { selector, ports: [{ name: "http", port, targetPort: "http" }] },
});

let up: UpProcess;
let kubeconfig: string;
const k = (...args: string[]) => kubectlOk(kubeconfig, args);
const apply = (name: string, objects: object[]) => {
  const path = join(up.dataDir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }));
  return k("apply", "-f", path);
};
const pods = async () => (await k("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.status.podIP}{\"\\n\"}{end}"))
  .trim().split("\n").filter(Boolean).map((l) => { const [name, phase, ip] = l.split(" "); return { name: name ?? "", phase, ip: ip ?? "" }; });
const endpointIPs = async () => (await k("get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}")).split(" ").filter(Boolean);

const answers = async (host: string, port: number, n: number) => { const out: string[] = []; for (let i = 0; i < n; i++) out.push(await get(host, port)); return out; };

beforeAll(async () => {
  up = await startUp(["--nodes", "3", "--runtime", "process", "--https", "0"]);
  kubeconfig = join(up.dataDir, "kubeconfig");
  await eventually(async () => ((await k("get", "nodes")).match(/\sReady\s/g)?.length === 3 ? true : undefined), 60_000, 500);
  // A pod started before its node has a podCIDR gets no POD_IP (see docs/networking.md, what is left).
  await eventually(async () => ((await k("get", "nodes", "-o", "jsonpath={.items[*].spec.podCIDR}")).trim().split(" ").filter(Boolean).length === 3 ? true : undefined), 60_000, 200);
}, 90_000);
afterAll(async () => up?.stop(), 60_000);

describe("a Service through the node agents' proxy, with kubectl and process pods", () => {
  let clusterIP = "";

  it("requests to the clusterIP reach each of the three pods of the RC", async () => {
    await apply("web", [RC, service("web", { app: "web" }, 8000)]);
    const running = await eventually(async () => {
      const p = await pods();
      return p.length === 3 && p.every((x) => x.phase === "Running" && x.ip) ? p : undefined;
    }, 60_000, 500);
    clusterIP = (await k("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}")).trim();
    expect(inRange(up.ranges.services, clusterIP), `${clusterIP} in ${up.ranges.services}`).toBe(true);
    const names = new Set(running.map((p) => p.name));
    await eventually(async () => (new Set(await answers(clusterIP, 8000, 6)).size === 3 ? true : undefined), 30_000, 200);
    const seen = await answers(clusterIP, 8000, 9);
    expect(new Set(seen)).toEqual(names);
  });

  it("a pod being deleted leaves the endpoints and the proxy's rotation while its process still answers", async () => {
    await apply("straggler", [STRAGGLER]);
    const ip = await eventually(async () => (await pods()).find((p) => p.name === "straggler" && p.phase === "Running" && p.ip)?.ip, 60_000, 500);
    await eventually(async () => ((await answers(clusterIP, 8000, 8)).includes("straggler") ? true : undefined), 30_000, 100);

    await k("delete", "pod", "straggler", "--wait=false");
    await eventually(async () => (!(await endpointIPs()).includes(ip) ? true : undefined), 10_000, 100);
    await eventually(async () => (!(await answers(clusterIP, 8000, 8)).includes("straggler") ? true : undefined), 10_000, 50);
    expect(await get(ip, 8080)).toBe("straggler");
    const after = await answers(clusterIP, 8000, 12);
    expect(after).not.toContain("straggler");
    expect(after.every((a) => a.startsWith("web-"))).toBe(true);
    expect(await get(ip, 8080)).toBe("straggler");
    await eventually(async () => (!(await pods()).some((p) => p.name === "straggler") ? true : undefined), 60_000, 500);
  });

  it("a service with no ready endpoint refuses a connection at once", async () => {
    await apply("nobody", [service("nobody", { app: "nobody" }, 8001)]);
    const ip = (await k("get", "svc", "nobody", "-o", "jsonpath={.spec.clusterIP}")).trim();
    expect(ip).toMatch(/^127\./);
    const outcome = await new Promise<string>((resolve) => {
      const s = connect({ host: ip, port: 8001, timeout: 5000 });
      s.once("connect", () => { s.destroy(); resolve("connected"); });
      s.once("timeout", () => { s.destroy(); resolve("timeout"); });
      s.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    });
    expect(outcome).toBe("ECONNREFUSED");
  });
});
