import { describe, expect, it } from "vitest";
import { Channel, OpenStream, execStatus, frame, parseFrame } from "./protocol.js";

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
});
