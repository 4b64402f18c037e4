import { describe, expect, it } from "vitest";
import { causesFromZod } from "./status.js";
import { StatefulSetSpec } from "./statefulSet.js";

const claimSpec = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } };
const spec = (templates: unknown[], mounts = [{ name: "data", mountPath: "/data" }], volumes?: unknown[]) => ({
  replicas: 2, selector: { matchLabels: { app: "db" } },
  template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "c", image: "db", volumeMounts: mounts }], ...(volumes ? { volumes } : {}) } },
  volumeClaimTemplates: templates,
});
/** The refusals of `input`, as the apiserver words them (`field: message`). */
const refusals = (input: unknown) => {
  const parsed = StatefulSetSpec.safeParse(input);
  return parsed.success ? [] : causesFromZod(parsed.error, "spec").map((c) => `${c.field}: ${c.message}`);
};

describe("a StatefulSet's volumeClaimTemplates", () => {
  it("are taken, and the containers' mounts may name them as they name the pod's volumes", () => {
    const parsed = StatefulSetSpec.parse(spec([{ metadata: { name: "data", labels: { tier: "db" } }, spec: { ...claimSpec, storageClassName: "fast" } }]));
    expect(parsed.volumeClaimTemplates).toEqual([{ metadata: { name: "data", labels: { tier: "db" } }, spec: { ...claimSpec, storageClassName: "fast" } }]);
    expect(parsed.template.spec).not.toHaveProperty("volumes"); // the template is kept as written
  });

  it("still refuse a mount that names neither a volume nor a claim template", () => {
    expect(refusals(spec([{ metadata: { name: "data" }, spec: claimSpec }], [{ name: "data", mountPath: "/data" }, { name: "logs", mountPath: "/logs" }])))
      .toEqual(['spec.template.spec.containers[0].volumeMounts[1].name: Not found: "logs"']);
    expect(refusals(spec([]))).toEqual(['spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"']);
  });

  it("each need at least one access mode and a storage request, in the apiserver's words", () => {
    expect(refusals(spec([{ metadata: { name: "data" }, spec: { accessModes: [], resources: { requests: { storage: "1Gi" } } } }])))
      .toContain("spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required");
    expect(refusals(spec([{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"] } }])).join("\n"))
      .toMatch(/^spec\.volumeClaimTemplates\[0\]\.spec\.resources.*storage.*: Required value$/m);
  });

  it("each have a name that is a DNS label, unique among them", () => {
    expect(refusals(spec([{ metadata: { name: "data" }, spec: claimSpec }, { metadata: { name: "data" }, spec: claimSpec }])))
      .toEqual(['spec.volumeClaimTemplates[1].metadata.name: Duplicate value: "data"']);
    expect(refusals(spec([{ metadata: { name: "Data_1" }, spec: claimSpec }], [])).join("\n")).toMatch(/^spec\.volumeClaimTemplates\[0\]\.metadata\.name: Invalid value: "Data_1": a lowercase RFC 1123 label/);
  });

  it("take a retention policy of Retain or Delete", () => {
    const ok = { ...spec([{ metadata: { name: "data" }, spec: claimSpec }]), persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" } };
    expect(refusals(ok)).toEqual([]);
    const refused = refusals({ ...ok, persistentVolumeClaimRetentionPolicy: { whenScaled: "Keep" } });
    expect(refused).toHaveLength(1); // only the policy: the mount of the claim template stays found
    expect(refused[0]).toMatch(/^spec\.persistentVolumeClaimRetentionPolicy\.whenScaled: .*"Retain".*"Delete"/);
  });
});
