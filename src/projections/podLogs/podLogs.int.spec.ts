/**
 * The pod log reader over a real nats-server, with lines shipped into COX_LOGS by the node agent's own LogShipper
 * from real files: the current instance only, tail, since, timestamps, limitBytes, previous, the container choice,
 * and follow (new lines as shipped; the end when the instance is replaced; cancellation).
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import type { StreamPublisher } from "../../events/publisher.js";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../../test/harness/natsServer.js";
import { boundPod, withState } from "../../../test/harness/podFixtures.js";
import type { Pod } from "../../api/pod.js";
import { StatusError } from "../../api/status.js";
import { LogShipper, openLogStream } from "../../node/containerLogs.js";
import { openPodLog, type PodLogOptions } from "./index.js";

describe("pod logs from COX_LOGS", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let js: StreamPublisher;
  let dir: string;
  const prefix = uniqueName("lg");
  const stream = uniqueName("LOGS");
  const terminated = { terminated: { exitCode: 1, reason: "Error" } };

  /** Writes lines to an instance's stdout file and ships them as the node agent does. */
  async function ship(pod: string, uid: string, attempt: number, lines: string[], container = "c0"): Promise<void> {
    const d = join(dir, `${uid}-${container}-${attempt}`);
    mkdirSync(d, { recursive: true });
    appendFileSync(join(d, "stdout"), lines.map((l) => `${l}\n`).join(""));
    const record = { podUid: uid, namespace: "default", podName: pod, container, attempt, phase: "running" as const, graceMs: 0, hooks: [] };
    await new LogShipper(js, prefix, d, record).ship(false);
  }
  async function read(pod: Pod, opts: PodLogOptions = {}, now?: number): Promise<string> {
    let out = "";
    for await (const chunk of await openPodLog({ nc, prefix, stream }, pod, opts, now === undefined ? {} : { now: () => now })) out += chunk;
    return out;
  }
  async function refusal(pod: Pod, opts: PodLogOptions): Promise<{ code: number; message: string }> {
    const err = await openPodLog({ nc, prefix, stream }, pod, opts).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    return { code: (err as StatusError).toStatus().code, message: (err as StatusError).message };
  }
  /** `web` in its third instance (attempt 2), running, after one crash. */
  const restarted = () => withState(boundPod("web", "node-1", [{ name: "c0" }]), "c0", { running: {} }, { restartCount: 1, lastState: terminated });

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    js = await openLogStream(nc, { prefix, stream });
    dir = mkdtempSync(join(tmpdir(), "cox-logs-"));
    await ship("web", "uid-old", 0, ["an older pod named web"]);
    await ship("web", "uid-web", 0, ["first 1", "first 2"]);
    await ship("web", "uid-web", 2, ["second 1", "second 2", "second 3"]);
  });
  afterAll(async () => {
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the current instance only, its last lines, from a time, with timestamps, up to a byte limit", async () => {
    const pod = restarted();
    expect(await read(pod)).toBe("second 1\nsecond 2\nsecond 3\n");
    expect(await read(pod, { tailLines: 2 })).toBe("second 2\nsecond 3\n");
    expect(await read(pod, { tailLines: 0 })).toBe("");
    expect(await read(pod, { limitBytes: 12 })).toBe("second 1\nsec");
    const stamped = (await read(pod, { timestamps: true, tailLines: 1 })).trimEnd();
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z second 3$/);
    const since = stamped.slice(0, stamped.indexOf(" "));
    await ship("web", "uid-web", 2, ["second 4"]);
    expect(await read(pod, { sinceTime: since })).toBe("second 3\nsecond 4\n");
    expect(await read(pod, { sinceTime: new Date(Date.now() + 60_000).toISOString() })).toBe("");
    // `kubectl logs --since 10s` sends sinceSeconds, counted back from the reader's clock
    expect(await read(pod, { sinceSeconds: 3600 })).toBe("second 1\nsecond 2\nsecond 3\nsecond 4\n");
    expect(await read(pod, { sinceSeconds: 10 }, Date.now() + 3_600_000)).toBe("");
  });

  it("reads the previous instance after a restart, and says so when there is none", async () => {
    expect(await read(restarted(), { previous: true })).toBe("first 1\nfirst 2\n");
    // In back-off after its second crash, the last instance is both the current and the previous one.
    const backoff = withState(boundPod("web", "node-1", [{ name: "c0" }]), "c0", { waiting: { reason: "CrashLoopBackOff" } }, { restartCount: 1, lastState: terminated });
    expect(await read(backoff, { previous: true, tailLines: 1 })).toBe("second 4\n");
    expect(await read(backoff, { tailLines: 1 })).toBe("second 4\n");
    const fresh = withState(boundPod("web", "node-1", [{ name: "c0" }]), "c0", { running: {} });
    expect(await refusal(fresh, { previous: true })).toEqual({ code: 400, message: 'previous terminated container "c0" in pod "web" not found' });
  });

  it("asks for a container when the pod has several, and checks the options as Kubernetes does", async () => {
    const two = boundPod("pair", "node-1", [{ name: "a" }, { name: "b" }]);
    expect(await refusal(two, {})).toEqual({ code: 400, message: "a container name must be specified for pod pair, choose one of: [a b]" });
    expect(await refusal(two, { container: "c" })).toEqual({ code: 400, message: "container c is not valid for pod pair" });
    expect((await refusal(restarted(), { tailLines: -1 })).code).toBe(422);
    expect((await refusal(restarted(), { sinceSeconds: 5, sinceTime: new Date().toISOString() })).message).toMatch(/at most one of `sinceTime` or `sinceSeconds`/);
  });

  it("follows the running instance until a newer one replaces it", async () => {
    const got: string[] = [];
    const reader = await openPodLog({ nc, prefix, stream }, restarted(), { follow: true, tailLines: 1 });
    const done = (async () => { for await (const chunk of reader) got.push(chunk); })();
    await eventually(() => got.join("") === "second 4\n");
    await ship("web", "uid-web", 2, ["second 5"]);
    await eventually(() => got.join("") === "second 4\nsecond 5\n");
    await ship("web", "uid-web", 3, ["third 1"]);
    await done;
    expect(got.join("")).toBe("second 4\nsecond 5\n");
  });

  it("ends a follow when the caller says the container ended, after the lines shipped before that", async () => {
    const pod = withState(boundPod("job", "node-1", [{ name: "c0" }]), "c0", { running: {} });
    let end: () => void = () => undefined;
    const reader = await openPodLog({ nc, prefix, stream }, pod, { follow: true }, { until: new Promise<void>((r) => { end = r; }) });
    await ship("job", "uid-job", 0, ["working", "last words"]);
    end();
    // Read only now: what was shipped before the end still comes, and then the read ends.
    let out = "";
    for await (const chunk of reader) out += chunk;
    expect(out).toBe("working\nlast words\n");
  });

  it("stops following when closed or when the caller's signal aborts", async () => {
    const ac = new AbortController();
    const byClose = await openPodLog({ nc, prefix, stream }, restarted(), { follow: true, tailLines: 0 });
    const bySignal = await openPodLog({ nc, prefix, stream }, restarted(), { follow: true, tailLines: 0 }, { signal: ac.signal });
    const drain = async (r: AsyncIterable<string>) => { let n = 0; for await (const _ of r) n++; return n; };
    const [a, b] = [drain(byClose), drain(bySignal)];
    byClose.close();
    ac.abort();
    expect(await Promise.all([a, b])).toEqual([0, 0]);
  });

  it("follows a pod's log when no node has shipped any output yet (no stream): nothing, until the container ends or the read is closed", async () => {
    const none = uniqueName("NOLOGS");
    const pod = withState(boundPod("quiet", "node-1", [{ name: "c0" }]), "c0", { running: {} });
    expect(await (async () => { let out = ""; for await (const c of await openPodLog({ nc, prefix, stream: none }, pod, {})) out += c; return out; })()).toBe("");
    let end: () => void = () => undefined;
    const untilEnd = await openPodLog({ nc, prefix, stream: none }, pod, { follow: true }, { until: new Promise<void>((r) => { end = r; }) });
    const byClose = await openPodLog({ nc, prefix, stream: none }, pod, { follow: true });
    const drain = async (r: AsyncIterable<string>) => { let out = ""; for await (const c of r) out += c; return out; };
    const [a, b] = [drain(untilEnd), drain(byClose)];
    end();
    byClose.close();
    expect(await Promise.all([a, b])).toEqual(["", ""]);
  });
});
