/** `coxswain`: runs the whole system (`up`) or any one of its parts against a NATS server. */
import { Command, Option } from "commander";
import type { NatsConnection } from "@nats-io/transport-node";
import { startActors } from "../actors/index.js";
import { connectNats } from "../nats/connect.js";
import { replay, startApi } from "../projections/index.js";
import { dataDirOf, explicitNatsUrl, natsUrlOf, prefixOf, type CommonFlags } from "./config.js";
import { EmbeddedNatsError, startEmbeddedNats } from "./embeddedNats.js";
import { stopOnSignal, type Stopper } from "./lifecycle.js";

const say = (line: string) => process.stdout.write(`${line}\n`);

interface UpFlags extends CommonFlags {
  replicas: string;
  nodes: string;
  http: string;
}

const program = new Command("coxswain").description("A container-orchestration control plane on NATS JetStream");

function common(cmd: Command): Command {
  return cmd
    .option("--nats <url>", "NATS server URL (default: $NATS_URL, else the managed server of --data-dir)")
    .option("--prefix <prefix>", "subject prefix (default: $COX_PREFIX or cox)")
    .option("--data-dir <dir>", "data folder of the embedded default", ".coxswain")
    .addOption(new Option("--replicas <n>", "replicas of streams and buckets").default("1"));
}

common(program.command("up"))
  .description("run everything in one process; starts a managed nats-server unless --nats/NATS_URL is given")
  .option("--nodes <n>", "simulated nodes to run", "3")
  .option("--http <port>", "HTTP API port (a free one when taken)", "8080")
  .action(async (flags: UpFlags) => {
    const stoppers: Stopper[] = [];
    let url = explicitNatsUrl(flags);
    if (!url) {
      const server = await startEmbeddedNats(dataDirOf(flags), say);
      stoppers.push(() => server.stop());
      url = server.url;
    }
    const nc = await connectNats(url, "coxswain-up");
    stoppers.push(() => closeQuietly(nc));
    const prefix = prefixOf(flags);
    const host = await startActors(nc, { prefix, replicas: Number(flags.replicas) });
    stoppers.push(() => host.stop());
    const api = await startApi(nc, { prefix, replicas: Number(flags.replicas), httpPort: Number(flags.http), httpFallback: true, defaultMetrics: true });
    stoppers.push(() => api.stop());
    say(`  HTTP API: http://127.0.0.1:${api.http?.port ?? "-"}   reads: ${prefix}.api.<kind>.<ns>.get|list|watch`);
    say(`Coxswain is up. NATS: ${url}  prefix: ${prefix}  data: ${dataDirOf(flags)}`);
    say(`  commands: ${prefix}.cmd.<kind>.<ns>.<name>   events: ${prefix}.ev.>   (Ctrl-C stops)`);
    stopOnSignal(stoppers, say);
  });

common(program.command("actors"))
  .description("run an actor host (any number may run against one NATS)")
  .option("--snapshot-every <n>", "write a snapshot after this many events", "50")
  .option("--max-live <n>", "most live entities before passivation", "10000")
  .action(async (flags: CommonFlags & { replicas: string; snapshotEvery: string; maxLive: string }) => {
    const nc = await connectNats(natsUrlOf(flags), "coxswain-actors");
    const host = await startActors(nc, {
      prefix: prefixOf(flags), replicas: Number(flags.replicas),
      snapshotEvery: Number(flags.snapshotEvery), maxLive: Number(flags.maxLive),
    });
    say(`actor host ready (pid ${process.pid})`);
    stopOnSignal([() => closeQuietly(nc), () => host.stop()]);
  });

common(program.command("api"))
  .description("run the read model and serve reads on NATS and HTTP (any number may run against one NATS)")
  .option("--http <port>", "HTTP API port (0: a free one)", "8080")
  .option("--name <name>", "projection name: the key of its checkpoint in COX_CHECKPOINTS", "api")
  .option("--checkpoint-every <n>", "write a checkpoint after this many events", "10000")
  .action(async (flags: CommonFlags & { replicas: string; http: string; name: string; checkpointEvery: string }) => {
    const nc = await connectNats(natsUrlOf(flags), "coxswain-api");
    const started = Date.now();
    const api = await startApi(nc, {
      prefix: prefixOf(flags), replicas: Number(flags.replicas), httpPort: Number(flags.http), name: flags.name,
      checkpointEvery: Number(flags.checkpointEvery), defaultMetrics: true,
    });
    say(`API ready (pid ${process.pid}): http://127.0.0.1:${api.http?.port ?? "-"}`);
    void api.runner.ready().then(() => say(`read model caught up at ${api.runner.model.sequence} in ${Date.now() - started} ms (from checkpoint ${api.runner.stats.startedFrom})`));
    stopOnSignal([() => closeQuietly(nc), () => api.stop()], say);
  });

program.command("replay")
  .description("rebuild the read model from an exported JSON-lines event log, without a server, and print it")
  .argument("<file>", "the log (one { sequence, subject, event } per line)")
  .option("--api-version <v>", "v1 or v1beta1", "v1")
  .action(async (file: string, flags: { apiVersion: string }) => {
    const result = await replay(file, { apiVersion: flags.apiVersion === "v1beta1" ? "v1beta1" : "v1" });
    say(JSON.stringify(result, null, 2));
  });

async function closeQuietly(nc: NatsConnection): Promise<void> {
  await nc.drain().catch(() => nc.close());
}

program.parseAsync().catch((err: unknown) => {
  const message = err instanceof EmbeddedNatsError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`coxswain: ${message}\n`);
  process.exit(1);
});
