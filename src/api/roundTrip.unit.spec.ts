/**
 * Round trips: for every kind, any valid internal object rendered in v1 or v1beta1 (and sent through JSON)
 * reads back with `fromExternal` as the same object. v1beta1 cannot carry everything, so its arbitraries
 * are restricted to what it can (see `V1BETA1` below and the header comments of the kinds):
 * - all kinds: `metadata.generation`; resourceVersion must be decimal (v1beta1 has a number);
 * - containers: resource `requests` (only limits `cpu`/`memory`), probe `periodSeconds`/`failureThreshold`;
 * - pods: `terminationGracePeriodSeconds`, status `conditions`, `startTime`, `reason`;
 * - replication controllers: `templateRef`, status `readyReplicas`/`observedGeneration`;
 * - nodes: `status.allocatable`; namespaces: `spec.finalizers`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Arbitrary } from "fast-check";
import type { ApiVersion } from "./codec.js";
import { codecFor } from "./codecs.js";
import type { AnyKindCodec } from "./codecs.js";
import { RESOURCES } from "./kinds.js";
import type { Resource } from "./kinds.js";
import { Event } from "./event.js";
import { Namespace } from "./namespace.js";
import { Node } from "./node.js";
import { Pod } from "./pod.js";
import { PodTemplate } from "./podTemplate.js";
import { formatQuantity } from "./quantity.js";
import type { QuantityFormat } from "./quantity.js";
import { ReplicationController } from "./replicationController.js";
import { ResourceQuota } from "./resourceQuota.js";

type Restrict = boolean; // true: only what v1beta1 can carry

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const text = fc.string({ maxLength: 12 });
const labelKey = fc.stringMatching(/^([a-z0-9]([-a-z0-9]{0,4}[a-z0-9])?(\.[a-z0-9]{1,3})?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?$/);
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?)?$/);
const map = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const annotations = fc.dictionary(labelKey, text, { maxKeys: 3 });
const timestamp = fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, "Z"));
const quantity = fc.tuple(fc.bigInt(0n, 10n ** 16n), fc.constantFrom<QuantityFormat>("DecimalSI", "BinarySI", "DecimalExponent"))
  .map(([nano, format]) => formatQuantity({ nano, format }));
const nat = fc.nat({ max: 1000 });
const port = fc.integer({ min: 1, max: 65535 });
/** A record whose listed keys are optional (absent, never `undefined`). */
const partial = <T extends Record<string, unknown>>(model: { [K in keyof T]: Arbitrary<T[K]> }) => fc.record(model, { requiredKeys: [] });

const metadata = (r: Restrict, namespaced = true) => fc.record({
  name: label,
  ...(namespaced ? { namespace: label } : {}),
  uid: fc.uuid(),
  creationTimestamp: timestamp,
}).chain((required) => partial({
  labels: map, annotations, resourceVersion: fc.nat().map(String), deletionTimestamp: timestamp,
  ...(r ? {} : { generation: nat }),
}).map((optional) => ({ ...required, ...optional })));

const exec = fc.record({ command: fc.array(text, { minLength: 1, maxLength: 3 }) });
const handler = fc.oneof(
  exec.map((e) => ({ exec: e })),
  fc.record({ port: fc.oneof(port, label.filter((l) => l.length <= 15)) }).chain((g) => partial({ path: text }).map((p) => ({ httpGet: { ...g, ...p } }))),
  fc.record({ port }).chain((t) => partial({ host: text.filter((s) => s.length > 0) }).map((h) => ({ tcpSocket: { ...t, ...h } }))),
);
/** A probe; `successes` false for liveness and startup probes (their success threshold is always 1). */
const probe = (r: Restrict, successes = false) => fc.record({
  handler, initialDelaySeconds: nat,
  timeoutSeconds: r ? fc.constant(1) : fc.integer({ min: 1, max: 100 }),
  periodSeconds: r ? fc.constant(10) : fc.integer({ min: 1, max: 100 }),
  successThreshold: r || !successes ? fc.constant(1) : fc.integer({ min: 1, max: 10 }),
  failureThreshold: r ? fc.constant(3) : fc.integer({ min: 1, max: 10 }),
}).map(({ handler: h, ...rest }) => ({ ...h, ...rest }));

/** requests ≤ limits: of two amounts, the smaller is the request. */
const resources = (r: Restrict) => r
  ? partial({ cpu: quantity, memory: quantity }).filter((l) => Object.keys(l).length > 0).map((limits) => ({ limits }))
  : partial({ requests: partial({ cpu: quantity, memory: quantity }), limits: partial({ cpu: quantity, memory: quantity }) }).map((res) => {
    for (const k of ["cpu", "memory"] as const) {
      const [req, lim] = [res.requests?.[k], res.limits?.[k]];
      if (req !== undefined && lim !== undefined && res.requests && res.limits) res.requests[k] = lim;
    }
    return res;
  });

const container = (r: Restrict) => fc.record({ name: label, image: text.filter((s) => s.length > 0) }).chain((required) => partial({
  command: fc.array(text, { maxLength: 3 }),
  args: fc.array(text, { maxLength: 3 }),
  env: fc.array(fc.record({ name: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/) }).chain((e) => partial({ value: text }).map((v) => ({ ...e, ...v }))), { maxLength: 3 }),
  ports: fc.array(fc.record({ containerPort: port, protocol: fc.constantFrom("TCP" as const, "UDP" as const) })
    .chain((p) => partial({ hostPort: port, name: label.filter((l) => l.length <= 15) }).map((o) => ({ ...p, ...o }))), { maxLength: 2 }),
  resources: resources(r),
  livenessProbe: probe(r),
  lifecycle: partial({ postStart: exec.map((e) => ({ exec: e })), preStop: exec.map((e) => ({ exec: e })) }),
  terminationMessagePath: text.map((t) => `/${t}`),
  ...(r ? {} : { readinessProbe: probe(r, true), terminationMessagePolicy: fc.constantFrom("File" as const, "FallbackToLogsOnError" as const) }),
}).map((optional) => ({ ...required, ...optional })));

const podSpec = (r: Restrict) => fc.record({
  containers: fc.uniqueArray(container(r), { minLength: 1, maxLength: 3, selector: (c) => c.name }),
  restartPolicy: fc.constantFrom("Always" as const, "OnFailure" as const, "Never" as const),
  terminationGracePeriodSeconds: r ? fc.constant(30) : nat,
}).chain((required) => partial({ nodeSelector: map, nodeName: label }).map((optional) => ({ ...required, ...optional })));

const containerState = fc.oneof(
  fc.constant({}),
  partial({ reason: text, message: text }).map((waiting) => ({ waiting })),
  partial({ startedAt: timestamp }).map((running) => ({ running })),
  fc.record({ exitCode: fc.integer({ min: -1, max: 255 }) })
    .chain((t) => partial({ signal: nat, reason: text, message: text, startedAt: timestamp, finishedAt: timestamp }).map((o) => ({ terminated: { ...t, ...o } }))),
);

const podStatus = (r: Restrict, names: string[]) => fc.record({
  phase: fc.constantFrom("Pending" as const, "Running" as const, "Succeeded" as const, "Failed" as const, "Unknown" as const),
}).chain((required) => partial({
  hostIP: text, podIP: text, message: text,
  containerStatuses: fc.subarray(names).chain((subset) => fc.tuple(...subset.map((name) =>
    fc.record({ name: fc.constant(name), state: containerState, ready: fc.boolean(), restartCount: nat, image: text })
      .chain((s) => partial({ lastState: containerState }).map((o) => ({ ...s, ...o })))))),
  ...(r ? {} : {
    reason: text, startTime: timestamp,
    conditions: fc.array(fc.record({ type: fc.constantFrom("PodScheduled", "Ready"), status: fc.constantFrom("True" as const, "False" as const, "Unknown" as const) })
      .chain((c) => partial({ reason: text, message: text, lastTransitionTime: timestamp }).map((o) => ({ ...c, ...o }))), { maxLength: 2 }),
  }),
}).map((optional) => ({ ...required, ...optional })));

const pod = (r: Restrict) => fc.tuple(metadata(r), podSpec(r)).chain(([meta, spec]) =>
  podStatus(r, spec.containers.map((c) => c.name)).map((status) => ({ kind: "Pod" as const, metadata: meta, spec, status })));

const templateSpec = (r: Restrict, labels: Arbitrary<Record<string, string>> = map) =>
  fc.record({ metadata: fc.record({ labels }).chain((l) => partial({ annotations }).map((a) => ({ ...l, ...a }))), spec: podSpec(r) });

const podTemplate = (r: Restrict) => fc.record({ kind: fc.constant("PodTemplate" as const), metadata: metadata(r), template: templateSpec(r) });

const replicationController = (r: Restrict) => {
  const labels = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), labelValue, { minKeys: 1, maxKeys: 3 });
  const withTemplate = templateSpec(r, labels).chain((template) =>
    fc.subarray(Object.keys(template.metadata.labels), { minLength: 1 })
      .map((keys) => ({ template, selector: Object.fromEntries(keys.map((k) => [k, template.metadata.labels[k] ?? ""])) })));
  const source = r ? withTemplate : fc.oneof(withTemplate, fc.record({ templateRef: fc.record({ name: label }), selector: labels }));
  return fc.record({
    metadata: metadata(r), source, replicas: nat,
    status: fc.record({ replicas: nat }).chain((s) => (r ? fc.constant(s) : partial({ readyReplicas: nat, observedGeneration: nat }).map((o) => ({ ...s, ...o })))),
  }).map(({ metadata: meta, source: src, replicas, status }) => ({ kind: "ReplicationController" as const, metadata: meta, spec: { replicas, ...src }, status }));
};

const node = (r: Restrict) => {
  const nodeResources = partial({ cpu: quantity, memory: quantity, pods: quantity });
  const condition = fc.record({ type: fc.constant("Ready" as const), status: fc.constantFrom("True" as const, "False" as const, "Unknown" as const) })
    .chain((c) => partial({ reason: text, message: text, lastHeartbeatTime: timestamp, lastTransitionTime: timestamp }).map((o) => ({ ...c, ...o })));
  return fc.record({
    kind: fc.constant("Node" as const),
    metadata: metadata(r, false),
    spec: partial({ unschedulable: fc.boolean(), podCIDR: text }),
    status: partial({
      capacity: nodeResources,
      addresses: fc.array(fc.record({ type: fc.constantFrom("InternalIP" as const, "Hostname" as const, "ExternalIP" as const), address: text.filter((s) => s.length > 0) }), { maxLength: 3 }),
      conditions: fc.array(condition, { maxLength: 2 }),
      nodeInfo: partial({ machineID: text, kernelVersion: text, osImage: text, architecture: text }),
      ...(r ? {} : { allocatable: nodeResources }),
    }),
  });
};

const namespace = (r: Restrict) => fc.record({
  kind: fc.constant("Namespace" as const),
  metadata: metadata(r, false),
  spec: r ? fc.constant({}) : partial({ finalizers: fc.array(text, { maxLength: 2 }) }),
  status: fc.record({ phase: fc.constantFrom("Active" as const, "Terminating" as const) }),
});

const quotaList = partial({ pods: quantity, "requests.cpu": quantity, "requests.memory": quantity });
const resourceQuota = (r: Restrict) => fc.record({
  kind: fc.constant("ResourceQuota" as const),
  metadata: metadata(r),
  spec: fc.record({ hard: quotaList }),
  status: fc.record({ hard: quotaList, used: quotaList }),
});

const event = () => fc.record({
  kind: fc.constant("Event" as const),
  metadata: fc.record({ name: fc.tuple(label, fc.stringMatching(/^[0-9a-f]{16}$/)).map(([n, h]) => `${n}.${h}`), namespace: label, uid: text, creationTimestamp: timestamp }),
  involvedObject: fc.record({
    kind: fc.constantFrom("Pod", "Node", "ReplicationController"), name: label, uid: text, apiVersion: fc.constant("v1"),
  }).chain((o) => partial({ namespace: label, resourceVersion: nat.map(String), fieldPath: fc.constant("spec.containers{web}") }).map((more) => ({ ...o, ...more }))),
  reason: text, message: text,
  source: fc.record({ component: text }).chain((s) => partial({ host: label }).map((h) => ({ ...s, ...h }))),
  firstTimestamp: timestamp, lastTimestamp: timestamp, count: fc.integer({ min: 1, max: 1000 }), type: fc.constantFrom("Normal" as const, "Warning" as const),
  reportingComponent: text, reportingInstance: text,
});

/** The kinds of 2014, served in both versions (the later ones are v1-only and render their manifest unchanged). */
const KINDS: Partial<Record<Resource, { arbitrary: (r: Restrict) => Arbitrary<object>; schema: { parse(x: unknown): unknown } }>> = {
  pods: { arbitrary: pod, schema: Pod },
  podtemplates: { arbitrary: podTemplate, schema: PodTemplate },
  replicationcontrollers: { arbitrary: replicationController, schema: ReplicationController },
  nodes: { arbitrary: node, schema: Node },
  namespaces: { arbitrary: namespace, schema: Namespace },
  resourcequotas: { arbitrary: resourceQuota, schema: ResourceQuota },
  events: { arbitrary: event, schema: Event },
};

/** Plain JSON objects (fast-check builds records without a prototype). */
const wire = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

describe.each(RESOURCES.filter((r) => KINDS[r]))("%s round trip", (resource) => {
  const { arbitrary, schema } = KINDS[resource] as NonNullable<(typeof KINDS)[Resource]>;
  const codec = codecFor(resource) as AnyKindCodec;

  it.each(["v1", "v1beta1"] as ApiVersion[])("fromExternal(%s, render(object)) equals the object", (version) => {
    fc.assert(
      fc.property(arbitrary(version === "v1beta1").map(wire), (object) => {
        expect(schema.parse(object)).toStrictEqual(object); // the arbitrary makes valid, canonical internal objects
        const back = codec.fromExternal(version, wire(codec.render(version, object)));
        expect(back).toStrictEqual(object);
      }),
      { numRuns: 100 },
    );
  });
});

describe("a client that reads an object and sends it back unchanged", () => {
  /** The system-set fields a client leaves out (v1beta1 keeps them at the top level). */
  const SYSTEM = ["uid", "creationTimestamp", "resourceVersion", "deletionTimestamp", "generation", "currentState", "status"];
  const strip = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

  it.each([
    ["pods", pod, "spec"], ["podtemplates", podTemplate, "template"], ["replicationcontrollers", replicationController, "spec"],
  ] as const)("%s: gets back the same spec in both versions", (resource, arbitrary, specKey) => {
    const codec = codecFor(resource) as AnyKindCodec;
    for (const version of ["v1", "v1beta1"] as const) {
      fc.assert(fc.property((arbitrary(version === "v1beta1") as Arbitrary<Record<string, unknown> & { metadata: { name: string; namespace?: string } }>).map(wire), (object) => {
        const rendered = codec.render(version, object);
        const body = version === "v1" ? { ...strip(rendered, ["status"]), metadata: strip(rendered.metadata as Record<string, unknown>, SYSTEM) } : strip(rendered, SYSTEM);
        const target = { namespace: object.metadata.namespace ?? "default", name: object.metadata.name };
        const manifest = codec.parseManifest(version, JSON.parse(JSON.stringify(body)), target) as Record<string, unknown>;
        expect(manifest[specKey]).toStrictEqual(object[specKey]);
      }), { numRuns: 40 });
    }
  });
});
