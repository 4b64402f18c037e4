/** `coxctl`: the command-line client, in the habits of kubectl. Wiring only; each verb lives in ./coxctl/. */
import { Command } from "commander";
import { DEFAULT_DATA_DIR } from "./config.js";
import { createOrApply, type CreateFlags } from "./coxctl/create.js";
import { deleteObjects } from "./coxctl/delete.js";
import { describe } from "./coxctl/describe.js";
import { errorText } from "./coxctl/errors.js";
import { events, exportEvents } from "./coxctl/events.js";
import { get } from "./coxctl/get.js";
import { leader } from "./coxctl/leader.js";
import { logs } from "./coxctl/logs.js";
import { replay } from "./coxctl/replay.js";
import { rollingUpdate } from "./coxctl/rollingUpdate.js";
import { scale } from "./coxctl/scale.js";
import { top } from "./coxctl/top.js";

const program = new Command("coxctl")
  .description("coxctl controls a Coxswain cluster (kubectl's habits, on NATS)")
  .option("--nats <urls>", "NATS server URL, or several comma-separated (default: $NATS_URL, else the nats.url of --data-dir)")
  .option("--prefix <prefix>", "subject prefix (default: $COX_PREFIX or cox)")
  .option("--data-dir <dir>", `data folder of \`coxswain up\` (default: $COX_DATA_DIR or ${DEFAULT_DATA_DIR})`)
  .option("--user <user>", "NATS user")
  .option("--password <password>", "NATS password")
  .option("--credentials <file>", "credentials file (default: the data folder's credentials/admin.json when present)")
  .option("-n, --namespace <ns>", "namespace (default: default)")
  .option("--request-timeout <duration>", "how long to wait for each request to the server, as kubectl's (1s, 2m; a bare number is seconds; 0: the default, 10s)")
  .showSuggestionAfterError();

const collect = (value: string, previous: string[]) => [...previous, value];

/** Wraps a verb: its flags merged with the global ones; a failure printed as kubectl does, exit code 1. */
function verb<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    // commander passes the positional arguments, the command's own options, then the command.
    const positional = args.slice(0, -2);
    try {
      await run(...([...positional, cmd.optsWithGlobals()] as A));
    } catch (err) {
      process.stderr.write(`${errorText(err)}\n`);
      process.exitCode = 1;
    }
  };
}

program.command("get")
  .description("show objects: get pods, get pod web -o yaml, get rc -l app=web, get nodes -w")
  .argument("<kind>", "pods|po, replicationcontrollers|rc, nodes|no, namespaces|ns, podtemplates (or kind/name); cluster: NATS servers, streams and processes")
  .argument("[name]", "one object")
  .option("-o, --output <format>", "wide, json, yaml or name")
  .option("-l, --selector <selector>", "label selector (app=web,tier!=db)")
  .option("--field-selector <selector>", "field selector (spec.nodeName=node-1, status.phase=Running)")
  .option("-A, --all-namespaces", "every namespace")
  .option("-w, --watch", "after the list, print changes until Ctrl-C")
  .option("--chunk-size <n>", "read the list in pages of n objects (default 500)")
  .action(verb(get));

program.command("describe")
  .description("show an object in words, with its recent events")
  .argument("<kind>").argument("[name]")
  .action(verb(describe));

for (const mode of ["create", "apply"] as const) {
  program.command(mode)
    .description(mode === "create" ? "create the objects of manifests (YAML or JSON; a file, a folder or -)" : "create the objects of manifests, or update those that exist")
    .requiredOption("-f, --filename <path>", "file, folder or - (stdin); repeatable", collect, [])
    .action(verb((flags: CreateFlags) => createOrApply(mode, flags)));
}

program.command("delete")
  .description("delete objects: delete pod web, delete rc/front, delete -f manifest.yaml")
  .argument("[objects...]", "kind and names, or kind/name …")
  .option("-f, --filename <path>", "file, folder or - (stdin); repeatable", collect, [])
  .option("--grace-period <seconds>", "seconds a pod gets to stop (0: at once)")
  .action(verb(deleteObjects));

program.command("scale")
  .description("set a replication controller's replicas: scale rc web --replicas 3")
  .argument("<kind>").argument("[name]")
  .requiredOption("--replicas <n>", "the new replica count")
  .action(verb(scale));

program.command("logs")
  .description("print a container's output (from COX_LOGS)")
  .argument("<pod>")
  .option("-c, --container <name>", "the container (needed when the pod has several)")
  .option("-f, --follow", "keep printing new lines of the running container until it is replaced or Ctrl-C")
  .option("--tail <lines>", "only the last lines (-1: all)")
  .option("--since <duration>", "only lines newer than this: 10s, 5m, 1h")
  .option("-p, --previous", "the previous instance of the container (after a restart)")
  .option("--timestamps", "prefix each line with its RFC 3339 time")
  .action(verb(logs));

const eventsCmd = program.command("events")
  .description("print the event stream, filtered; events export writes it as JSON lines")
  .argument("[name]", "one object's events")
  .option("--kind <kind>", "only this kind (pods, rc, nodes, …)")
  .option("-w, --watch", "keep printing new events until Ctrl-C")
  .action(verb(events));
eventsCmd.command("export")
  .description("write the event log as JSON lines to stdout (events export > log.jsonl)")
  .option("--kind <kind>", "only this kind")
  .action(verb(exportEvents));

program.command("replay")
  .description("print the read model rebuilt from an exported log, without a server")
  .argument("<file>", "a JSON-lines log from `coxctl events export`")
  .option("-o, --output <format>", "wide, json, yaml or name")
  .action(verb(replay));

program.command("top")
  .description("CPU and memory of pods or nodes (from the node agents' samples): top pods, top nodes, top pod web --containers")
  .argument("<kind>", "pods|pod|po or nodes|node|no")
  .argument("[name]", "one pod or node")
  .option("-A, --all-namespaces", "pods of every namespace")
  .option("--containers", "one line per container")
  .action(verb(top));

program.command("leader")
  .description("show each elected component's holder, term, and age of its last renewal")
  .action(verb(leader));

program.command("rolling-update")
  .description("replace a replication controller's pods one by one with a new image (resumable)")
  .argument("<rc>")
  .requiredOption("--image <image>", "the new image")
  .option("--container <name>", "the container whose image changes (needed when there are several)")
  .option("--update-period <duration>", "pause between steps", "1s")
  .option("--poll-interval <duration>", "how often to check the new pods", "1s")
  .option("--timeout <duration>", "longest wait for one step's pods", "5m")
  .action(verb(rollingUpdate));

await program.parseAsync();
process.exit(process.exitCode ?? 0);
