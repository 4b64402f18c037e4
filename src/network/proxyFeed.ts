/**
 * The service proxy fed from the read model: every change to a Service or an Endpoints object re-computes the whole
 * table (`proxyTable`) and hands it to the proxy, coalescing bursts and never running two updates at once, so an
 * endpoint that turns ready or goes away is in or out of rotation as soon as the view applies its event. A port the
 * proxy cannot listen on (another process of this host holds it, or it is privileged) is tried again every
 * `retryMs` until it binds.
 */
import type { Logger } from "pino";
import type { EndpointSubset, ServiceSpec } from "../api/service.js";
import type { ClusterView } from "../projections/clusterView.js";
import { proxyTable } from "./proxyTable.js";
import { ServiceProxy, type ProxiedPort } from "./serviceProxy.js";

/** A running proxy that follows the view. */
export interface ProxyFeed {
  readonly proxy: ServiceProxy;
  /** Calls `listener` with each table once the proxy serves it; returns the unsubscribe function. */
  onApplied(listener: (table: readonly ProxiedPort[]) => void): () => void;
  /** Stops following and closes every listener. */
  stop(): Promise<void>;
}

/** Starts a proxy that serves what `view` says, from now until `stop`. Does I/O. */
export function followServices(view: ClusterView, opts: { logger: Logger; retryMs?: number }): ProxyFeed {
  const failing = new Set<string>();
  const proxy = new ServiceProxy((message, err) => {
    const key = message.split(" ").pop() ?? message;
    if (message.startsWith("cannot listen") && failing.has(key)) return;
    if (message.startsWith("cannot listen")) failing.add(key);
    opts.logger.warn({ err: String(err) }, message);
  });
  const listeners = new Set<(table: readonly ProxiedPort[]) => void>();
  let running: Promise<void> | undefined;
  let dirty = false;
  let stopped = false;

  const desired = () => proxyTable(
    view.list<{ spec: ServiceSpec }>("services").map((e) => ({ namespace: e.namespace, name: e.name, spec: e.object.spec })),
    (ns, name) => view.get<{ subsets?: EndpointSubset[] }>("endpoints", ns, name)?.object.subsets,
  );
  const apply = async () => {
    while (dirty && !stopped) {
      dirty = false;
      const table = desired();
      await proxy.update(table);
      const owed = new Set(table.filter((p) => p.backends.length > 0).map((p) => `${p.clusterIP}:${p.port}`));
      for (const key of proxy.serving()) owed.delete(key);
      for (const key of failing) if (!owed.has(key)) failing.delete(key);
      for (const l of listeners) l(table);
    }
    running = undefined;
  };
  const kick = () => {
    dirty = true;
    running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(apply);
  };
  const off = view.onChange((c) => { if (c.resource === "services" || c.resource === "endpoints") kick(); });
  const retry = setInterval(() => { if (failing.size > 0) kick(); }, opts.retryMs ?? 2000);
  retry.unref();
  kick();
  return {
    proxy,
    onApplied(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      off();
      clearInterval(retry);
      await running;
      await proxy.close();
    },
  };
}
