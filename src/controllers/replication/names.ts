/**
 * Deterministic names and durable command ids of the replication manager. They depend only on the RC's uid, its
 * generation and an ordinal (or the victim pod), so a leader elected after a failover computes the same ones as its
 * predecessor: a create it repeats is recognised by the actor host as the same command, never a second pod.
 */
import { createHash } from "node:crypto";

/** The letters of generated suffixes, as Kubernetes' rand.String: no vowels (no words), no 0/1/3 (no look-alikes). */
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const SUFFIX_LENGTH = 5;
/** A DNS label has at most 63 characters; the suffix takes 6 of them with its dash. */
const MAX_BASE = 63 - SUFFIX_LENGTH - 1;

/** What identifies one generation of one replication controller. */
export interface RcIdentity {
  name: string;
  uid: string;
  generation: number;
  /** The first token of its command ids: `rc` (the default) or `rs`. */
  prefix?: string;
}

/** Five suffix characters derived from the RC's uid, its generation and `ordinal`. Pure. */
export function podSuffix(rc: RcIdentity, ordinal: number): string {
  const digest = createHash("sha256").update(`${rc.uid}/${rc.generation}/${ordinal}`).digest();
  let out = "";
  // 27 letters from a byte leaves a bias of under 2 %: irrelevant for names that only need to be distinct.
  for (let i = 0; i < SUFFIX_LENGTH; i++) out += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return out;
}

/** `<rc>-<suffix>`, the RC's name cut so that the whole stays a DNS label. Pure. */
export function podName(rc: RcIdentity, ordinal: number): string {
  const base = rc.name.slice(0, MAX_BASE).replace(/[-.]+$/, "");
  return `${base}-${podSuffix(rc, ordinal)}`;
}

/** The id of the CreatePod for `ordinal`: the same in every term, so a repeat is de-duplicated by the host. Pure. */
export function createPodCommandId(rc: RcIdentity, ordinal: number): string {
  return `${rc.prefix ?? "rc"}:${rc.uid}:g${rc.generation}:create:${ordinal}`;
}

/** The id of the DeletePod of the pod with `podUid`: deleting one pod instance is the same command in every term. Pure. */
export function deletePodCommandId(rc: RcIdentity, podUid: string): string {
  return `${rc.prefix ?? "rc"}:${rc.uid}:g${rc.generation}:delete:${podUid}`;
}

/**
 * The first `count` ordinals, from 0 up, that `taken` does not exclude (a pod of that name exists, or this term
 * already created it). `takenAtMost` bounds how many ordinals `taken` can exclude, so the search stops after
 * `count + takenAtMost` ordinals, where `count` free ones have been found (a fixed bound of 100,000 left an RC of
 * 100,000 replicas short for good once a few of its ordinals were spent on pods that had gone). Pure.
 */
export function freeOrdinals(count: number, taken: (ordinal: number) => boolean, takenAtMost: number): number[] {
  const out: number[] = [];
  const limit = count + takenAtMost;
  for (let ordinal = 0; out.length < count && ordinal < limit; ordinal++) {
    if (!taken(ordinal)) out.push(ordinal);
  }
  return out;
}
