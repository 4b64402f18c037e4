import { describe, expect, it } from "vitest";
import { kubectlAgainstUp } from "../harness/kubectl.js";
import { eventually } from "../harness/natsServer.js";

/** An Event as client-go's recorder writes it: named `<object>.<unix nanoseconds in hex>`, about an object by uid. */
const written = (uid: string, namespace = "default") => `apiVersion: v1
kind: Event
metadata: { name: web.1870a2b3c4d5e6f7, namespace: default }
involvedObject: { kind: Deployment, name: web, namespace: ${namespace}, apiVersion: apps/v1, uid: ${uid} }
reason: Reconciled
message: all good
type: Normal
source: { component: my-operator }
firstTimestamp: "2026-12-07T10:00:00Z"
lastTimestamp: "2026-12-07T10:00:00Z"
count: 1
`;

/** Events a client writes, through the real kubectl against `coxswain up`: shown beside the cluster's own, patched, deleted. */
describe("kubectl and the Events a client writes", () => {
  const { k, ok, file } = kubectlAgainstUp();

  it("creates one (as client-go's recorder does), shows it in describe and get beside the cluster's, patches its count, and deletes it; refuses one about another namespace", async () => {
    await ok("create", "deployment", "web", "--image=nginx");
    const uid = await ok("get", "deployment", "web", "-o", "jsonpath={.metadata.uid}");
    expect(await ok("create", "-f", file("event.yaml", written(uid)))).toBe("event/web.1870a2b3c4d5e6f7 created\n");
    // `kubectl describe` finds an object's Events by its uid: the written one beside the deployment controller's.
    const described = await eventually(async () => {
      const out = await ok("describe", "deployment", "web");
      return /ScalingReplicaSet/.test(out) ? out : undefined;
    }, 30_000, 200);
    expect(described).toMatch(/^\s+Normal\s+Reconciled\s+\S+\s+my-operator\s+all good$/m);
    expect(await ok("get", "events", "--field-selector", "reason=Reconciled", "-o", "jsonpath={.items[*].metadata.name} {.items[*].count}")).toBe("web.1870a2b3c4d5e6f7 1");

    // client-go's recorder, seeing it again, patches the count and the last time.
    expect(await ok("patch", "event", "web.1870a2b3c4d5e6f7", "-p", '{"count":2,"lastTimestamp":"2026-12-07T10:05:00Z"}')).toBe("event/web.1870a2b3c4d5e6f7 patched\n");
    expect(await ok("get", "event", "web.1870a2b3c4d5e6f7", "-o", "jsonpath={.count} {.firstTimestamp} {.lastTimestamp} {.source.component}"))
      .toBe("2 2026-12-07T10:00:00Z 2026-12-07T10:05:00Z my-operator");

    expect((await k("create", "-f", file("other.yaml", written(uid, "kube-system").replace("web.1870a2b3c4d5e6f7", "web.1")))).stderr)
      .toContain('The Event "web.1" is invalid: involvedObject.namespace: Invalid value: "kube-system": does not match event.namespace');

    expect(await ok("delete", "event", "web.1870a2b3c4d5e6f7")).toBe('event "web.1870a2b3c4d5e6f7" deleted\n');
    expect((await k("get", "event", "web.1870a2b3c4d5e6f7")).stderr).toContain('events "web.1870a2b3c4d5e6f7" not found');
    // A derived Event can be deleted too.
    const derived = await ok("get", "events", "--field-selector", "reason=ScalingReplicaSet", "-o", "jsonpath={.items[0].metadata.name}");
    expect(await ok("delete", "event", derived)).toBe(`event "${derived}" deleted\n`);
    expect(await ok("get", "events", "--field-selector", "reason=ScalingReplicaSet", "-o", "name")).toBe("");
  });

  it("serves them as events.k8s.io/v1 too (client-go's newer recorder): created with an eventTime, its series patched, read back in either version", async () => {
    expect(await ok("api-resources")).toMatch(/^events\s+ev\s+events\.k8s\.io\/v1\s+true\s+Event$/m);
    const event = `apiVersion: events.k8s.io/v1
kind: Event
metadata: { name: web.1870a2b3c4d5e6f8, namespace: default }
eventTime: "2026-12-07T10:00:00.000000Z"
reportingController: example.com/my-operator
reportingInstance: my-operator-1
action: Reconcile
reason: Scaled
regarding: { kind: Deployment, name: web, namespace: default, apiVersion: apps/v1 }
note: scaled to 3
type: Normal
`;
    expect(await ok("create", "-f", file("new.yaml", event))).toBe("event.events.k8s.io/web.1870a2b3c4d5e6f8 created\n");
    expect(await ok("get", "events.v1.events.k8s.io", "web.1870a2b3c4d5e6f8", "-o", "jsonpath={.apiVersion} {.regarding.name} {.note} {.reportingController} {.deprecatedCount}"))
      .toBe("events.k8s.io/v1 web scaled to 3 example.com/my-operator 1");
    expect(await ok("get", "events.v1.", "web.1870a2b3c4d5e6f8", "-o", "jsonpath={.apiVersion} {.involvedObject.name} {.message} {.reportingComponent}"))
      .toBe("v1 web scaled to 3 example.com/my-operator");
    // The recorder, seeing it again, patches its series.
    await ok("patch", "events.v1.events.k8s.io", "web.1870a2b3c4d5e6f8", "--type=merge", "-p", '{"series":{"count":2,"lastObservedTime":"2026-12-07T10:01:00.000000Z"}}');
    expect(await ok("get", "events.v1.", "web.1870a2b3c4d5e6f8", "-o", "jsonpath={.count} {.lastTimestamp}")).toBe("2 2026-12-07T10:01:00.000000Z");
    const bad = event.replace("action: Reconcile\n", "").replace("f8", "f9");
    expect((await k("create", "-f", file("bad.yaml", bad))).stderr)
      .toContain("action: Required value");
  });
});
