import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect, createServer, type AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { WebSocket } from "ws";
import { Exec, KubeConfig, PortForward, type V1Status } from "@kubernetes/client-node";
import { eventually } from "../harness/natsServer.js";
import { kubectl, kubectlPath, kubectlStream, kubectlTools } from "../harness/kubectl.js";
import { ROOT, startCli, type RunningProcess } from "../harness/processes.js";
import { startUp, type UpProcess } from "../harness/upProcess.js";

/** Debian's kubernetes-client 1.20, unpacked by `.ci/run` beside the tests (or KUBECTL_LEGACY). */
const LEGACY = [process.env.KUBECTL_LEGACY, `${ROOT}.ci/kubectl-1.20/usr/bin/kubectl`].find((p): p is string => !!p && existsSync(p));

/** `kubectl exec`, `cp` and friends against a real `coxswain up` with a simulated node and a process node. */
describe("streams into pods: kubectl exec and cp", () => {
  let up: UpProcess;
  let node: RunningProcess;
  let config: string;
  const k = (args: string[], stdin?: string, binary?: string) => kubectl(config, args, stdin, binary);
  const { ok, file } = kubectlTools(() => config, () => up.dataDir);
  const runningPod = async (name: string, nodeName: string, extra = "", hostname?: string) => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n  nodeName: ${nodeName}\n${hostname ? `  hostname: ${hostname}\n` : ""}  containers:\n`
      + `  - name: main\n    image: local\n    command: [sleep, '3600']\n    env: [ { name: GREETING, value: hello } ]\n${extra}`;
    await ok("apply", "-f", file(`${name}.yaml`, pod));
    await eventually(async () => (await ok("get", "pod", name, "-o", "jsonpath={.status.phase}")) === "Running", 30_000);
  };

  beforeAll(async () => {
    up = await startUp(["--nodes", "1", "--tenant", "alpha"]);
    config = join(up.dataDir, "kubeconfig");
    await up.proc.waitFor(`export KUBECONFIG=${config}`, 5_000);
    node = startCli("coxswain", ["node", "--name", "proc-1", "--runtime", "process", "--heartbeat", "200", "--data-dir", up.dataDir]);
    await node.waitFor("node agent ready", 60_000);
    await runningPod("box", "proc-1", "  - name: side\n    image: local\n    command: [sleep, '3600']\n");
  });
  afterAll(async () => {
    node?.child.kill("SIGTERM");
    await node?.exited;
    await up?.stop();
  });

  it("runs a command in a process node's container: its output, its variables and folder, its exit code", async () => {
    expect(await ok("exec", "box", "-c", "main", "--", "echo", "hello", "world")).toBe("hello world\n");
    expect(await ok("exec", "box", "-c", "main", "--", "sh", "-c", 'echo "$GREETING from $HOSTNAME"; pwd')).toMatch(/^hello from box\n\/.*_main\n$/);
    const failed = await k(["exec", "box", "-c", "main", "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(failed).toMatchObject({ code: 3, stdout: "out\n" });
    expect(failed.stderr).toContain("err\n");
    expect(failed.stderr).toContain("command terminated with exit code 3");
  });

  it("feeds stdin with -i, and gives -t a terminal", async () => {
    expect((await k(["exec", "-i", "box", "-c", "main", "--", "sh", "-c", "tr a-z A-Z"], "piped through\n")).stdout).toBe("PIPED THROUGH\n");
    // kubectl -t needs a terminal of its own: util-linux `script` gives it one.
    const tty = await new Promise<string>((resolve) => {
      const child = spawn("script", ["-qfec", `${kubectlPath()} exec -it box -c main -- sh -c 'tty; exit 4'`, "/dev/null"], {
        env: { ...process.env, KUBECONFIG: config, KUBECACHEDIR: join(up.dataDir, "kube-cache") }, stdio: ["pipe", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (c: Buffer) => { out += c.toString(); });
      child.on("close", (code) => resolve(`${out}exit=${code}`));
    });
    expect(tty).toMatch(/\/dev\/pts\/\d+/);
    expect(tty).toContain("command terminated with exit code 4");
  });

  it("serves @kubernetes/client-node's Exec unchanged: output, stderr and the Status with the exit code", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(config);
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = "";
    let stderr = "";
    out.on("data", (c: Buffer) => { stdout += c.toString(); });
    err.on("data", (c: Buffer) => { stderr += c.toString(); });
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(kc).exec("default", "box", "main", ["sh", "-c", "echo from-js; echo oops >&2; exit 2"], out, err, null, false, resolve).catch(reject);
    });
    expect(status).toMatchObject({ status: "Failure", reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: "2" }] } });
    await eventually(() => stdout === "from-js\n" && stderr === "oops\n");
  });

  it("sets a tty exec's terminal to @kubernetes/client-node's window size, and to its new size on a resize", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(config);
    // A stream with rows and columns is a terminal to client-node: it sends its size, then each change.
    const out = Object.assign(new PassThrough(), { rows: 33, columns: 101 });
    let stdout = "";
    out.on("data", (c: Buffer) => { stdout += c.toString(); });
    const status = new Promise<V1Status>((resolve, reject) => {
      new Exec(kc).exec("default", "box", "main", ["sh", "-c", 'for i in $(seq 600); do s=$(stty size); echo "$s"; [ "$s" = "40 120" ] && exit 0; sleep 0.05; done; exit 1'], out, null, null, true, resolve).catch(reject);
    });
    await eventually(() => stdout.includes("33 101"), 30_000);
    Object.assign(out, { rows: 40, columns: 120 }).emit("resize");
    await eventually(() => stdout.includes("40 120"), 30_000);
    expect((await status).status).toBe("Success");
  });

  it("kubectl run -i and -it attach to the new container's own input and output, then --rm deletes the pod", async () => {
    const onProc = `--overrides={"apiVersion":"v1","spec":{"nodeName":"proc-1"}}`;
    const piped = await k(["run", "reader", "-i", "--rm", "--restart=Never", "--image=local", onProc, "--command", "--", "sh", "-c", "read x; echo got-$x"], "hello\n");
    expect(piped.stdout).toContain("got-hello");
    expect(piped.stdout).toContain('pod "reader" deleted');
    // With -t kubectl needs a terminal of its own (script gives it one); the container runs on one too.
    const talk = await new Promise<string>((resolve) => {
      const child = spawn("script", ["-qfec", `${kubectlPath()} run talk -it --rm --restart=Never --image=local '${onProc}' --command -- sh`, "/dev/null"], {
        env: { ...process.env, KUBECONFIG: config, KUBECACHEDIR: join(up.dataDir, "kube-cache") }, stdio: ["pipe", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        if (/try pressing enter/.test(out) && !out.includes("sent")) {
          out += "sent";
          child.stdin.write("echo attached-$((1+2)); tty; exit\n");
        }
      });
      child.on("close", () => resolve(out));
    });
    expect(talk).toContain("attached-3");
    expect(talk).toMatch(/\/dev\/pts\/\d+/);
    expect(talk).toContain('pod "talk" deleted');
  });

  it("copies files into and out of a container with kubectl cp, 8 MiB each way past the flow-control window, byte for byte", async () => {
    const bytes = randomBytes(8 * 1024 * 1024);
    const local = join(up.dataDir, "cp-in.bin");
    writeFileSync(local, bytes);
    await ok("cp", local, "box:cp-in.bin", "-c", "main");
    const back = join(up.dataDir, "cp-out.bin");
    await ok("cp", "box:cp-in.bin", back, "-c", "main");
    expect(readFileSync(back).equals(bytes)).toBe(true);
    const sum = createHash("md5").update(bytes).digest("hex");
    expect(await ok("exec", "box", "-c", "main", "--", "md5sum", "cp-in.bin")).toBe(`${sum}  cp-in.bin\n`);
  });

  it("answers simulated containers with what the simulation knows", async () => {
    await runningPod("sim", "node-1");
    expect(await ok("exec", "sim", "--", "sh", "-c", "echo hi; hostname; printenv GREETING")).toBe("hi\nsim\nhello\n");
    expect((await k(["exec", "-i", "sim", "--", "cat"], "echoed\n")).stdout).toBe("echoed\n");
    expect((await k(["exec", "sim", "--", "sh", "-c", "exit 7"])).code).toBe(7);
    // A pod name longer than a DNS label: its host name is cut to 63 characters with no '-' at its end, on both runtimes.
    const long = `${"a".repeat(62)}-long-name`;
    await runningPod(long, "node-1");
    await runningPod(`${long}-p`, "proc-1");
    expect(await ok("exec", long, "--", "hostname")).toBe(`${"a".repeat(62)}\n`);
    expect(await ok("exec", `${long}-p`, "--", "printenv", "HOSTNAME")).toBe(`${"a".repeat(62)}\n`);
    // spec.hostname wins, on both runtimes.
    await runningPod("named", "node-1", "", "db-0");
    await runningPod("named-p", "proc-1", "", "db-1");
    expect(await ok("exec", "named", "--", "hostname")).toBe("db-0\n");
    expect(await ok("exec", "named-p", "--", "printenv", "HOSTNAME")).toBe("db-1\n");
    expect((await k(["exec", "sim", "--", "ls"])).stderr).toContain('error executing command in container: exec: "ls": executable file not found in $PATH');
    // Nothing listens in a simulated container, and its address is no pod's: each forwarded connection is refused.
    const forward = kubectlStream(config, ["port-forward", "pod/sim", ":80"]);
    try {
      const local = await eventually(() => /Forwarding from 127\.0\.0\.1:(\d+) -> 80/.exec(forward.output())?.[1], 30_000);
      connect({ host: "127.0.0.1", port: Number(local) }).on("error", () => undefined);
      await eventually(() => forward.output().includes("pod sim runs on simulated node node-1: nothing listens in a simulated container"), 30_000);
    } finally {
      forward.stop();
    }
  });

  it("refuses in the apiserver's words: no container named, an unknown one, a missing pod, no command, a pod not placed", async () => {
    expect((await k(["exec", "box", "--", "true"])).stderr).toContain("Defaulted container \"main\" out of: main, side");
    expect((await k(["exec", "box", "-c", "nope", "--", "true"])).stderr).toContain("container nope is not valid for pod box");
    expect((await k(["exec", "ghost", "--", "true"])).stderr).toContain('pods "ghost" not found');
    const pending = `apiVersion: v1\nkind: Pod\nmetadata: { name: nowhere }\nspec:\n  nodeSelector: { no: such }\n  containers: [ { name: main, image: local } ]\n`;
    await ok("apply", "-f", file("nowhere.yaml", pending));
    expect((await k(["exec", "nowhere", "--", "true"])).stderr).toMatch(/pod nowhere does not have a host assigned|unable to upgrade connection: pod nowhere does not have a host assigned/);
    // No ephemeral containers: kubectl debug says so (it read a NotFound without details as a nil pointer and crashed).
    const debug = await k(["debug", "box", "--image=busybox"]);
    expect(debug.stderr).toContain("ephemeral containers are disabled for this cluster");
    expect(debug.stderr).not.toContain("panic");
  });

  it("lets only who may create pods/exec run commands: the viewer reads the pod and is refused the exec", async () => {
    const viewer = startCli("coxswain", ["credentials", "kubeconfig", "viewer", "--data-dir", up.dataDir]);
    expect((await viewer.exited).code).toBe(0);
    const viewerConfig = file("viewer-kubeconfig", viewer.output());
    expect((await kubectl(viewerConfig, ["get", "pod", "box"])).code).toBe(0);
    const denied = await kubectl(viewerConfig, ["exec", "box", "-c", "main", "--", "true"]);
    expect(denied.stderr).toContain('pods "box" is forbidden: User "viewer" cannot create resource "pods/exec" in API group "" in the namespace "default"');
    // A node's own user writes its pods' status, yet no stream into a pod is a command of its tree.
    const added = startCli("coxswain", ["credentials", "add-node", "proc-1", "--data-dir", up.dataDir]);
    expect((await added.exited).code).toBe(0);
    const nodeUser = startCli("coxswain", ["credentials", "kubeconfig", "node-proc-1", "--data-dir", up.dataDir]);
    expect((await nodeUser.exited).code).toBe(0);
    const nodeConfig = file("node-kubeconfig", nodeUser.output());
    expect((await kubectl(nodeConfig, ["exec", "box", "-c", "main", "--", "true"])).stderr)
      .toContain('pods "box" is forbidden: User "node-proc-1" cannot create resource "pods/exec" in API group "" in the namespace "default"');
    expect((await kubectl(nodeConfig, ["port-forward", "pod/box", ":8000"])).stderr).toContain('cannot create resource "pods/portforward"');
    // A pod's proxy reaches into it as a stream does: a GET through it is no read of the pod.
    expect((await kubectl(viewerConfig, ["get", "--raw", "/api/v1/namespaces/default/pods/box:8000/proxy/"])).stderr)
      .toContain('pods "box" is forbidden: User "viewer" cannot get resource "pods/proxy" in API group "" in the namespace "default"');
    expect((await kubectl(viewerConfig, ["get", "--raw", "/api/v1/namespaces/default/services/none/proxy/"])).stderr).toContain('cannot get resource "services/proxy"');
  });

  it.skipIf(!LEGACY)("serves kubectl 1.20's exec, which speaks SPDY: output, stdin, exit code", async () => {
    expect((await k(["exec", "box", "-c", "main", "--", "echo", "legacy"], undefined, LEGACY)).stdout).toBe("legacy\n");
    expect(await k(["exec", "-i", "box", "-c", "main", "--", "sh", "-c", "tr a-z A-Z; exit 6"], "spdy\n", LEGACY)).toMatchObject({ code: 6, stdout: "SPDY\n" });
  });

  it("forwards a local port to a port of a process node's pod, with kubectl 1.32 (WebSocket) and 1.20 (SPDY)", async () => {
    // The pod serves HTTP with the host's Node on its own address (other clusters' pods may run beside it); each
    // kubectl forwards a free local port to it.
    const server = "require('http').createServer((q, r) => q.url === '/redirect' ? r.writeHead(302, { location: '/elsewhere' }).end()"
      + " : r.end(q.url === '/big' ? Buffer.alloc(3 << 20, 120) : 'served ' + q.url + (q.headers.authorization ? ' with credentials' : ''))).listen(8000, process.env.POD_IP)";
    await runningPod("httpd", "proc-1", `  - name: httpd\n    image: local\n    command: ['${process.execPath}', -e, "${server}"]\n`);
    for (const binary of [kubectlPath(), ...(LEGACY ? [LEGACY] : [])]) {
      const forward = kubectlStream(config, ["port-forward", "pod/httpd", ":8000"], binary);
      try {
        const local = await eventually(() => /Forwarding from 127\.0\.0\.1:(\d+) -> 8000/.exec(forward.output())?.[1], 30_000);
        const body = await eventually(async () => {
          const res = await fetch(`http://127.0.0.1:${local}/hello`).catch(() => undefined);
          return res ? res.text() : undefined;
        }, 30_000);
        expect(body).toBe("served /hello");
        // Several connections at once, one of them past the flow-control window.
        const [big, ...small] = await Promise.all(["/big", "/a", "/b"].map(async (path) => (await fetch(`http://127.0.0.1:${local}${path}`)).text()));
        expect(big).toBe("x".repeat(3 << 20));
        expect(small).toEqual(["served /a", "served /b"]);
      } finally {
        forward.stop();
      }
    }
  });

  it("serves @kubernetes/client-node's PortForward (v4.channel.k8s.io) unchanged", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(config);
    const forward = new PortForward(kc);
    const local = createServer((socket) => void forward.portForward("default", "httpd", [8000], socket, null, socket));
    await new Promise<void>((resolve) => local.listen(0, "127.0.0.1", resolve));
    try {
      const port = (local.address() as AddressInfo).port;
      const res = await fetch(`http://127.0.0.1:${port}/via-js`, { headers: { connection: "close" }, signal: AbortSignal.timeout(30_000) });
      expect(await res.text()).toBe("served /via-js");
    } finally {
      local.close();
    }
  });

  it("proxies HTTP to a pod's port and to a Service's endpoints (pods/proxy, services/proxy): kubectl get --raw, kubectl proxy, a POST without the caller's credentials, a redirect kept under the proxy", async () => {
    const pod = "/api/v1/namespaces/default/pods/httpd:8000/proxy";
    expect(await ok("get", "--raw", `${pod}/raw?q=1`)).toBe("served /raw?q=1");
    // kubectl's own credentials are not passed on to the pod.
    expect((await kubectl(config, ["create", "--raw", `${pod}/posted`, "-f", file("posted.json", '{"a":1}')])).stdout).toBe("served /posted");
    await ok("label", "pod", "httpd", "app=httpd");
    await ok("create", "service", "clusterip", "httpd", "--tcp=80:8000");
    const service = "/api/v1/namespaces/default/services/httpd:80/proxy";
    expect(await eventually(async () => (await k(["get", "--raw", `${service}/svc`])).stdout || undefined, 30_000)).toBe("served /svc");
    const proxy = kubectlStream(config, ["proxy", "--port=0"]);
    try {
      const port = await eventually(() => /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(proxy.output())?.[1], 30_000);
      const res = await fetch(`http://127.0.0.1:${port}${service}/through-proxy`);
      expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: "served /through-proxy" });
      // What the pod answers is the answer, its status and headers too; a redirect to its own path stays under the proxy.
      const moved = await fetch(`http://127.0.0.1:${port}${pod}/redirect`, { redirect: "manual" });
      expect({ status: moved.status, location: moved.headers.get("location") }).toEqual({ status: 302, location: `${pod}/elsewhere` });
    } finally {
      proxy.stop();
    }
    // Nothing listens in a simulated container: 503, in the node's words.
    const sim = await k(["get", "--raw", "/api/v1/namespaces/default/pods/sim:80/proxy/"]);
    expect(sim.stderr).toContain("Error from server (ServiceUnavailable): error trying to reach service:");
    expect(sim.stderr).toContain("nothing listens in a simulated container");
    await ok("delete", "service", "httpd");
  });

  it("keeps a port forwarded over v4.channel.k8s.io when another port of the request ends, and closes after the last", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(config);
    const options: WebSocket.ClientOptions = {};
    await kc.applyToHTTPSOptions(options);
    const server = kc.getCurrentCluster()?.server.replace(/^http/, "ws") ?? "";
    const ws = new WebSocket(`${server}/api/v1/namespaces/default/pods/httpd/portforward?ports=8000,1`, ["v4.channel.k8s.io"], options);
    const got = new Map<number, Buffer[]>();
    ws.on("message", (data: Buffer) => got.set(data[0] ?? -1, [...got.get(data[0] ?? -1) ?? [], data.subarray(1)]));
    const text = (channel: number) => Buffer.concat(got.get(channel) ?? []).toString("latin1");
    try {
      await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
      // Port 1 is refused: its error channel (3) says so after its port number; port 8000 (channels 0 and 1) goes on.
      await eventually(() => text(3).includes("failed to connect"), 30_000);
      ws.send(Buffer.concat([Buffer.of(0), Buffer.from("GET /two-ports HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")]));
      await eventually(() => text(0).includes("served /two-ports"), 30_000);
      await eventually(() => ws.readyState === WebSocket.CLOSED, 30_000); // the pod closed the last port's connection
    } finally {
      ws.close();
    }
  });

  // Last: it stops the system.
  it("stops on SIGTERM with a port-forward and a connection through it still open", async () => {
    const forward = kubectlStream(config, ["port-forward", "pod/httpd", ":8000"]);
    try {
      const local = await eventually(() => /Forwarding from 127\.0\.0\.1:(\d+) -> 8000/.exec(forward.output())?.[1], 30_000);
      const held = connect({ host: "127.0.0.1", port: Number(local) });
      held.on("error", () => undefined);
      held.write("GET /held HTTP/1.1\r\nHost: x\r\n\r\n");
      await new Promise((resolve) => held.once("data", resolve));
      up.proc.child.kill("SIGTERM");
      // Before, the API waited for the upgraded connection to end, and `up` never exited on its own.
      expect(await up.proc.exited).toEqual({ code: 0, signal: null });
      held.destroy();
    } finally {
      forward.stop();
    }
  });
});
