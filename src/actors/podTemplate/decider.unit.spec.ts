import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import { PodTemplate } from "../../api/podTemplate.js";
import { podTemplateDecider as templates } from "./decider.js";

const m = meta({ namespace: "default", name: "web", uid: "u-pt", time: "2026-11-26T03:40:00Z" });
const cmd = commandOf(templates, m);
const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }], restartPolicy: "Always" as const, terminationGracePeriodSeconds: 30 } };
const created: PodTemplate = {
  kind: "PodTemplate",
  metadata: { name: "web", namespace: "default", uid: "u-pt", creationTimestamp: "2026-11-26T03:40:00Z" },
  template,
};
const history = [{ type: "PodTemplateCreated", data: { object: created } }];

describe("pod template decider", () => {
  it("creates a template, and refuses to create it twice", () => {
    given(templates).when(cmd("CreatePodTemplate", { metadata: { name: "web" }, template })).then(history);
    given(templates, history).when(cmd("CreatePodTemplate", { metadata: { name: "web" }, template })).thenThrows("AlreadyExists");
  });

  it("updates template and labels whole, recording nothing when nothing changed", () => {
    const changed = { ...template, spec: { ...template.spec, containers: [{ name: "app", image: "nginx:2" }] } };
    const events = given(templates, history).when(cmd("UpdatePodTemplate", { metadata: { name: "web", labels: { v: "2" } }, template: changed }))
      .then([{ type: "PodTemplateUpdated", data: { template: changed, labels: { v: "2" } } }]);
    const after = given(templates, [...history, ...events]).state.object as PodTemplate;
    expect(after.template).toEqual(changed);
    expect(() => PodTemplate.parse(after)).not.toThrow();
    expect(after.metadata).toMatchObject({ labels: { v: "2" }, uid: "u-pt" });
    given(templates, history).when(cmd("UpdatePodTemplate", { metadata: { name: "web" }, template })).thenNothingHappened();
    given(templates).when(cmd("UpdatePodTemplate", { metadata: { name: "web" }, template })).thenThrows("NotFound");
  });

  it("deletes a template and refuses to delete a missing one", () => {
    const deleted = [...history, ...given(templates, history).when(cmd("DeletePodTemplate", {})).then([{ type: "PodTemplateDeleted", data: {} }])];
    expect(templates.render(given(templates, deleted).state)).toBeNull();
    given(templates).when(cmd("DeletePodTemplate", {})).thenThrows("NotFound", /podtemplates "web" not found/);
  });
});
