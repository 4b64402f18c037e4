/**
 * What a node checks of a container's volume mounts before it starts it. A simulated node runs no process, so it
 * mounts nothing, but it waits for a ConfigMap or Secret a mounted volume needs (or a key its `items` name), as a
 * kubelet does, in the kubelet's words. A process node runs the container's command on the host, where no volume
 * can appear at its `mountPath`: it refuses to start a container that mounts one, and says so. Pure.
 */
import type { Volume, VolumeMount } from "../api/volumes.js";
import type { SourceLookup } from "./inCluster.js";

type Source = { resource: "configmaps" | "secrets"; word: string; name: string; optional: boolean; keys: string[] };
type Keyed = { name: string; items?: readonly { key: string }[] | undefined; optional?: boolean | undefined };
const configMap = (s: Keyed): Source => ({ resource: "configmaps", word: "configmap", name: s.name, optional: s.optional === true, keys: (s.items ?? []).map((i) => i.key) });
const secret = (s: Keyed): Source => ({ resource: "secrets", word: "secret", name: s.name, optional: s.optional === true, keys: (s.items ?? []).map((i) => i.key) });

/**
 * The ConfigMaps and Secrets a volume's files come from (a projected volume's among its sources). Pure. A
 * `persistentVolumeClaim` volume has none: a simulated node mounts nothing and waits for nothing of it, and a process
 * node treats it as an empty directory would be treated (refused once mounted: `processMountProblem`; unmounted, it
 * is nothing to the container).
 */
function sourcesOf(v: Volume): Source[] {
  if (v.configMap) return [configMap(v.configMap)];
  if (v.secret) return [secret({ ...v.secret, name: v.secret.secretName })];
  return (v.projected?.sources ?? []).flatMap((s) => (s.configMap ? [configMap(s.configMap)] : s.secret ? [secret(s.secret)] : []));
}

/** Why a simulated node cannot set up the container's mounts yet (a missing ConfigMap, Secret or key), or null. Pure. */
export function mountProblem(volumes: readonly Volume[] | undefined, mounts: readonly VolumeMount[] | undefined, lookup: SourceLookup): string | null {
  for (const m of mounts ?? []) {
    const volume = volumes?.find((v) => v.name === m.name);
    for (const source of volume ? sourcesOf(volume) : []) {
      if (source.optional) continue;
      const found = lookup(source.name, source.resource);
      if (!found) return `MountVolume.SetUp failed for volume "${m.name}" : ${source.word} "${source.name}" not found`;
      const missing = source.keys.find((k) => found.data?.[k] === undefined && found.binaryData?.[k] === undefined);
      if (missing === undefined) continue;
      return `MountVolume.SetUp failed for volume "${m.name}" : ${source.word === "secret" ? "references non-existent secret key" : "configmap references non-existent config key"}: ${missing}`;
    }
  }
  return null;
}

/** Why a process node will not start a container that mounts volumes, or null when it mounts none. Pure. */
export function processMountProblem(mounts: readonly VolumeMount[] | undefined): string | null {
  const first = mounts?.[0];
  return first ? `the process runtime mounts no volumes: volume "${first.name}" at ${first.mountPath} cannot be there (run the pod on a simulated node, or take its values as variables)` : null;
}
