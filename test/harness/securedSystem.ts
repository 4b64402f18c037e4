/**
 * The control plane in this process (an actor host and an API, as `system`) against a real nats-server that
 * knows one user per role, with the limits of the managed server (1 MiB max_payload): for attacking it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureCredentials, ensureTenant, listCredentials } from "../../src/auth/credentials.js";
import { renderAuthorization } from "../../src/auth/natsAuthConfig.js";
import type { Role } from "../../src/auth/roles.js";
import { startActors, type ActorHost } from "../../src/actors/index.js";
import { EventStore } from "../../src/events/eventStore.js";
import { startApi, type Api } from "../../src/projections/index.js";
import { startTestNats, type TestNats } from "./natsServer.js";
import { connectAs, type UserConnection } from "./users.js";

/** A running secured system. */
export interface SecuredSystem {
  t: TestNats;
  /** The folder of the users' credentials. */
  dataDir: string;
  prefix: string;
  store: EventStore;
  host: ActorHost;
  api: Api;
  /** Connects as a user (`admin`, `viewer`, `controller`, `node`, `tenant-<ns>`); closed by `stop`. */
  as(user: string): Promise<UserConnection>;
  stop(): Promise<void>;
}

const ROLES: { user: string; role: Role }[] = [
  { user: "admin", role: "admin" }, { user: "system", role: "system" }, { user: "controller", role: "controller" },
  { user: "node", role: "node" }, { user: "viewer", role: "viewer" },
];

/** Starts nats-server with a user per role and a tenant per namespace of `tenants`, then actors and API as `system`. */
export async function startSecuredSystem(tenants: string[], prefix = "cox"): Promise<SecuredSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), "cox-secured-"));
  for (const u of ROLES) ensureCredentials(dataDir, u.user, u.role);
  for (const ns of tenants) ensureTenant(dataDir, ns);
  const t = await startTestNats({ configText: `max_payload: 1MB\n${renderAuthorization(listCredentials(dataDir), prefix)}` });
  const users: UserConnection[] = [];
  const as = async (user: string) => {
    const u = await connectAs(t.url, dataDir, user);
    users.push(u);
    return u;
  };
  const system = await as("system");
  const host = await startActors(system.nc, { prefix });
  const api = await startApi(system.nc, { prefix, checkpoints: false });
  const store = await EventStore.open(system.nc, { prefix });
  return {
    t, dataDir, prefix, store, host, api, as,
    async stop() {
      await api.stop();
      await host.stop();
      await Promise.allSettled(users.map((u) => u.nc.close()));
      await t.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
