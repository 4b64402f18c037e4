import { release } from "node:os";
import { describe, expect, it } from "vitest";
import { NodeV1Manifest } from "../api/node.js";
import { machineInfo, nodeRegistration, SIM_CAPACITY } from "./nodeManifest.js";

describe("what a node agent says of its machine", () => {
  it("reports the kubelet version kubectl shows, the machine's kernel and architecture by Kubernetes' names", () => {
    const info = machineInfo("process");
    expect(info.kubeletVersion).toMatch(/^v1\.\d+\.\d+-coxswain$/);
    expect(info.kernelVersion).toBe(release());
    expect(info.architecture).not.toBe("x64");
    expect(info.containerRuntimeVersion).toMatch(/^coxswain-process:\/\//);
    expect(info.osImage).toBeTruthy();
  });

  it("gives a simulated node a made-up machine with the same versions", () => {
    const sim = machineInfo("sim");
    expect(sim).toMatchObject({ kernelVersion: "simulated", kubeletVersion: machineInfo("process").kubeletVersion });
    expect(sim.machineID).toBeUndefined();
  });

  it("registers it in a manifest the API accepts", () => {
    const manifest = nodeRegistration("n1", "10.0.0.1", SIM_CAPACITY, machineInfo("sim"));
    expect(NodeV1Manifest.parse(manifest).status?.nodeInfo?.kubeletVersion).toBe(machineInfo("sim").kubeletVersion);
  });
});
