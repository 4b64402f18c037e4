/**
 * The leader-election example program: what `docker.io/mayankshah1607/leaderelection` does on a real cluster, on
 * @kubernetes/client-node. Flags: --lease-name (required), --lease-namespace (default: the pod's namespace, else
 * "default"), --id (default: $POD_NAME). Loads the kubeconfig as client libraries do ($KUBECONFIG, in a Coxswain
 * pod the per-pod one), campaigns with client-go's timings (15 s / 10 s / 2 s), prints what it sees, and releases
 * the lease on SIGTERM/SIGINT.
 */
import { readFileSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import { LeaderElector } from "./elector.js";
import { LeaseLock } from "./leaseLock.js";

function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === `--${name}`) return args[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

function podNamespace(): string {
  try {
    return readFileSync("/var/run/secrets/kubernetes.io/serviceaccount/namespace", "utf8").trim();
  } catch {
    return process.env.POD_NAMESPACE ?? "default";
  }
}

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
const leaseName = flag("lease-name");
const identity = flag("id") ?? process.env.POD_NAME;
if (!leaseName || !identity) {
  console.error("usage: leaderelection --lease-name NAME [--lease-namespace NS] [--id ID] (or $POD_NAME)");
  process.exit(2);
}
const kc = new KubeConfig();
kc.loadFromDefault();
const lock = new LeaseLock(kc, flag("lease-namespace") ?? process.env.POD_NAMESPACE ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? podNamespace(), leaseName);
const stop = new AbortController();
for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => stop.abort());

const elector = new LeaderElector({
  lock, identity, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, releaseOnCancel: true, log,
  callbacks: {
    onStartedLeading(signal) {
      const work = setInterval(() => log("doing stuff..."), 5_000);
      signal.addEventListener("abort", () => clearInterval(work));
    },
    onStoppedLeading: () => log("no longer the leader, staying inactive."),
    onNewLeader: (current) => log(current === identity ? "still the leader!" : `new leader is ${current}`),
  },
});
await elector.run(stop.signal);
process.exit(0);
