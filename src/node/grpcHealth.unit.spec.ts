/** The gRPC health check's two messages, framed and read by hand, and how an answer is judged (the kubelet's words). */
import { describe, expect, it } from "vitest";
import { healthCheckRequest, healthCheckStatus, judgeHealthCheck } from "./grpcHealth.js";

const frame = (body: number[]) => Buffer.from([0, 0, 0, 0, body.length, ...body]);

describe("grpc.health.v1 messages", () => {
  it("frames a request: empty for the server as a whole, field 1 for a service", () => {
    expect([...healthCheckRequest("")]).toEqual([0, 0, 0, 0, 0]);
    expect([...healthCheckRequest("db")]).toEqual([0, 0, 0, 0, 4, 0x0a, 2, 0x64, 0x62]);
    expect(healthCheckRequest("x".repeat(200)).subarray(5, 8)).toEqual(Buffer.from([0x0a, 0xc8, 0x01]));
  });

  it("reads a response's status: absent is UNKNOWN (0); a malformed frame is unreadable", () => {
    expect(healthCheckStatus(frame([0x08, 1]))).toBe(1);
    expect(healthCheckStatus(frame([]))).toBe(0);
    expect(healthCheckStatus(frame([0x08, 3]))).toBe(3);
    expect(healthCheckStatus(Buffer.from([1, 0, 0, 0, 0]))).toBeUndefined();
    expect(healthCheckStatus(frame([0x0a, 1, 0x41]))).toBeUndefined();
  });

  it("judges SERVING a success, anything else a failure in the kubelet's words", () => {
    expect(judgeHealthCheck("0", undefined, frame([0x08, 1]))).toEqual({ ok: true });
    expect(judgeHealthCheck("0", undefined, frame([0x08, 2]))).toEqual({ ok: false, message: 'service unhealthy (responded with "NOT_SERVING")' });
    expect(judgeHealthCheck("0", undefined, frame([]))).toEqual({ ok: false, message: 'service unhealthy (responded with "UNKNOWN")' });
    expect(judgeHealthCheck("12", "unknown%20service", Buffer.alloc(0)).message)
      .toBe("error: this server does not implement the grpc health protocol (grpc.health.v1.Health): rpc error: code = Unimplemented desc = unknown service");
    expect(judgeHealthCheck("5", "unknown service db", Buffer.alloc(0)).message).toBe("error: health rpc probe failed: rpc error: code = NotFound desc = unknown service db");
  });
});
