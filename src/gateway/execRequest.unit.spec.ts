import { describe, expect, it } from "vitest";
import type { Pod } from "../api/pod.js";
import { execRequestOf, streamContainer } from "./execRequest.js";

const pod = (over: { containers?: string[]; inits?: string[]; nodeName?: string; phase?: string } = {}) => ({
  kind: "Pod", metadata: { name: "web", namespace: "default", uid: "u1" },
  spec: {
    containers: (over.containers ?? ["main"]).map((name) => ({ name, image: "x" })),
    ...(over.inits ? { initContainers: over.inits.map((name) => ({ name, image: "x" })) } : {}),
    ...(over.nodeName === "" ? {} : { nodeName: over.nodeName ?? "n1" }),
  },
  status: { phase: over.phase ?? "Running" },
}) as unknown as Pod;

const q = (text: string) => new URLSearchParams(text);

describe("an exec request", () => {
  it("reads kubectl's query: commands in order, the streams, the terminal, the node and uid", () => {
    expect(execRequestOf(pod(), q("command=sh&command=-c&command=echo+hi&container=main&stdin=true&stdout=true&tty=1"))).toEqual({
      container: "main", command: ["sh", "-c", "echo hi"], stdin: true, stdout: true, stderr: false, tty: true, node: "n1", uid: "u1",
    });
    expect(execRequestOf(pod(), q("command=true&stdout=true")).container).toBe("main");
  });

  it("refuses in the apiserver's words", () => {
    expect(() => execRequestOf(pod(), q("stdout=true"))).toThrow("you must specify at least one command for the container");
    expect(() => execRequestOf(pod(), q("command=true"))).toThrow("you must specify at least 1 of stdin, stdout, stderr");
    expect(() => execRequestOf(pod({ phase: "Succeeded" }), q("command=true&stdout=true"))).toThrow("cannot exec into a container in a completed pod; current phase is Succeeded");
    expect(() => execRequestOf(pod({ nodeName: "" }), q("command=true&stdout=true"))).toThrow("pod web does not have a host assigned");
    expect(() => streamContainer(pod({ containers: ["a", "b"], inits: ["i"] }), null)).toThrow("a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [i]");
    expect(() => streamContainer(pod(), "nope")).toThrow("container nope is not valid for pod web");
    expect(streamContainer(pod({ inits: ["i"] }), "i")).toBe("i");
  });
});
