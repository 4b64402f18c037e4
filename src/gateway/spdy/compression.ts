/**
 * The two zlib contexts of a SPDY/3 session: one inflate for every header block the peer sends, one deflate for
 * every header block we send, both preset with the SPDY/3 dictionary and each lasting the whole session (a block
 * after the first has no zlib header and refers back to earlier blocks). Every block ends with a sync flush.
 *
 * Node's zlib streams are asynchronous; each context runs its blocks one after another (an internal promise chain),
 * so blocks come out in the order they went in even when callers do not wait.
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from "node:zlib";
import { SPDY3_DICTIONARY } from "./dictionary.js";
import { FrameError, decodeHeaderBlock, encodeHeaderBlock } from "./frames.js";

/** Decompressed header blocks larger than this are refused (a decompression bomb would otherwise fill memory). */
export const MAX_HEADER_BLOCK = 256 * 1024;

type ZlibContext = Deflate | Inflate;

/** Feeds one block through a long-lived zlib stream and collects what it gives up to the block's sync flush. */
class SerialZlib {
  private tail: Promise<unknown> = Promise.resolve();
  private failed: Error | undefined;

  constructor(private readonly z: ZlibContext, private readonly limit: number) {
    z.on("error", (err: Error) => {
      this.failed ??= err;
    });
  }

  run(input: Buffer): Promise<Buffer> {
    const result = this.tail.then(() => this.once(input));
    this.tail = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.z.destroy();
  }

  private once(input: Buffer): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    const z = this.z;
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        z.off("readable", onReadable);
        z.off("error", finish);
        z.off("close", onClose);
        if (err) this.failed ??= err;
        if (this.failed) reject(this.failed);
        else resolve(Buffer.concat(chunks, size));
      };
      // Reading as output comes keeps zlib going past its readable high-water mark (it waits for a read there).
      const onReadable = (): void => {
        for (let c = z.read() as Buffer | null; c !== null && !settled; c = z.read() as Buffer | null) {
          chunks.push(c);
          size += c.length;
          if (size > this.limit) finish(new FrameError(`header block over ${this.limit} bytes`));
        }
      };
      const onClose = (): void => finish(new Error("SPDY: header compression context closed"));
      z.on("readable", onReadable);
      z.once("error", finish);
      z.once("close", onClose);
      z.write(input);
      // The flush's callback runs once zlib has pushed all the output of this block (it pushes before calling back).
      z.flush(constants.Z_SYNC_FLUSH, (err?: Error | null) => {
        onReadable();
        finish(err ?? undefined);
      });
    });
  }
}

/** Our side's deflate context: header maps in, compressed blocks out. */
export class HeaderCompressor {
  private readonly z: SerialZlib;

  constructor() {
    this.z = new SerialZlib(createDeflate({ dictionary: SPDY3_DICTIONARY }), Number.POSITIVE_INFINITY);
  }

  compress(headers: Record<string, string>): Promise<Buffer> {
    return this.z.run(encodeHeaderBlock(headers));
  }

  close(): void {
    this.z.close();
  }
}

/** The peer's inflate context: compressed blocks in, header maps out. Rejects on corrupt or oversized blocks. */
export class HeaderDecompressor {
  private readonly z: SerialZlib;

  constructor() {
    this.z = new SerialZlib(createInflate({ dictionary: SPDY3_DICTIONARY }), MAX_HEADER_BLOCK);
  }

  async decompress(block: Buffer): Promise<Record<string, string>> {
    return decodeHeaderBlock(await this.z.run(block));
  }

  close(): void {
    this.z.close();
  }
}
