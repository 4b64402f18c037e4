import { describe, expect, it } from "vitest";
import { createPodCommandId, deletePodCommandId, freeOrdinals, podName, podSuffix } from "./names.js";
import { generatedName } from "../generatedName.js";
import { isDnsSubdomain } from "../../api/names.js";

const web = { name: "web", uid: "3f2c9a1e-0000-4000-8000-000000000001", generation: 2 };

describe("pod names", () => {
  it("are <rc>-<5 chars> from the uid, generation and ordinal, the same every time", () => {
    const name = podName(web, 0);
    expect(name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(podName({ ...web }, 0)).toBe(name);
  });

  it("differ by ordinal, generation and uid", () => {
    const names = new Set([podName(web, 0), podName(web, 1), podName({ ...web, generation: 3 }, 0), podName({ ...web, uid: "other" }, 0)]);
    expect(names.size).toBe(4);
  });

  it("stay DNS labels for a 63-character controller name", () => {
    const long = { ...web, name: `${"a".repeat(56)}-bcdef` };
    const name = podName(long, 7);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(name.endsWith(`-${podSuffix(long, 7)}`)).toBe(true);
    expect(name).not.toContain("--");
  });

  it("stay DNS subdomains when a dotted name is cut at a dot (here, by the RC's, the DaemonSet's and the Deployment's cuts)", () => {
    const dotted = `${"x".repeat(56)}.v2`;
    expect(podName({ ...web, name: dotted }, 0)).toMatch(/^x{56}-[a-z0-9]{5}$/);
    expect(generatedName(`${"x".repeat(56)}.v2`, "seed")).toMatch(/^x{56}-[a-z0-9]{5}$/);
    expect(isDnsSubdomain(generatedName(`${"y".repeat(56)}.-z`, "seed"))).toBe(true);
  });
});

describe("command ids", () => {
  it("depend only on the uid, the generation and the ordinal or victim", () => {
    expect(createPodCommandId(web, 3)).toBe(`rc:${web.uid}:g2:create:3`);
    expect(deletePodCommandId(web, "pod-uid")).toBe(`rc:${web.uid}:g2:delete:pod-uid`);
  });

  it("use only characters the protocol allows, within 128", () => {
    for (const id of [createPodCommandId(web, 99_999), deletePodCommandId(web, web.uid)]) {
      expect(id).toMatch(/^[A-Za-z0-9._:/@+=-]{1,128}$/);
    }
  });
});

describe("free ordinals", () => {
  it("are the first ones not taken", () => {
    const taken = new Set([0, 2, 3]);
    expect(freeOrdinals(3, (o) => taken.has(o), taken.size)).toEqual([1, 4, 5]);
  });

  it("are found past 100,000 when that many are taken (an RC of 100,000 replicas with a few ordinals spent)", () => {
    expect(freeOrdinals(2, (o) => o < 100_365, 100_365)).toEqual([100_365, 100_366]);
  });

  it("stop after count + takenAtMost ordinals, however many `taken` excludes", () => {
    expect(freeOrdinals(5, () => true, 10)).toEqual([]);
  });
});
