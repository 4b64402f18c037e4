/**
 * Figure 7, memory: the RSS of each part while the cluster holds N nodes and P pods (taken by the scale-up), and
 * the bytes per pod of the read model: the heap a fresh read model of the whole cluster takes after full GCs
 * (a child process with --expose-gc, folding the stream as the API does), divided by the pods.
 */
import { spawn } from "node:child_process";
import { ROOT } from "../test/harness/processes.js";
import { round } from "./parts.js";

/** The read-model heap of the cluster on `url`/`prefix`, per pod and in total. */
export async function readModelBytes(url: string, prefix: string) {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", `${ROOT}bench/readModelProbe.ts`, url, prefix], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const line = out.trim().split("\n").pop() ?? "";
  if (code !== 0 || !line.startsWith("{")) throw new Error(`read model probe failed (exit ${code}): ${out}`);
  const r = JSON.parse(line) as { heapDeltaBytes: number; documents: Record<string, number>; sequence: number; feedRetained: number };
  const pods = r.documents.pods ?? 0;
  return { ...r, heapDeltaMiB: round(r.heapDeltaBytes / 2 ** 20), bytesPerPod: pods ? Math.round(r.heapDeltaBytes / pods) : NaN };
}
