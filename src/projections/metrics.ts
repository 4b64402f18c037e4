/**
 * Prometheus metrics of an API process: projection lag and progress, objects by kind, pods by phase, reads by
 * verb and outcome, open watches. One registry per API instance, so several can live in one process (tests).
 */
import { Counter, Gauge, Registry } from "prom-client";
import { withProcessMetrics } from "../processMetrics.js";
import type { ProjectionRunner } from "./runner.js";

/** The metrics of one API instance. */
export interface ApiMetrics {
  registry: Registry;
  reads: Counter<"verb" | "outcome">;
  watches: Gauge;
}

/** Creates the registry; gauges read the runner when scraped. `defaults` adds the process metrics. */
export function createApiMetrics(runner: ProjectionRunner, opts: { defaults?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  const reads = new Counter({
    name: "coxswain_api_read_requests_total", help: "Read requests by verb (get, list, watch) and outcome (ok or the Status reason)",
    labelNames: ["verb", "outcome"] as const, registers: [registry],
  });
  const watches = new Gauge({ name: "coxswain_api_watches", help: "Open watches (NATS and HTTP)", registers: [registry] });
  new Gauge({
    name: "coxswain_projection_lag_events", help: "Events in COX_EVENTS not yet applied to the read model (the stream's last sequence less the model's)", registers: [registry],
    async collect() { this.set(await runner.streamLag()); },
  });
  new Gauge({
    name: "coxswain_projection_sequence", help: "Stream sequence the read model has applied", registers: [registry],
    collect() { this.set(runner.model.sequence); },
  });
  new Gauge({
    name: "coxswain_projection_events_applied", help: "Events applied since this process started", registers: [registry],
    collect() { this.set(runner.stats.eventsApplied); },
  });
  new Gauge({
    name: "coxswain_projection_checkpoints_written", help: "Checkpoints written since this process started", registers: [registry],
    collect() { this.set(runner.stats.checkpointsWritten); },
  });
  new Gauge({
    name: "coxswain_objects", help: "Objects in the read model by kind", labelNames: ["kind"] as const, registers: [registry],
    collect() {
      this.reset();
      for (const [kind, n] of runner.model.counts()) this.set({ kind }, n);
    },
  });
  new Gauge({
    name: "coxswain_pods", help: "Pods by status.phase", labelNames: ["phase"] as const, registers: [registry],
    collect() {
      this.reset();
      for (const [phase, n] of runner.model.countBy("pods", "status.phase")) this.set({ phase: phase || "Unknown" }, n);
    },
  });
  return { registry: opts.defaults ? withProcessMetrics(registry) : registry, reads, watches };
}
