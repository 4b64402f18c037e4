/**
 * The process's own Prometheus metrics (prom-client's defaults: CPU, memory, GC pauses by kind, event-loop delay),
 * collected once per process however many endpoints serve them (`coxswain up` serves them on the API's `/metrics`
 * and on `--metrics-bind-address`): each collection adds a GC observer and an event-loop histogram. Every endpoint
 * merges this registry with its own (`Registry.merge`). Like a second Prometheus scraping one endpoint, a scrape of
 * either endpoint starts the event-loop delay's window afresh for both.
 */
import { collectDefaultMetrics, Registry } from "prom-client";

let shared: Registry | undefined;

/** The registry of the process's own metrics, made on the first call. */
export function processMetrics(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}

/** `own` with the process's metrics beside it, as one registry to serve. */
export function withProcessMetrics(own: Registry): Registry {
  return Registry.merge([own, processMetrics()]);
}
