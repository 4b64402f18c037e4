/**
 * Exclusive claims on names shared across entities (a service's clusterIP): a key taken by one holder at a time,
 * atomically across every actor host (a JetStream KV create is refused when the key exists). A claim repeated by
 * its holder is granted again, so a retried command claims what its first attempt claimed.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { CLAIM_BUCKET } from "../events/names.js";
import { KvBucket } from "../events/kvBucket.js";

/** The outcome of a claim. */
export type ClaimOutcome = "claimed" | "held" | "taken";

/** Claims by key. */
export interface ClaimStore {
  /** `claimed`: newly taken; `held`: already this holder's; `taken`: another holder's. */
  claim(key: string, holder: string): Promise<ClaimOutcome>;
  /** Gives the key up if `holder` holds it. */
  release(key: string, holder: string): Promise<void>;
}

/** Claims in a KV bucket (`COX_CLAIMS` unless told). */
export class KvClaimStore implements ClaimStore {
  private constructor(private readonly kv: KvBucket) {}

  /** Opens the bucket, creating it when missing. */
  static async open(nc: NatsConnection, opts: { bucket?: string; replicas?: number } = {}): Promise<KvClaimStore> {
    return new KvClaimStore(await KvBucket.open(nc, opts.bucket ?? CLAIM_BUCKET, opts));
  }

  async claim(key: string, holder: string): Promise<ClaimOutcome> {
    try {
      await this.kv.create(key, holder);
      return "claimed";
    } catch {
      const current = await this.kv.get(key);
      if (current && current.operation === "PUT" && current.string() === holder) return "held";
      if (!current || current.operation !== "PUT") {
        // Deleted or purged since: the key is free again; take it guarded by that revision.
        try {
          await this.kv.update(key, holder, current?.revision ?? 0);
          return "claimed";
        } catch {
          return "taken";
        }
      }
      return "taken";
    }
  }

  async release(key: string, holder: string): Promise<void> {
    const current = await this.kv.get(key);
    if (current && current.operation === "PUT" && current.string() === holder) await this.kv.delete(key, current.revision);
  }
}

/** Claims in memory (one process; tests and replays). */
export class MemoryClaimStore implements ClaimStore {
  readonly held = new Map<string, string>();

  async claim(key: string, holder: string): Promise<ClaimOutcome> {
    const h = this.held.get(key);
    if (h === undefined) { this.held.set(key, holder); return "claimed"; }
    return h === holder ? "held" : "taken";
  }

  async release(key: string, holder: string): Promise<void> {
    if (this.held.get(key) === holder) this.held.delete(key);
  }
}
