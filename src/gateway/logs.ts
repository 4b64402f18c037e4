/**
 * GET …/pods/{name}/log: `kubectl logs` (container, follow, tailLines, sinceSeconds, previous, timestamps) served as
 * text from the log stream by the reader coxctl uses too (src/projections/podLogs). A follow ends when the container
 * stops, the client goes or the gateway stops.
 */
import { chooseContainer, openPodLog, parsePodLogQuery, whenContainerStops, type PodLogSource } from "../projections/podLogs/index.js";
import type { ReadService } from "../projections/readService.js";
import { podOf } from "./reads.js";
import type { SubresourceReader } from "./gateway.js";

/** The `pods/log` reader of a gateway. */
export function podLogReader(source: PodLogSource, service: ReadService, stopped?: AbortSignal): SubresourceReader {
  return async (route, q, req, res) => {
    const pod = await podOf(service, route);
    const done = new AbortController();
    const abort = () => done.abort();
    req.socket.once("close", abort);
    stopped?.addEventListener("abort", abort);
    const opts = parsePodLogQuery(q);
    // A follow ends when the container instance it reads stops, as against Kubernetes.
    const end = opts.follow && !opts.previous ? whenContainerStops(service.runner, pod, chooseContainer(pod, opts.container)) : null;
    try {
      const reader = await openPodLog(source, pod, opts, { signal: done.signal, ...(end ? { until: end.ended } : {}) });
      res.writeHead(200, { "content-type": "text/plain", "transfer-encoding": "chunked", "cache-control": "no-cache" });
      res.flushHeaders();
      for await (const chunk of reader) {
        if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
      }
      res.end();
    } finally {
      end?.cancel();
      req.socket.off("close", abort);
      stopped?.removeEventListener("abort", abort);
    }
  };
}
