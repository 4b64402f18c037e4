/**
 * Discovery, generated from the kinds registry (never typed twice): `/version`, `/api` (APIVersions), `/apis`
 * (APIGroupList) and each group version's APIResourceList, which kubectl reads to learn resource names, short
 * names, verbs, scopes, categories (`kubectl get all`) and subresources (`pods/log`, `replicationcontrollers/scale`).
 * Pure.
 */
import { apiVersionOf, RESOURCE_INFO, RESOURCES, type KindInfo, type Resource } from "../api/kinds.js";
import { KUBERNETES_VERSION } from "../api/version.js";
import { SERVED_VERSIONS } from "../api/servedVersions.js";

export { KUBERNETES_VERSION };

/** `/version`: the server's version.Info. */
export function versionInfo(): Record<string, string> {
  return {
    ...KUBERNETES_VERSION, gitCommit: "", gitTreeState: "clean", buildDate: "2026-12-02T00:00:00Z",
    goVersion: `node${process.versions.node}`, compiler: "tsc", platform: `${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}`,
  };
}

/** The group versions that have kinds, core (`v1`) first, each with its resources. */
export function groupVersions(): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of RESOURCES) {
    const gv = apiVersionOf(RESOURCE_INFO[r]);
    out.set(gv, [...(out.get(gv) ?? []), r]);
  }
  return out;
}

/** The group versions served: each kind's own, then the older ones some kinds are also served at (`autoscaling/v1`). */
export function servedGroupVersions(): Map<string, Resource[]> {
  const out = groupVersions();
  for (const [gv, served] of Object.entries(SERVED_VERSIONS)) out.set(gv, [...(out.get(gv) ?? []), served.resource]);
  return out;
}

/** `/api`: the versions of the core group. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  const versions = [...groupVersions().keys()].filter((gv) => !gv.includes("/"));
  return { kind: "APIVersions", versions, serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

/** `/apis`: every named group with its versions (the core group is not listed here, as in Kubernetes). */
export function apiGroupList(): Record<string, unknown> {
  const groups = new Map<string, string[]>();
  for (const gv of servedGroupVersions().keys()) {
    const slash = gv.indexOf("/");
    if (slash < 0) continue;
    const group = gv.slice(0, slash);
    groups.set(group, [...(groups.get(group) ?? []), gv.slice(slash + 1)]);
  }
  return {
    kind: "APIGroupList", apiVersion: "v1",
    groups: [...groups].map(([name, versions]) => {
      const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

/** One group version's APIResourceList, or null when nothing is served there. */
export function apiResourceList(groupVersion: string): Record<string, unknown> | null {
  const resources = servedGroupVersions().get(groupVersion);
  if (!resources) return null;
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources: resources.flatMap((r) => resourceEntries(r, RESOURCE_INFO[r])) };
}

function resourceEntries(resource: Resource, info: KindInfo): Record<string, unknown>[] {
  const main = {
    name: resource, singularName: info.singular, namespaced: !info.clusterScoped, kind: info.kind, verbs: info.verbs,
    ...(info.shortNames.length > 0 ? { shortNames: info.shortNames } : {}),
    ...(info.categories.length > 0 ? { categories: info.categories } : {}),
  };
  const subs = info.subresources.map((s) => ({
    name: `${resource}/${s.name}`, singularName: "", namespaced: !info.clusterScoped, kind: s.kind, verbs: s.verbs,
    ...(s.group !== undefined ? { group: s.group, version: s.version } : {}),
  }));
  return [main, ...subs];
}
