import { describe, expect, it } from "vitest";
import { podTemplate, rc } from "../../../test/harness/controllerObjects.js";
import { CREATED_BY_ANNOTATION, podManifest, resolveTemplate } from "./template.js";

describe("the template of new pods", () => {
  it("is spec.template when inline", () => {
    const web = rc("web");
    expect(resolveTemplate(web, "default", () => undefined)).toBe(web.spec.template);
  });

  it("is the PodTemplate named by templateRef, in the same namespace", () => {
    const web = rc("web", { templateRef: "web-t" });
    const t = podTemplate("web-t", { app: "web" });
    const lookup = (ns: string, name: string) => (ns === "default" && name === "web-t" ? t : undefined);
    expect(resolveTemplate(web, "default", lookup)).toBe(t.template);
    expect(resolveTemplate(web, "other", lookup)).toMatch(/pod template "web-t" not found/);
  });

  it("is refused when its labels miss the selector", () => {
    const web = rc("web", { templateRef: "t" });
    expect(resolveTemplate(web, "default", () => podTemplate("t", { app: "db" }))).toMatch(/do not match the selector/);
  });

  it("becomes a v1 CreatePod manifest with the template's labels and a created-by annotation", () => {
    const web = rc("web");
    const template = web.spec.template!;
    const m = podManifest(web, "default", template, "web-abcde");
    expect(m.metadata).toEqual({
      name: "web-abcde", namespace: "default", labels: { app: "web" },
      annotations: { [CREATED_BY_ANNOTATION]: "replicationcontrollers/default/web" },
    });
    expect(m.spec).toBe(template.spec);
  });
});
