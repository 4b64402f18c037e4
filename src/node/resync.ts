/**
 * The node agents' periodic whole-node plan, the safety net behind their informer-style planning: rare (the
 * kubelet's minute) and spread over its period, since a process may run thousands of agents.
 */

/** The kubelet's sync frequency (`--sync-frequency`, 1 min). */
export const DEFAULT_RESYNC_MS = 60_000;

/**
 * Every agent re-plans its whole node once per `periodMs`, a slice of the agents each second or so: 10,000 agents'
 * plans spread over the period rather than in one task. Returns the stop.
 */
export function staggeredResync(agents: readonly { resync(): void }[], periodMs: number): () => void {
  const slices = Math.max(1, Math.min(agents.length, Math.round(periodMs / 1000)));
  let next = 0;
  const timer = setInterval(() => {
    const slice = next++ % slices;
    for (let i = slice; i < agents.length; i += slices) agents[i]?.resync();
  }, periodMs / slices);
  timer.unref?.();
  return () => clearInterval(timer);
}
