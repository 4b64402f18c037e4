/** The address of a part's Prometheus endpoint (`--metrics-bind-address`), read before anything starts. Pure. */
import { isIP } from "node:net";

/** The flag's name, as errors name it. */
export const METRICS_FLAG = "--metrics-bind-address";

/**
 * `127.0.0.1:9100` or `[::1]:9100` → host and port (0: a free one); `:9100`, as controller-runtime takes it, is every
 * interface (0.0.0.0). An Error naming the flag otherwise. Pure.
 */
export function metricsAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+))?:(\d{1,5})$/.exec(text);
  const host = m ? (m[1] ?? m[2] ?? "0.0.0.0") : "";
  const port = Number(m?.[3]);
  if (!m || isIP(host) === 0 || port > 65535) throw new Error(`${METRICS_FLAG}: "${text}" must be host:port with an IP address as host (port 0: a free one)`);
  return { host, port };
}
