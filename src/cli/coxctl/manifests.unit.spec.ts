import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readManifests, splitDocuments, toManifestObject } from "./manifests.js";

const POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n";
const NS = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n";

describe("manifests", () => {
  const dir = mkdtempSync(join(tmpdir(), "coxctl-manifests-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("splits YAML documents, skipping empty ones, and expands a List", () => {
    const docs = splitDocuments(`---\n${NS}---\n# nothing\n---\n${POD}`, "a.yaml");
    expect(docs.map((d) => (d.body as { kind: string }).kind)).toEqual(["Namespace", "Pod"]);
    const list = splitDocuments("kind: List\napiVersion: v1\nitems:\n- kind: Namespace\n  metadata: {name: a}\n- kind: Namespace\n  metadata: {name: b}\n", "l.yaml");
    expect(list).toHaveLength(2);
  });

  it("reads JSON objects and arrays", () => {
    expect(splitDocuments('{"kind":"Namespace","metadata":{"name":"x"}}', "x.json")).toHaveLength(1);
    expect(splitDocuments('[{"kind":"Namespace"},{"kind":"Pod"}]', "x.json")).toHaveLength(2);
    expect(() => splitDocuments("{ nope", "x.json")).toThrow(/error parsing x.json/);
  });

  it("reads a folder's manifests in name order and ignores other files", () => {
    writeFileSync(join(dir, "2-pod.yml"), POD);
    writeFileSync(join(dir, "1-ns.json"), JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "demo" } }));
    writeFileSync(join(dir, "notes.txt"), "not a manifest");
    expect(readManifests([dir]).map((d) => (d.body as { kind: string }).kind)).toEqual(["Namespace", "Pod"]);
    expect(readManifests(["-"], () => POD)[0]?.source).toBe("<stdin>");
  });

  it("resolves a document to its entity: namespace from the document, else -n; cluster-scoped kinds use _", () => {
    const [pod, ns] = [splitDocuments(POD, "p")[0]!, splitDocuments(NS, "n")[0]!];
    expect(toManifestObject(pod, "team", true).ref).toEqual({ resource: "pods", namespace: "team", name: "web" });
    expect(toManifestObject(ns, "team", true).ref).toEqual({ resource: "namespaces", namespace: "_", name: "demo" });
    const elsewhere = splitDocuments(POD.replace("name: web", "name: web\n  namespace: prod"), "p")[0]!;
    expect(() => toManifestObject(elsewhere, "team", true)).toThrow(/does not match the namespace "team"/);
    const minion = splitDocuments("apiVersion: v1beta1\nkind: Minion\nid: node-1\n", "m")[0]!;
    expect(toManifestObject(minion, "default", false)).toMatchObject({ resource: "nodes", apiVersion: "v1beta1", ref: { name: "node-1" } });
    expect(() => toManifestObject(splitDocuments("kind: Widget\nmetadata: {name: s}\n", "s")[0]!, "default", false)).toThrow(/no kind "Widget"/);
  });

  it("names a bad object name or namespace before anything is sent", () => {
    const [bad] = splitDocuments(POD.replace("name: web\n", "name: Bad_Name\n"), "bad.yaml");
    expect(() => toManifestObject(bad!, "default", false)).toThrow(/metadata\.name: "Bad_Name" must be a DNS-1123 subdomain/);
    const [pod] = splitDocuments(POD, "pod.yaml");
    expect(() => toManifestObject(pod!, "Team_A", true)).toThrow(/metadata\.namespace: "Team_A" must be a DNS-1123 label/);
  });
});
