/**
 * The cluster's two address ranges as flags give them (`--cluster-cidr` for pods, `--service-cluster-ip-range` for
 * services): each must be a CIDR block inside loopback's 127.0.0.0/8, where every address reaches this host with no
 * configuration, and the two may not overlap. Pure.
 */
import { cidrContains, cidrSize, formatCidr, numberToIp, parseCidr, type Cidr } from "./cidr.js";

/** The default pod range: 10.244.0.0/16's echo on loopback. */
export const DEFAULT_CLUSTER_CIDR = "127.244.0.0/16";
/** The default service range: 10.96.0.0/12's echo on loopback. */
export const DEFAULT_SERVICE_CIDR = "127.96.0.0/12";

const LOOPBACK = parseCidr("127.0.0.0/8");

/** `text` as a block inside 127.0.0.0/8 of at least `minPrefix` bits, or an error naming `flag`. Pure. */
export function loopbackRange(flag: string, text: string, maxPrefix: number): Cidr {
  let block: Cidr;
  try {
    block = parseCidr(text);
  } catch {
    throw new Error(`--${flag}: "${text}" is not a CIDR block such as 127.244.0.0/16`);
  }
  const last = numberToIp(block.base + cidrSize(block) - 1);
  if (block.prefix < 8 || !cidrContains(LOOPBACK, numberToIp(block.base)) || !cidrContains(LOOPBACK, last)) {
    throw new Error(`--${flag}: ${text} must lie inside 127.0.0.0/8 (the loopback range pods and services get their addresses from)`);
  }
  if (block.prefix > maxPrefix) throw new Error(`--${flag}: ${text} is too small: give a /${maxPrefix} or larger`);
  return block;
}

/** The pod and service ranges from their flags, checked apart and against each other. Pure. */
export function clusterRanges(clusterCidr = DEFAULT_CLUSTER_CIDR, serviceCidr = DEFAULT_SERVICE_CIDR): { clusterCidr: string; serviceCidr: string } {
  const pods = loopbackRange("cluster-cidr", clusterCidr, 24);
  const services = loopbackRange("service-cluster-ip-range", serviceCidr, 30);
  const overlap = pods.base < services.base + cidrSize(services) && services.base < pods.base + cidrSize(pods);
  if (overlap) throw new Error(`--cluster-cidr ${formatCidr(pods)} and --service-cluster-ip-range ${formatCidr(services)} overlap: pods and services need apart ranges`);
  return { clusterCidr: formatCidr(pods), serviceCidr: formatCidr(services) };
}
