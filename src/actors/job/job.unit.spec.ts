import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import { jobKind } from "./index.js";

const m = meta({ namespace: "default", name: "hello", uid: "u-job", time: "2026-12-07T02:00:00Z" });
const command = commandOf(jobKind.decider, m);
const manifest = (labels?: Record<string, string>) => ({
  metadata: { name: "hello", ...(labels ? { labels } : {}) },
  spec: { template: { metadata: { labels: { app: "hello" } }, spec: { containers: [{ name: "c", image: "busybox" }], restartPolicy: "Never" } } },
});
type Created = { data: { object: { metadata: { labels?: Record<string, string> } } } };

describe("the Job actor", () => {
  it("gives a Job written without labels its template's, its own uid's and name's among them, as Kubernetes defaults them; keeps labels given", () => {
    const created = given(jobKind.decider).when(command("CreateJob" as never, manifest() as never)).then(() => undefined) as unknown as Created[];
    expect(created[0]?.data.object.metadata.labels).toEqual({
      app: "hello", "batch.kubernetes.io/controller-uid": "u-job", "batch.kubernetes.io/job-name": "hello", "controller-uid": "u-job", "job-name": "hello",
    });
    const labelled = given(jobKind.decider).when(command("CreateJob" as never, manifest({ team: "a" }) as never)).then(() => undefined) as unknown as Created[];
    expect(labelled[0]?.data.object.metadata.labels).toEqual({ team: "a" });
    // An update without labels (kubectl apply of the same manifest) changes nothing.
    given(jobKind.decider, created as never).when(command("UpdateJob" as never, manifest() as never)).thenNothingHappened();
  });
});
