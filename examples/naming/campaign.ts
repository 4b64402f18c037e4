/**
 * The master-elected pattern's half of the example program: campaign for a Lease with examples/leader-election's
 * elector and keep the pod's `role=leader` label equal to whether it leads.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { LeaderElector } from "../leader-election/elector.js";
import { LeaseLock } from "../leader-election/leaseLock.js";
import { LeaderLabel } from "./leaderLabel.js";

/** Campaigns for the Lease until `stop` aborts, keeping the pod's `role=leader` label equal to leading. */
export async function campaign(leaseName: string, podName: string, log: (line: string) => void, stop: AbortSignal): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  const namespace = process.env.POD_NAMESPACE ?? "default";
  const label = new LeaderLabel(kc, { namespace, name: podName }, ["role", "leader"], log);
  await label.want(false); // a restarted container may still carry it
  const elector = new LeaderElector({
    lock: new LeaseLock(kc, namespace, leaseName), identity: podName,
    leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, releaseOnCancel: true, log,
    callbacks: {
      onStartedLeading: (signal) => { void label.want(true); signal.addEventListener("abort", () => void label.want(false)); },
      onStoppedLeading: () => void label.want(false),
      onNewLeader: (current) => log(`leader is ${current}`),
    },
  });
  while (!stop.aborted) await elector.run(stop); // a leader that lost its lease campaigns again
  await Promise.race([label.want(false), new Promise((r) => setTimeout(r, 3_000))]);
}

