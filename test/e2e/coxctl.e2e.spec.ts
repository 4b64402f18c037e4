import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startTestNats } from "../harness/natsServer.js";
import { showDefaults } from "../../src/api/podDefaults.js";
import { ROOT, startCli, type RunningProcess } from "../harness/processes.js";

/** What one coxctl run printed, apart. */
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How long one coxctl run may take before it is ended (by its PID): a hung run fails its test, and is not left behind. */
const COXCTL_LIMIT_MS = 60_000;

/** Runs coxctl as a real process from the data folder (its cwd), optionally with stdin. */
function coxctl(cwd: string, args: string[], stdin?: string): Promise<Run> {
  const child = spawn(process.execPath, [`${ROOT}bin/coxctl.js`, ...args], { cwd, env: { ...process.env, NATS_URL: "" }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on("data", (c: Buffer) => { stderr += c.toString(); });
  child.stdin.end(stdin ?? "");
  const limit = setTimeout(() => {
    stderr += `\n(test: coxctl ${args.join(" ")} did not exit within ${COXCTL_LIMIT_MS} ms; killed)`;
    child.kill("SIGKILL");
  }, COXCTL_LIMIT_MS);
  return new Promise((resolve) => child.once("exit", (code) => {
    clearTimeout(limit);
    resolve({ code, stdout, stderr });
  }));
}

/** Repeats `run` until `done` says yes (the read model follows the commands closely, not instantly). */
async function eventually<T>(run: () => Promise<T>, done: (r: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await run();
    if (done(r) || Date.now() > deadline) return r;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const MANIFEST = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: demo
  labels: { app: web }
spec:
  containers:
  - name: web
    image: nginx:1.7
`;

describe("coxctl against coxswain up", () => {
  // `coxctl` finds the system the way a user's does: run from the folder that holds `.coxswain`.
  const home = mkdtempSync(join(tmpdir(), "coxctl-e2e-"));
  const dataDir = join(home, ".coxswain");
  let up: RunningProcess;
  const ctl = (args: string[], stdin?: string) => coxctl(home, args, stdin);

  beforeAll(async () => {
    up = startCli("coxswain", ["up", "--data-dir", dataDir, "--http", "0"]);
    await up.waitFor(/HTTP API: http:\/\/127\.0\.0\.1:\d+/, 60_000); // the line a later test reads the port from
  });
  afterAll(async () => {
    up.child.kill("SIGTERM");
    await up.exited;
    rmSync(home, { recursive: true, force: true });
  });

  it("creates from a manifest, shows the pod as a table, JSON and YAML, describes it, lists its events and deletes it", async () => {
    writeFileSync(join(home, "app.yaml"), MANIFEST);
    const created = await ctl(["create", "-f", "app.yaml"]);
    expect(created).toMatchObject({ code: 0, stdout: "namespace/demo created\npod/web created\n" });

    const table = await ctl(["get", "pods", "-n", "demo"]);
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(row).toMatch(/^web\s+[01]\/1\s+(Pending|ContainerCreating|Running)\s+0\s+\d+s$/);

    const json = JSON.parse((await ctl(["get", "po", "web", "-n", "demo", "-o", "json"])).stdout) as { kind: string; metadata: { name: string; namespace: string } };
    expect(json).toMatchObject({ kind: "Pod", metadata: { name: "web", namespace: "demo" } });
    const yaml = parse((await ctl(["get", "pod/web", "-n", "demo", "-o", "yaml"])).stdout) as { spec: { containers: { image: string }[] } };
    expect(yaml.spec.containers[0]?.image).toBe("nginx:1.7");

    const described = await ctl(["describe", "pod", "web", "--namespace", "demo"]);
    expect(described.stdout).toMatch(/^Name:\s+web$/m);
    expect(described.stdout).toMatch(/^Labels:\s+app=web$/m);
    expect(described.stdout).toMatch(/^Events:\n\s+TYPE\s+AGE\s+FROM\s+DATA\n\s+PodCreated\s+\d+s/m);

    const events = await ctl(["events", "--kind", "pods", "-n", "demo"]);
    expect(events.stdout).toMatch(/demo\s+pod\/web\s+PodCreated\s+1/);

    expect(await ctl(["delete", "pod", "web", "-n", "demo", "--grace-period", "0"])).toMatchObject({ code: 0, stdout: 'pod "web" deleted\n' });
    const gone = await eventually(() => ctl(["get", "pod", "web", "-n", "demo"]), (r) => r.code !== 0);
    expect(gone.stderr).toBe('Error from server (NotFound): pods "web" not found\n');
  });

  it("says there is no leader on a NATS server where no component ever held a lease", async () => {
    const bare = await startTestNats();
    try {
      const none = await ctl(["leader", "--nats", bare.url]);
      expect(none).toMatchObject({ code: 0, stdout: "no leader: no component has ever held a lease\n" });
    } finally {
      await bare.cleanup();
    }
  });

  it("waits for each request as long as --request-timeout says, and tells the actor host so (Cox-Timeout)", async () => {
    // A bare server and a responder in the actor host's place, which notes what each command says it waits.
    const bare = await startTestNats();
    try {
      const nc = await bare.connect();
      const waited: (string | undefined)[] = [];
      nc.subscribe("cox.cmd.namespaces._.>", {
        callback: (_e, m) => {
          waited.push(m.headers?.get("Cox-Timeout"));
          const object = { apiVersion: "v1", kind: "Namespace", metadata: { name: m.subject.split(".").pop() } };
          m.respond(JSON.stringify({ ok: true, object, version: 1, resourceVersion: "1", events: ["NamespaceCreated"] }));
        },
      });
      await nc.flush();
      const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
      expect(await ctl(["create", "-f", "-", "--nats", bare.url, "--request-timeout", "3s"], ns("waits"))).toMatchObject({ code: 0, stdout: "namespace/waits created\n" });
      expect(await ctl(["create", "-f", "-", "--nats", bare.url], ns("default-wait"))).toMatchObject({ code: 0 });
      const bad = await ctl(["create", "-f", "-", "--nats", bare.url, "--request-timeout", "soon"], ns("never"));
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('"soon" is not a duration');
      expect(waited).toEqual(["3000", "10000"]);
    } finally {
      await bare.cleanup();
    }
  });

  it("refuses a bad manifest, a file that is not YAML and a bad flag, clearly and with a non-zero exit", async () => {
    const invalid = await ctl(["create", "-f", "-"], "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: c\n");
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toMatch(/^Error from server \(Invalid\): Pod "bad" is invalid: data\.spec\.containers\[0\]\.image: Required/);
    const unparsable = await ctl(["apply", "-f", "-"], "kind: Pod\n  x: : :\n");
    expect(unparsable.code).not.toBe(0);
    expect(unparsable.stderr).toMatch(/^error: error parsing <stdin>/);
    const badFlag = await ctl(["get", "pods", "--no-such-flag"]);
    expect(badFlag.code).not.toBe(0);
    expect(badFlag.stderr).toMatch(/unknown option '--no-such-flag'/);
  });

  it("shows the controllers' leader, exports the event log and replays it into the same objects", async () => {
    // `up` runs the controllers, which take the lease at once: the table names their process.
    const leader = await eventually(() => ctl(["leader"]), (r) => r.stdout.includes("controllers/"));
    expect(leader.code).toBe(0);
    expect(leader.stdout).toMatch(new RegExp(`^COMPONENT\\s+HOLDER\\s+TERM\\s+RENEWED\\ncontrollers\\s+controllers/\\S+/${up.child.pid}\\s+\\d+\\s`));

    const exported = await ctl(["events", "export"]);
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(4);
    writeFileSync(join(home, "log.jsonl"), exported.stdout);
    const replayed = await ctl(["replay", "log.jsonl"]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(/^namespaces:\nNAME\s+STATUS\s+AGE\n/);
    expect(replayed.stdout).toMatch(/^demo\s+Active\s/m);
    const asJson = JSON.parse((await ctl(["replay", "log.jsonl", "-o", "json"])).stdout) as { items: { namespaces: { metadata: { name: string } }[]; pods?: unknown[] } };
    expect(asJson.items.namespaces.map((n) => n.metadata.name).sort()).toEqual(["default", "demo", "kube-node-lease", "kube-public", "kube-system"]);
    expect(asJson.items.pods).toBeUndefined();
  });

  it("rolling-update replaces an RC's pods with the new image, resumes after Ctrl-C, and deletes the old RC", async () => {
    const rc = { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "front" },
      spec: { replicas: 2, selector: { app: "front" }, template: { metadata: { labels: { app: "front" } }, spec: { containers: [{ name: "front", image: "nginx:1" }] } } } };
    expect((await ctl(["create", "-f", "-"], JSON.stringify(rc))).stdout).toBe("replicationcontroller/front created\n");
    const ready = await eventually(() => ctl(["get", "rc", "front"]), (r) => /^front\s+2\s+2\s+2\s/m.test(r.stdout), 60_000);
    expect(ready.stdout).toMatch(/^front\s+2\s+2\s+2\s/m);

    const first = startCli("coxctl", ["rolling-update", "front", "--image", "nginx:2", "--update-period", "20s", "--poll-interval", "200ms", "--data-dir", dataDir]);
    await first.waitFor("Updating front replicas: 1", 60_000);
    first.child.kill("SIGINT");
    expect((await first.exited).code).not.toBe(0);
    expect(first.output()).toMatch(/run the same command again to continue/);

    const second = await ctl(["rolling-update", "front", "--image", "nginx:2", "--update-period", "100ms", "--poll-interval", "200ms"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Continuing update of front with front-[0-9a-f]{8}$/m);
    expect(second.stdout).toMatch(/^replicationcontroller\/front rolling updated to "front-[0-9a-f]{8}"$/m);

    const rcs = JSON.parse((await ctl(["get", "rc", "-o", "json"])).stdout) as { items: { metadata: { name: string } }[] };
    expect(rcs.items.map((r) => r.metadata.name)).toEqual([expect.stringMatching(/^front-[0-9a-f]{8}$/)]);
    const pods = await eventually(
      async () => JSON.parse((await ctl(["get", "pods", "-l", "app=front", "--field-selector", "status.phase=Running", "-o", "json"])).stdout) as
        { items: { metadata: { deletionTimestamp?: string }; spec: { containers: { image: string }[] } }[] },
      (l) => l.items.filter((p) => !p.metadata.deletionTimestamp).length === 2 && l.items.every((p) => p.spec.containers[0]?.image === "nginx:2"),
    );
    expect(pods.items.map((p) => p.spec.containers[0]?.image)).toEqual(["nginx:2", "nginx:2"]);
  });

  it("applies a pod and an RC, watches them come to Running, shows a pod's logs, serves the same objects over HTTP, scales the RC and follows logs (-f)", async () => {
    const port = /HTTP API: http:\/\/127\.0\.0\.1:(\d+)/.exec(up.output())?.[1];
    expect(port).toBeDefined();
    const node = startCli("coxswain", ["node", "--name", "proc-1", "--runtime", "process", "--heartbeat", "200", "--data-dir", dataDir]);
    try {
      await node.waitFor("node agent ready", 60_000);
      const app = `apiVersion: v1
kind: Pod
metadata: { name: greeter, namespace: default }
spec:
  nodeName: proc-1
  containers: [ { name: main, image: local, command: [sh, -c, "echo hello from coxswain; sleep 30"] } ]
---
apiVersion: v1
kind: ReplicationController
metadata: { name: api, namespace: default }
spec:
  replicas: 2
  selector: { app: api }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [ { name: api, image: sim }, ], nodeSelector: { kubernetes.io/hostname: node-1 } }
`;
      writeFileSync(join(home, "two.yaml"), app);
      const watch = startCli("coxctl", ["get", "pods", "-w", "--data-dir", dataDir]);
      expect(await ctl(["apply", "-f", "two.yaml"])).toMatchObject({ code: 0, stdout: "pod/greeter created\nreplicationcontroller/api created\n" });
      await watch.waitFor(/^greeter\s+1\/1\s+Running/m, 60_000);
      await watch.waitFor(/^api-\S+\s+1\/1\s+Running(.|\n)*^api-\S+\s+1\/1\s+Running/m, 60_000);
      watch.child.kill("SIGINT");

      const logs = await eventually(() => ctl(["logs", "greeter"]), (r) => r.stdout.includes("hello from coxswain"));
      expect(logs.stdout).toBe("hello from coxswain\n");

      // logs -f follows the running container and ends by itself when it ends, with every line it wrote.
      const go = join(home, "short-go");
      const short = `apiVersion: v1
kind: Pod
metadata: { name: short }
spec:
  nodeName: proc-1
  restartPolicy: Never
  containers: [ { name: main, image: local, command: [sh, -c, "echo one; while [ ! -f ${go} ]; do sleep 0.1; done; echo two"] } ]
`;
      writeFileSync(join(home, "short.yaml"), short);
      expect(await ctl(["apply", "-f", "short.yaml"])).toMatchObject({ code: 0 });
      expect((await eventually(() => ctl(["logs", "short"]), (r) => r.stdout === "one\n")).stdout).toBe("one\n");
      const follow = startCli("coxctl", ["logs", "-f", "short", "--data-dir", dataDir]);
      await follow.waitFor("one\n", 30_000);
      writeFileSync(go, "");
      expect(await follow.exited).toMatchObject({ code: 0 });
      expect(follow.output()).toBe("one\ntwo\n");

      const fromCtl = JSON.parse((await ctl(["get", "pod", "greeter", "-o", "json"])).stdout) as Record<string, unknown>;
      const overHttp = (await (await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods/greeter`)).json()) as Record<string, unknown>;
      // The same object, but for the defaults the HTTP API shows without storing them (src/api/podDefaults.ts).
      expect(overHttp).toEqual(showDefaults("pods", fromCtl));
      const list = (await (await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods?labelSelector=app%3Dapi`)).json()) as { items: unknown[] };
      expect(list.items).toHaveLength(2);

      // coxctl scale: the controller grows to three pods.
      expect(await ctl(["scale", "rc", "api", "--replicas", "3"])).toMatchObject({ code: 0, stdout: "replicationcontroller/api scaled\n" });
      const scaled = await eventually(() => ctl(["get", "rc", "api"]), (r) => /^api\s+3\s+3\s+3\s/m.test(r.stdout), 60_000);
      expect(scaled.stdout).toMatch(/^api\s+3\s+3\s+3\s/m);

    } finally {
      node.child.kill("SIGTERM");
      await node.exited;
    }
  });
});
