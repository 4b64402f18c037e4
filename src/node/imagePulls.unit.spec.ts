import { describe, expect, it } from "vitest";
import { CONFIG_RETRY_BACKOFF, KUBELET_PULL_BACKOFF, pullFailed, pullReports, pullWaits, pullWakeups } from "./imagePulls.js";

const ref = { resource: "pods" as const, namespace: "default", name: "web" };

describe("image pull back-off (pure)", () => {
  it("doubles the delay from 10 s to at most 300 s, and starts again for a new attempt", () => {
    let f = pullFailed(undefined, 0, "x", "not found", 0, KUBELET_PULL_BACKOFF);
    const delays = [f.retryAtMs];
    for (let i = 0; i < 6; i++) {
      f = pullFailed(f, 0, "x", "not found", 1_000_000, KUBELET_PULL_BACKOFF);
      delays.push(f.retryAtMs - 1_000_000);
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(pullFailed(f, 1, "x", "not found", 0, KUBELET_PULL_BACKOFF)).toMatchObject({ attempt: 1, failures: 1, retryAtMs: 10_000 });
  });

  it("holds the start until the retry, for the failed attempt only", () => {
    const f = pullFailed(undefined, 0, "x", "m", 0, KUBELET_PULL_BACKOFF);
    expect([pullWaits(f, 0, 9_999), pullWaits(f, 0, 10_000), pullWaits(f, 1, 0), pullWaits(undefined, 0, 0)]).toEqual([true, false, false, false]);
  });

  it("tells the pod ErrImagePull at once and ImagePullBackOff after a while, under ids naming the failure", () => {
    const f = pullFailed(undefined, 2, "nginx", "image not found", 0, KUBELET_PULL_BACKOFF);
    expect(pullReports(ref, "u1", "c", f, 4_999).map((r) => r.id)).toEqual(["u1/c/2/pull1/ErrImagePull"]);
    const both = pullReports(ref, "u1", "c", f, 5_000);
    expect(both.map((r) => r.command.data)).toEqual([
      { container: "c", reason: "ErrImagePull", message: "image not found" },
      { container: "c", reason: "ImagePullBackOff", message: 'Back-off pulling image "nginx"' },
    ]);
  });

  it("wakes the pod when ImagePullBackOff is due and when the pull is tried again: the moments its reports or plan change", () => {
    const f = pullFailed(undefined, 0, "nginx", "image not found", 1_000, KUBELET_PULL_BACKOFF);
    const [shown, retry] = pullWakeups(f) as [number, number];
    expect([shown, retry]).toEqual([6_000, 11_000]);
    expect(pullReports(ref, "u1", "c", f, shown - 1)).toHaveLength(1);
    expect(pullReports(ref, "u1", "c", f, shown)).toHaveLength(2);
    expect([pullWaits(f, 0, retry - 1), pullWaits(f, 0, retry)]).toEqual([true, false]);
  });
});

describe("a container whose configuration is missing (pure)", () => {
  it("tells the pod CreateContainerConfigError alone, retried after 1 s doubling to 10 s, and wakes only for the retry", () => {
    let f = pullFailed(undefined, 0, "x", 'configmap "settings" not found', 0, CONFIG_RETRY_BACKOFF, true);
    expect(pullReports(ref, "u1", "c", f, 60_000).map((r) => r.command.data)).toEqual([
      { container: "c", reason: "CreateContainerConfigError", message: 'configmap "settings" not found' },
    ]);
    expect(pullWakeups(f)).toEqual([1_000]);
    const delays = [f.retryAtMs];
    for (let i = 0; i < 5; i++) {
      f = pullFailed(f, 0, "x", "m", 0, CONFIG_RETRY_BACKOFF, true);
      delays.push(f.retryAtMs);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    // A pull failure after configuration failures counts afresh.
    expect(pullFailed(f, 0, "x", "image not found", 0, KUBELET_PULL_BACKOFF)).toMatchObject({ failures: 1, retryAtMs: 10_000 });
  });
});

describe("a container that fails one way, then another (pure)", () => {
  it("names each report afresh, so the pod hears of the switch", () => {
    const pull = pullFailed(undefined, 0, "x", "image not found", 0, KUBELET_PULL_BACKOFF);
    const config = pullFailed(pull, 0, "x", 'configmap "c" not found', 0, CONFIG_RETRY_BACKOFF, true);
    const again = pullFailed(config, 0, "x", "image not found", 0, KUBELET_PULL_BACKOFF);
    const ids = [pull, config, again].map((f) => pullReports(ref, "u1", "c", f, 0)[0]?.id);
    expect(new Set(ids).size).toBe(3);
    expect(again).toMatchObject({ failures: 1, retryAtMs: 10_000 }); // its delay counts afresh all the same
  });
});
