import { describe, expect, it } from "vitest";
import { Channel, OpenStream, execStatus, frame, parseFrame, terminalSizes } from "./protocol.js";

describe("pod stream frames", () => {
  it("carry one channel byte and the data", () => {
    const f = frame(Channel.stdout, "hi");
    expect([...f]).toEqual([1, 104, 105]);
    expect(parseFrame(f)).toEqual({ channel: 1, data: new Uint8Array([104, 105]) });
    expect(parseFrame(frame(Channel.keepAlive))).toEqual({ channel: 254, data: new Uint8Array(0) });
    expect(parseFrame(new Uint8Array(0))).toBeUndefined();
  });

  it("end an exec with Kubernetes' Status: Success, or NonZeroExitCode with the code as its cause", () => {
    expect(execStatus(0, ["true"])).toEqual({ metadata: {}, status: "Success" });
    expect(execStatus(3, ["sh", "-c", "exit 3"])).toMatchObject({ status: "Failure", reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: "3" }] } });
  });

  it("open only what is well formed", () => {
    const base = { session: "abc", output: "_INBOX.x", namespace: "default", pod: "web", uid: "u" };
    expect(OpenStream.safeParse({ ...base, kind: "exec", container: "main", command: ["true"], stdin: false, stdout: true, stderr: true, tty: false }).success).toBe(true);
    expect(OpenStream.safeParse({ ...base, kind: "exec", container: "main", command: [], stdin: false, stdout: true, stderr: true, tty: false }).success).toBe(false);
    expect(OpenStream.safeParse({ ...base, session: "a.b", kind: "portforward", address: "127.244.0.2", port: 80 }).success).toBe(false);
    expect(OpenStream.safeParse({ ...base, kind: "portforward", address: "127.244.0.2", port: 70000 }).success).toBe(false);
    expect(OpenStream.safeParse({ ...base, kind: "portforward", address: "127.244.0.2", port: 80 }).success).toBe(true);
  });

  it("read a resize's sizes as Go reads client-go's TerminalSize: whole numbers of 0 to 65535, a 0 skipped, a malformed one an error", () => {
    const read = (text: string) => terminalSizes(Buffer.from(text));
    expect(read('{"Width":101,"Height":33}')).toEqual({ sizes: [{ width: 101, height: 33 }], errors: [] });
    // json.Encoder's lines (kubectl over SPDY), keys in any case, others ignored.
    expect(read('{"Width":80,"Height":24}\n{"width":120,"HEIGHT":40,"x":"y"}\n')).toEqual({ sizes: [{ width: 80, height: 24 }, { width: 120, height: 40 }], errors: [] });
    // As the kubelet: a size with a 0 (or a missing one) is valid and skipped.
    expect(read('{"Width":0,"Height":33}\nnull\n{"Height":5}')).toEqual({ sizes: [], errors: [] });
    for (const bad of ['{"Width":-1,"Height":33}', '{"Width":1.5,"Height":2}', '{"Width":65536,"Height":2}', '{"Width":"80","Height":2}', "[80,24]", "80", "not json", '{"Width":80,']) {
      expect(read(bad).sizes, bad).toEqual([]);
      expect(read(bad).errors, bad).toHaveLength(1);
    }
    // A malformed one does not hide the others.
    expect(read('oops\n{"Width":90,"Height":30}')).toMatchObject({ sizes: [{ width: 90, height: 30 }], errors: [expect.stringContaining("not JSON")] });
  });
});
