/**
 * The Kubernetes-compatible API server: discovery, OpenAPI, reads and writes of every registered kind, for real
 * kubectl and client libraries. `startKubeApi` serves it over HTTPS with the data folder's certificate and users.
 */
import { evictions } from "./eviction.js";
import { tokenRequests } from "./tokenRequest.js";
import { TokenStore } from "../auth/tokens.js";
import { UserConnections } from "../auth/userConnections.js";
import { ensureKubeconfig } from "../auth/kubeconfig.js";
import { ensurePki } from "../auth/pki.js";
import type { CommandSender } from "../nats/commandClient.js";
import type { ReadService } from "../projections/readService.js";
import { ensureServiceAccountKey } from "../auth/serviceAccountToken.js";
import { tokenDoor } from "./auth.js";
import { serviceAccountAuthority, serviceAccountDoor } from "./serviceAccounts.js";
import { startServiceAccountNats } from "./serviceAccountNats.js";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { createLogger } from "../log.js";
import { openDoor, type CallerResolver } from "./caller.js";
import { createGateway, type Gateway, type GatewayOptions } from "./gateway.js";
import { listen, type Listening } from "../projections/httpApi.js";
import { keepApiEndpoints } from "./apiEndpoints.js";

export { createGateway, type Gateway, type GatewayOptions, type SubresourceReader } from "./gateway.js";
export { openDoor, type Caller, type CallerResolver, type RequestedAccess } from "./caller.js";
export { tokenDoor } from "./auth.js";
export { listen, type Listening, type ListenOptions } from "../projections/httpApi.js";

/** Options of the HTTPS API. */
export interface KubeApiOptions {
  service: ReadService;
  dataDir: string;
  natsUrl: string;
  prefix: string;
  port: number;
  /** The address to listen on (default 127.0.0.1); the serving certificate names it too. */
  host?: string | undefined;
  fallbackToFreePort?: boolean;
  /** `users`: bearer tokens and the users' permissions; `none`: anyone may do anything, sent with `openSender`. */
  auth: "users" | "none";
  openSender: CommandSender;
  /** With users: serve the service-account door on NATS (`<prefix>.sa.>`) on this connection. */
  nats?: NatsConnection;
  extra?: Pick<GatewayOptions, "subresources" | "bookmarkIntervalMs" | "metrics" | "resourceMetrics" | "clusterStatus" | "upgrades" | "nodeLeases" | "proxies">;
}

/** A running HTTPS API and the admin kubeconfig it wrote. */
export interface KubeApi {
  listening: Listening;
  gateway: Gateway;
  kubeconfigPath: string;
  close(): Promise<void>;
}

/** Serves the gateway over HTTPS and writes `<data-dir>/kubeconfig` for the admin. */
export async function startKubeApi(opts: KubeApiOptions): Promise<KubeApi> {
  const pki = await ensurePki(opts.dataDir, opts.host);
  let connections: UserConnections | null = null;
  let door: CallerResolver;
  let saDoor: Subscription | undefined;
  const serviceAccountKey = ensureServiceAccountKey(opts.dataDir);
  if (opts.auth === "users") {
    const store = TokenStore.open(opts.dataDir);
    connections = new UserConnections({ url: opts.natsUrl, credentials: (u) => store.credentials(u), prefix: opts.prefix });
    // Users' tokens first; a pod's service-account token is judged by RBAC over the read model, on both doors.
    const authority = serviceAccountAuthority(serviceAccountKey, opts.service, opts.openSender);
    door = serviceAccountDoor(authority, tokenDoor(store, connections, opts.prefix));
    if (opts.nats) saDoor = startServiceAccountNats(opts.nats, opts.prefix, opts.service, authority, createLogger("api"));
  } else {
    door = openDoor(opts.openSender, "admin");
  }
  let address = "";
  const subresourceCreates = { "serviceaccounts/token": tokenRequests(serviceAccountKey, opts.service.runner.model), "pods/eviction": evictions() };
  const gateway = createGateway({ service: opts.service, door, serverAddress: () => address, subresourceCreates, ...opts.extra });
  const listening = await listen((req, res) => void gateway.handle(req, res), {
    port: opts.port, onUpgrade: gateway.upgrade, tls: { key: pki.keyPem, cert: pki.certPem },
    ...(opts.host ? { host: opts.host } : {}), ...(opts.fallbackToFreePort ? { fallbackToFreePort: true } : {}),
  });
  address = new URL(listening.url).host;
  const kubeconfigPath = await ensureKubeconfig(opts.dataDir, listening.url);
  const endpoints = keepApiEndpoints(opts.openSender, opts.service.runner.model, listening.url, createLogger("api"));
  return {
    listening, gateway, kubeconfigPath,
    async close() {
      endpoints.stop();
      gateway.close();
      await saDoor?.drain().catch(() => undefined);
      await listening.close();
      await connections?.close();
    },
  };
}
