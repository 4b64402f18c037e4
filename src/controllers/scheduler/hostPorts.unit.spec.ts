import { describe, expect, it } from "vitest";
import { hostPortsConflict } from "./resources.js";

describe("Kubernetes' host port fit", () => {
  const used = (...ports: string[]) => new Set(ports);

  it("collides on the same protocol, port and hostIP, and on 0.0.0.0 either side", () => {
    expect(hostPortsConflict(["TCP/8080/0.0.0.0"], used("TCP/8080/0.0.0.0"))).toBe(true);
    expect(hostPortsConflict(["TCP/8080/127.0.0.2"], used("TCP/8080/127.0.0.2"))).toBe(true);
    expect(hostPortsConflict(["TCP/8080/127.0.0.2"], used("TCP/8080/0.0.0.0"))).toBe(true);
    expect(hostPortsConflict(["TCP/8080/0.0.0.0"], used("TCP/8080/127.0.0.2"))).toBe(true);
  });

  it("does not collide across protocols, ports or two distinct hostIPs", () => {
    expect(hostPortsConflict(["UDP/8080/0.0.0.0"], used("TCP/8080/0.0.0.0"))).toBe(false);
    expect(hostPortsConflict(["TCP/8081/0.0.0.0"], used("TCP/8080/0.0.0.0", "TCP/80810/0.0.0.0"))).toBe(false);
    expect(hostPortsConflict(["TCP/8080/127.0.0.3"], used("TCP/8080/127.0.0.2"))).toBe(false);
    expect(hostPortsConflict(["TCP/8080/0.0.0.0"], used())).toBe(false);
  });

  it("collides when any one of several wanted ports does", () => {
    expect(hostPortsConflict(["TCP/9000/0.0.0.0", "TCP/8080/0.0.0.0"], used("TCP/8080/127.0.0.2"))).toBe(true);
  });
});
