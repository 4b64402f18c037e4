/**
 * What `GET|POST …/pods/{name}/exec` (or `…/attach`) asks for, checked against the pod as kube-apiserver checks it,
 * in its words: a command (exec), at least one stream, a pod on a node and not completed, and a container of it (the
 * only one when none is named). Pure.
 */
import type { Pod } from "../api/pod.js";
import { StatusError } from "../api/status.js";

/** An exec's checked request. */
export interface ExecRequest {
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  node: string;
  uid: string;
}

/** `true`/`1` as the apiserver reads a boolean query parameter. Pure. */
function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === "true" || v === "1";
}

/** The container a stream into `pod` is for: `named`, or its only container. Throws BadRequest. Pure. */
export function streamContainer(pod: Pod, named: string | null): string {
  const name = pod.metadata.name;
  const containers = pod.spec.containers.map((c) => c.name);
  const inits = (pod.spec.initContainers ?? []).map((c) => c.name);
  if (named === null || named === "") {
    if (containers.length === 1) return containers[0] ?? "";
    const initPart = inits.length > 0 ? ` or one of the init containers: [${inits.join(" ")}]` : "";
    throw new StatusError("BadRequest", `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]${initPart}`);
  }
  if (!containers.includes(named) && !inits.includes(named)) throw new StatusError("BadRequest", `container ${named} is not valid for pod ${name}`);
  return named;
}

/** The node a stream into `pod` goes to: it must be placed. Throws BadRequest. Pure. */
export function streamNode(pod: Pod): string {
  const node = pod.spec.nodeName;
  if (!node) throw new StatusError("BadRequest", `pod ${pod.metadata.name} does not have a host assigned`);
  return node;
}

/** The exec (or, with no command, the attach) `q` asks of `pod`. Throws BadRequest. Pure. */
export function execRequestOf(pod: Pod, q: URLSearchParams, what: "exec" | "attach" = "exec"): ExecRequest {
  const command = q.getAll("command");
  if (what === "exec" && command.length === 0) throw new StatusError("BadRequest", "you must specify at least one command for the container");
  const streams = { stdin: flag(q, "stdin"), stdout: flag(q, "stdout"), stderr: flag(q, "stderr") };
  if (!streams.stdin && !streams.stdout && !streams.stderr) throw new StatusError("BadRequest", "you must specify at least 1 of stdin, stdout, stderr");
  const tty = flag(q, "tty");
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") {
    throw new StatusError("BadRequest", `cannot ${what === "exec" ? "exec into" : "attach to"} a container in a completed pod; current phase is ${phase}`);
  }
  const node = streamNode(pod);
  return { container: streamContainer(pod, q.get("container")), command, ...streams, tty, node, uid: pod.metadata.uid ?? "" };
}
