/**
 * Child process of figure 7 (run with `node --expose-gc --import tsx`): builds the read model of the cluster from
 * the stream, exactly as the API process does (the derived Events included), and prints the heap it takes (after full GCs) as one JSON line.
 * Arguments: NATS URL, prefix.
 */
import { connect } from "@nats-io/transport-node";
import { API_DERIVED } from "../src/projections/derivedKinds.js";
import { ProjectionRunner } from "../src/projections/runner.js";

const [url, prefix] = process.argv.slice(2) as [string, string];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };

const nc = await connect({ servers: url });
const before = heap();
const runner = await ProjectionRunner.start(nc, { prefix, name: "bench-heap", checkpoints: null, derived: API_DERIVED });
await runner.ready();
const after = heap();
const counts: Record<string, number> = {};
for (const d of runner.model.documents()) counts[d.resource] = (counts[d.resource] ?? 0) + 1;
const feedRetained = runner.feed.capacity;
process.stdout.write(`${JSON.stringify({ heapDeltaBytes: after - before, documents: counts, sequence: runner.model.sequence, feedRetained })}\n`);
await runner.stop();
await nc.close();
process.exit(0);
