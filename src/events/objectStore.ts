/**
 * Coxswain's JetStream object store buckets (projection checkpoints): whole objects by name, file-backed, reached
 * through the three operations below rather than through @nats-io/obj.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { StorageType } from "@nats-io/jetstream";
import { Objm, type ObjectStore } from "@nats-io/obj";

/** An object store bucket. Every method does I/O. */
export class ObjectBucket {
  private constructor(private readonly os: ObjectStore) {}

  /** Opens the bucket `name`, creating it (file storage, `replicas` default 1) when missing. */
  static async open(nc: NatsConnection, name: string, opts: { replicas?: number } = {}): Promise<ObjectBucket> {
    return new ObjectBucket(await new Objm(nc).create(name, { storage: StorageType.File, replicas: opts.replicas ?? 1 }));
  }

  /** The object's bytes, or null when there is no such object. */
  get(name: string): Promise<Uint8Array | null> {
    return this.os.getBlob(name);
  }

  /** Stores the object, replacing any object of that name. */
  async put(name: string, data: Uint8Array): Promise<void> {
    await this.os.putBlob({ name }, data);
  }

  /** Deletes the object (nothing when there is none). */
  async delete(name: string): Promise<void> {
    await this.os.delete(name);
  }
}
