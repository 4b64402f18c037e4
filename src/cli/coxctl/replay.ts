/** `coxctl replay FILE.jsonl`: the read model rebuilt from an exported log, without a server, printed kind by kind. */
import { stringify } from "yaml";
import { RESOURCE_INFO, RESOURCES } from "../../api/kinds.js";
import { replay as replayLog } from "../../projections/replay.js";
import { outputFormatOf, renderObjects } from "./output.js";

/** Runs `replay`: tables (namespaced kinds with a NAMESPACE column) by default, the whole result with `-o json|yaml`. */
export async function replay(file: string, flags: { output?: string }): Promise<void> {
  const format = outputFormatOf(flags.output);
  const result = await replayLog(file);
  if (format === "json") return void process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (format === "yaml") return void process.stdout.write(stringify(result));
  const now = new Date();
  const sections: string[] = [];
  for (const resource of RESOURCES) {
    const items = result.items[resource];
    if (!items || items.length === 0) continue;
    const body = renderObjects(resource, items, { format, withNamespace: !RESOURCE_INFO[resource].clusterScoped, now });
    sections.push(format === "name" ? body : `${resource}:\n${body}`);
  }
  process.stdout.write(`${sections.join(format === "name" ? "" : "\n")}`);
  process.stderr.write(`read model at resourceVersion ${result.resourceVersion}\n`);
  if (result.sealed) process.stderr.write(`${result.sealed} events of Secrets are sealed (encrypted) and were left out: coxctl holds no key to open them\n`);
}
