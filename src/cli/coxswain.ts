/** `coxswain`: runs the whole system (`up`) or any one of its parts against a NATS server. */
import { Command, Option } from "commander";
import type { NatsConnection } from "@nats-io/transport-node";
import { startActors } from "../actors/index.js";
import { connectNats } from "../nats/connect.js";
import { dataDirOf, explicitNatsUrl, natsUrlOf, prefixOf, type CommonFlags } from "./config.js";
import { EmbeddedNatsError, startEmbeddedNats } from "./embeddedNats.js";
import { stopOnSignal, type Stopper } from "./lifecycle.js";

const say = (line: string) => process.stdout.write(`${line}\n`);

interface UpFlags extends CommonFlags {
  replicas: string;
  nodes: string;
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

async function closeQuietly(nc: NatsConnection): Promise<void> {
  await nc.drain().catch(() => nc.close());
}

program.parseAsync().catch((err: unknown) => {
  const message = err instanceof EmbeddedNatsError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`coxswain: ${message}\n`);
  process.exit(1);
});
