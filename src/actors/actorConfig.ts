/**
 * The tunables of the actors' kinds: their deciders' (timings are recorded in the events they produce, so replays do
 * not depend on them) and their admissions'.
 */

/** Tunables of the kinds. */
export interface ActorConfig {
  /** CrashLoopBackOff: first delay, cap, and how long a container must run before the delay resets. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  backoffResetMs: number;
  /** The service range ClusterIP services take their address from (`--service-cluster-ip-range`); default 127.96.0.0/12. */
  serviceCidr?: string;
}

/** The kubelet's numbers: 10 s doubling to 5 min, reset after 10 min of running. */
export const DEFAULT_ACTOR_CONFIG: ActorConfig = { backoffInitialMs: 10_000, backoffMaxMs: 300_000, backoffResetMs: 600_000 };
