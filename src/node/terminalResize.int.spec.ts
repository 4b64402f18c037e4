import { describe, expect, it } from "vitest";
import { pino } from "pino";
import type { Pod } from "../api/pod.js";
import type { Container } from "../api/podSpec.js";
import { eventually, uniqueName } from "../../test/harness/natsServer.js";
import { processNodes } from "../../test/harness/processNodes.js";
import { MemoryView } from "../../test/harness/memoryView.js";
import { boundPod, FakePodActor } from "../../test/harness/podFixtures.js";
import { openNodeStream, type StreamAsk } from "../gateway/nodeStream.js";
import { Channel } from "../podStreams/protocol.js";

const nodes = processNodes();

/** A process node running pod `name` with `container`, once it runs; its prefix and the pod's uid. */
async function nodeRunning(name: string, container: Partial<Container>): Promise<{ prefix: string; uid: string }> {
  const view = new MemoryView();
  const actor = new FakePodActor(view);
  const prefix = uniqueName("p");
  await nodes.start({
    prefix, view, names: ["n1"], runtime: "process", stateDir: nodes.stateDir(), leaseBucket: uniqueName("LEASES"),
    logs: { stream: uniqueName("LOGS"), maxMsgsPerSubject: 100 }, tickMs: 50, statsMs: 60_000, heartbeatMs: 200, resyncMs: 500,
    sender: () => actor, logger: pino({ level: "silent" }),
  });
  view.putAt("pods", "default", name, boundPod(name, "n1", [container], { graceSeconds: 0 }));
  const pod = () => view.get<Pod>("pods", "default", name)?.object;
  await eventually(() => pod()?.status.containerStatuses?.[0]?.state?.running);
  return { prefix, uid: pod()?.metadata.uid ?? "" };
}

/** A session into the pod on a terminal, with what it printed so far and how it ended. */
async function terminal(prefix: string, ask: StreamAsk) {
  const seen = { out: "", ended: undefined as string | undefined };
  const link = await openNodeStream(nodes.nc(), prefix, "n1", ask, {
    frame: (c, d) => void (c === Channel.stdout && (seen.out += Buffer.from(d).toString())),
    ended: (why) => { seen.ended = why; },
  });
  nodes.afterThis(() => link.close());
  const resize = (data: string) => link.send(Channel.resize, data);
  /** Asks the shell its size (`stty size`) until it says `want`: a size is set a moment after its frame. */
  const sizeBecomes = (want: string) => eventually(async () => {
    const from = seen.out.length;
    link.send(Channel.stdin, "stty size\n");
    // Its answer (a prompt may come before it on the line: typed-ahead input is echoed before the shell reads it).
    const said = await eventually(() => /(\d+ \d+)\r?\n/.exec(seen.out.slice(from))?.[1], 5_000);
    return said === want;
  }, 10_000, 0);
  return { seen, link, resize, sizeBecomes };
}

const streams = { namespace: "default", container: "c0", stdin: true, stdout: true, stderr: false, tty: true };

describe("a terminal's size on a process node", () => {
  it("is set for `kubectl exec -it`: the shell reads the size sent as the stream opened, then a new one", async () => {
    const { prefix, uid } = await nodeRunning("web", { command: ["sleep", "3600"] });
    const { resize, sizeBecomes, seen } = await terminal(prefix, { kind: "exec", ...streams, pod: "web", uid, command: ["sh"] });
    resize(JSON.stringify({ Width: 101, Height: 33 })); // as kubectl does, before the shell has started
    await sizeBecomes("33 101");
    resize(`${JSON.stringify({ Width: 120, Height: 40 })}\n`); // a json.Encoder line, as kubectl sends it over SPDY
    await sizeBecomes("40 120");
    expect(seen.ended).toBeUndefined();
  });

  it("is set for `kubectl attach -it` to a container with stdin and tty", async () => {
    const { prefix, uid } = await nodeRunning("shell", { command: ["sh"], stdin: true, tty: true });
    const { resize, sizeBecomes } = await terminal(prefix, { kind: "attach", ...streams, pod: "shell", uid });
    resize(JSON.stringify({ Width: 101, Height: 33 }));
    await sizeBecomes("33 101");
  });

  it("skips a malformed size and goes on: the session stays, and the next size is set", async () => {
    const { prefix, uid } = await nodeRunning("web", { command: ["sleep", "3600"] });
    const { resize, sizeBecomes, seen } = await terminal(prefix, { kind: "exec", ...streams, pod: "web", uid, command: ["sh"] });
    for (const bad of ["not json", '{"Width":-1,"Height":33}', '{"Width":70000,"Height":33}', "[101,33]", '{"Width":"101"}']) resize(bad);
    resize(JSON.stringify({ Width: 101, Height: 33 }));
    await sizeBecomes("33 101");
    expect(seen.ended).toBeUndefined();
  });
});
