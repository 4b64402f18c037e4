/**
 * Streams into a pod (`kubectl exec`, `kubectl port-forward`) between the API and the node agent that runs it, on
 * core NATS (docs/protocol.md, "Streams into a pod"). Nothing here is stored: a stream lives as long as both ends.
 *
 * - The API subscribes to an inbox of its own (`output`), then asks `<p>.podstream.<node>.open` with an OpenStream
 *   request; the node answers `{ ok: true }` or `{ ok: false, status }`.
 * - Then each side sends frames: the API on `<p>.podstream.<node>.<session>`, the node on `output`. A frame is one
 *   byte of channel and its data, the channels of Kubernetes' `v5.channel.k8s.io` (0 stdin, 1 stdout, 2 stderr,
 *   3 error, 4 resize, 255 close), plus three of this link's own: 254 keep-alive, 253 credit and 252 end.
 * Only the control plane may publish on `<p>.podstream.>`; each node agent subscribes to its own node's tree.
 */
import { z } from "zod";

/** The channels of a frame. */
export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  /** exec: the final Status (JSON); port-forward: an error's text. */
  error: 3,
  /** exec and attach with a terminal: `{"Width":w,"Height":h}` (see terminalSizes). */
  resize: 4,
  /** The sender is gone or done: the session ends. */
  end: 252,
  /** Flow control: the sender has consumed this many more bytes of data (4 bytes, big-endian). */
  credit: 253,
  /** Nothing to say, still here (every KEEPALIVE_MS; a side that hears nothing for SILENCE_MS ends the session). */
  keepAlive: 254,
  /** Half-close: the data byte names the channel whose sender is done (stdin's EOF). */
  close: 255,
} as const;

/** How often a side says it is still there, and how long a silence ends a session. */
export const KEEPALIVE_MS = 5_000;
export const SILENCE_MS = 30_000;

/** The largest data in one frame (well under nats-server's default max_payload of 1 MiB). */
export const MAX_FRAME_DATA = 32 * 1024;

/**
 * Flow control of the data channels (stdin, stdout, stderr): a side sends at most WINDOW_BYTES the other has not
 * credited; the other credits what it has passed on (written to the client, the command or the socket), at least
 * CREDIT_BYTES at a time. So a fast command never outruns a slow client, and no subscription overflows.
 */
export const WINDOW_BYTES = 1024 * 1024;
export const CREDIT_BYTES = 128 * 1024;

/** True for the channels whose bytes are flow-controlled. Pure. */
export function isDataChannel(channel: number): boolean {
  return channel === Channel.stdin || channel === Channel.stdout || channel === Channel.stderr;
}

/** A frame: its channel byte, then the data. Pure. */
export function frame(channel: number, data?: Uint8Array | string): Uint8Array {
  const body = typeof data === "string" ? Buffer.from(data) : data ?? new Uint8Array(0);
  const out = new Uint8Array(body.length + 1);
  out[0] = channel;
  out.set(body, 1);
  return out;
}

/** A frame's channel and data (a view, not a copy), or undefined for an empty message. Pure. */
export function parseFrame(bytes: Uint8Array): { channel: number; data: Uint8Array } | undefined {
  if (bytes.length === 0) return undefined;
  return { channel: bytes[0] ?? 0, data: bytes.subarray(1) };
}

/** A terminal's size, as a resize frame carries it (client-go's TerminalSize: `{"Width":w,"Height":h}`). */
export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * The sizes in a resize frame's data, in order: one JSON value, or several each on its own line (Go's json.Encoder
 * ends each with one, as kubectl writes them over SPDY). Read as Go reads client-go's TerminalSize: keys matched
 * regardless of case, others ignored, each a whole number of 0 to 65535 (missing or null: 0). A size with a 0 is
 * skipped, as the kubelet skips it; a malformed value is an error, and the rest are still read. Pure.
 */
export function terminalSizes(data: Uint8Array): { sizes: TerminalSize[]; errors: string[] } {
  const sizes: TerminalSize[] = [];
  const errors: string[] = [];
  for (const line of Buffer.from(data).toString("utf8").split("\n")) {
    if (line.trim() === "") continue;
    const size = terminalSize(line);
    if (typeof size === "string") errors.push(size);
    else if (size.width > 0 && size.height > 0) sizes.push(size);
  }
  return { sizes, errors };
}

/** One JSON value as a TerminalSize, or why it is not one. Pure. */
function terminalSize(text: string): TerminalSize | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 80)}`;
  }
  if (value === null) return { width: 0, height: 0 };
  if (typeof value !== "object" || Array.isArray(value)) return `not an object: ${text.slice(0, 80)}`;
  const size = { width: 0, height: 0 };
  for (const [key, n] of Object.entries(value)) {
    const field = key.toLowerCase();
    if ((field !== "width" && field !== "height") || n === null) continue;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 65535) return `${key} is not a whole number of 0 to 65535: ${JSON.stringify(n)}`;
    size[field] = n;
  }
  return size;
}

/** The subject a node's streams are opened on, and the one a session's frames to the node go on. Pure. */
export function openSubject(prefix: string, node: string): string {
  return `${prefix}.podstream.${node}.open`;
}
export function sessionSubject(prefix: string, node: string, session: string): string {
  return `${prefix}.podstream.${node}.${session}`;
}
/** What a node agent subscribes to. Pure. */
export function nodeStreamTree(prefix: string, node: string): string {
  return `${prefix}.podstream.${node}.>`;
}

const PodRef = {
  session: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).refine((s) => s !== "open", "may not be open"),
  output: z.string().min(1),
  namespace: z.string().min(1),
  pod: z.string().min(1),
  uid: z.string().min(1),
};

/** A container of the pod and the streams asked of it (exec and attach). */
const ContainerStreams = { ...PodRef, container: z.string().min(1), stdin: z.boolean(), stdout: z.boolean(), stderr: z.boolean(), tty: z.boolean() };

/** Asks the node to run a command in a running container. */
export const OpenExec = z.object({ kind: z.literal("exec"), ...ContainerStreams, command: z.array(z.string()).min(1) });
export type OpenExec = z.infer<typeof OpenExec>;

/** Asks the node to attach to a running container's own input and output. */
export const OpenAttach = z.object({ kind: z.literal("attach"), ...ContainerStreams });
export type OpenAttach = z.infer<typeof OpenAttach>;

/** Asks the node for one connection to a port of the pod. */
export const OpenPortForward = z.object({
  kind: z.literal("portforward"),
  ...PodRef,
  /** The pod's address (its `status.podIP`); the node connects to it only while it runs a container of `uid`. */
  address: z.string().min(1),
  port: z.number().int().min(1).max(65535),
});
export type OpenPortForward = z.infer<typeof OpenPortForward>;

export const OpenStream = z.discriminatedUnion("kind", [OpenExec, OpenAttach, OpenPortForward]);
export type OpenStream = z.infer<typeof OpenStream>;

/** A Kubernetes Status as exec's error channel carries it (`metav1.Status`, JSON). Pure. */
export function execStatus(exitCode: number, command: readonly string[]): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: "Success" };
  return {
    metadata: {}, status: "Failure",
    message: `command terminated with non-zero exit code: error executing command [${command.join(" ")}], exit code ${exitCode}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
  };
}

/** The error channel's Status for a command that could not be run (or an attach that failed); kubectl prints it. Pure. */
export function execFailure(message: string, what: "exec" | "attach" = "exec"): Record<string, unknown> {
  const doing = what === "exec" ? "error executing command in container" : "error attaching to container";
  return { metadata: {}, status: "Failure", message: `Internal error occurred: ${doing}: ${message}`, reason: "InternalError", code: 500 };
}
