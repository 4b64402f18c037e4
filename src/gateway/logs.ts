/**
 * GET …/pods/{name}/log: `kubectl logs` (container, follow, tailLines, sinceSeconds, previous, timestamps) served as
 * text from the log stream by the reader coxctl uses too (src/projections/podLogs). A follow ends when the client
 * goes or the gateway stops.
 */
import type { Pod } from "../api/pod.js";
import { openPodLog, parsePodLogQuery, type PodLogSource } from "../projections/podLogs/index.js";
import { readTarget, type ReadService } from "../projections/readService.js";
import type { SubresourceReader } from "./gateway.js";

/** The `pods/log` reader of a gateway. */
export function podLogReader(source: PodLogSource, service: ReadService, stopped?: AbortSignal): SubresourceReader {
  return async (route, q, req, res) => {
    const target = readTarget("pods", route.namespace, "get");
    const pod = (await service.get(target, { name: route.name ?? "" })) as unknown as Pod;
    const done = new AbortController();
    const abort = () => done.abort();
    req.socket.once("close", abort);
    stopped?.addEventListener("abort", abort);
    try {
      const reader = await openPodLog(source, pod, parsePodLogQuery(q), { signal: done.signal });
      res.writeHead(200, { "content-type": "text/plain", "transfer-encoding": "chunked", "cache-control": "no-cache" });
      res.flushHeaders();
      for await (const chunk of reader) {
        if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
      }
      res.end();
    } finally {
      req.socket.off("close", abort);
      stopped?.removeEventListener("abort", abort);
    }
  };
}
