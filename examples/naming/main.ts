/**
 * The naming-patterns example program: one small HTTP server on `$POD_IP:8080` that every pod of the four patterns
 * runs. `GET /` answers the pod's name (`$POD_NAME`). Any pod can also act as a client through the cluster's DNS:
 * `GET /lookup?name=db-0.db` resolves the name with the pod's resolver and search list and asks each address for its
 * name; `GET /route?key=K` sends the key to the Service of its shard (`shard-<fnv1a(K) % $SHARDS>`) by DNS name. With
 * `--lease-name NAME` the pod also campaigns for a Lease (examples/leader-election's elector) and carries the label
 * `role=leader` exactly while it leads, so a Service selecting `role: leader` reaches the leader.
 */
import { request, createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { ClusterResolver } from "./resolver.js";
import { shardOf, shardService } from "./shard.js";

const PORT = 8080;
const podName = process.env.POD_NAME ?? "unknown";
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
const flag = (name: string) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** The body of an HTTP GET to `host:port` (a fresh connection each time, so a Service's proxy picks anew). */
function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, agent: false, timeout: 3_000 }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve(body));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

let resolver: ClusterResolver | undefined;
const dns = () => (resolver ??= new ClusterResolver());

/** `/lookup?name=`: the name's addresses through the pod's resolver, and what each answers on port 8080. */
async function lookup(name: string): Promise<object> {
  const found = await dns().resolve4(name);
  if (!found) return { name, ips: [] };
  const answers = await Promise.all(found.ips.map((ip) => get(ip, PORT).catch((err: Error) => `error: ${err.message}`)));
  return { name, ...found, answers };
}

/** `/route?key=`: the key's shard, its Service's address by DNS name, and what the Service answered. */
async function route(key: string): Promise<object> {
  const shard = shardOf(key, Number(process.env.SHARDS ?? "1"));
  const service = shardService(shard);
  const found = await dns().resolve4(service);
  if (!found) return { key, shard, service, error: "NXDOMAIN" };
  return { key, shard, service, ip: found.ips[0], answer: await get(found.ips[0] ?? "", PORT) };
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://pod");
  const arg = (k: string) => url.searchParams.get(k) ?? "";
  try {
    if (url.pathname === "/lookup") return void res.end(JSON.stringify(await lookup(arg("name"))));
    if (url.pathname === "/route") return void res.end(JSON.stringify(await route(arg("key"))));
    res.end(podName);
  } catch (err) {
    res.statusCode = 500;
    res.end(JSON.stringify({ error: (err as Error).message }));
  }
}

const server = createServer((req, res) => void serve(req, res));
server.listen(PORT, process.env.POD_IP, () => log(`${podName} serving on ${process.env.POD_IP ?? "*"}:${PORT}`));
const leaseName = flag("lease-name");
if (leaseName) {
  const stop = new AbortController();
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => stop.abort());
  // Only a campaigning pod loads the Kubernetes client (seconds of CPU on a busy machine).
  const { campaign } = await import("./campaign.js");
  await campaign(leaseName, podName, log, stop.signal);
  process.exit(0);
}
