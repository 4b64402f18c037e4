/**
 * The gRPC health checking protocol as a kubelet's grpc probe speaks it: one unary call of
 * `grpc.health.v1.Health/Check` over HTTP/2 without TLS, `{ service }` in, `{ status }` out; SERVING is a success,
 * anything else (another status, an error status of the call, no answer in time) a failure, in the kubelet's words.
 * The two messages are one field each, so they are framed and read here by hand rather than with a gRPC library.
 */
import { connect, constants } from "node:http2";
import type { CheckResult } from "./probes.js";
import { encodeMessage, readFields, WireFormatError } from "../protobufWire.js";

/** The `status` values of a HealthCheckResponse. */
const SERVING_STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"] as const;

/** gRPC's status codes by number, for messages. */
const GRPC_CODES = [
  "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied",
  "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated",
];

/** A HealthCheckRequest `{ service }` as one length-prefixed gRPC message (uncompressed). Pure. */
export function healthCheckRequest(service: string): Buffer {
  const name = Buffer.from(service, "utf8");
  const body = name.length === 0 ? Buffer.alloc(0) : encodeMessage([[1, name]]);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

/** The `status` of a HealthCheckResponse in its gRPC frame (0, UNKNOWN, when the field is absent); undefined when unreadable. Pure. */
export function healthCheckStatus(frame: Buffer): number | undefined {
  if (frame.length < 5 || frame[0] !== 0) return undefined;
  try {
    const fields = readFields(frame.subarray(5, 5 + frame.readUInt32BE(1)));
    if (fields.some((f) => f.wire !== 0)) return undefined; // only varint fields in this message
    return fields.filter((f) => f.number === 1).at(-1)?.value ?? 0;
  } catch (err) {
    if (err instanceof WireFormatError) return undefined;
    throw err;
  }
}

export function judgeHealthCheck(grpcStatus: string | undefined, grpcMessage: string | undefined, frame: Buffer): CheckResult {
  const code = Number(grpcStatus ?? "2");
  if (code !== 0) {
    const name = GRPC_CODES[code] ?? `Code(${code})`;
    const why = `rpc error: code = ${name} desc = ${decodeURIComponent(grpcMessage ?? "")}`;
    return { ok: false, message: code === 12 ? `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${why}` : `error: health rpc probe failed: ${why}` };
  }
  const status = healthCheckStatus(frame);
  if (status === 1) return { ok: true };
  return { ok: false, message: `service unhealthy (responded with "${status === undefined ? "an unreadable answer" : SERVING_STATUS[status] ?? status}")` };
}

/** Calls grpc.health.v1.Health/Check for `service` on `host:port` within `timeoutMs`; resolves with the outcome (never rejects). */
export function runGrpcHealthCheck(host: string, port: number, service: string, timeoutMs: number): Promise<CheckResult> {
  const address = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  return new Promise((resolve) => {
    let connected = false;
    const session = connect(`http://${address}`);
    const done = (result: CheckResult) => {
      clearTimeout(timer);
      session.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({
      ok: false,
      message: connected ? `timeout: health rpc did not complete within ${timeoutMs / 1000}s` : `timeout: failed to connect service "${address}" within ${timeoutMs / 1000}s: context deadline exceeded`,
    }), timeoutMs);
    session.on("connect", () => { connected = true; });
    session.on("error", (err) => done({ ok: false, message: `timeout: failed to connect service "${address}" within ${timeoutMs / 1000}s: ${err.message}` }));
    const call = session.request({
      [constants.HTTP2_HEADER_METHOD]: "POST", [constants.HTTP2_HEADER_PATH]: "/grpc.health.v1.Health/Check",
      "content-type": "application/grpc", te: "trailers", "user-agent": "kube-probe/1.32",
    });
    const chunks: Buffer[] = [];
    let headers: Record<string, unknown> = {};
    call.on("response", (h) => { headers = h; });
    call.on("trailers", (t) => { headers = { ...headers, ...t }; });
    call.on("data", (chunk: Buffer) => chunks.push(chunk));
    call.on("error", (err) => done({ ok: false, message: `error: health rpc probe failed: ${err.message}` }));
    call.on("end", () => done(judgeHealthCheck(headers["grpc-status"] as string | undefined, headers["grpc-message"] as string | undefined, Buffer.concat(chunks))));
    call.end(healthCheckRequest(service));
  });
}
