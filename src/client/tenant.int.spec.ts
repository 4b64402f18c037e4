import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSecuredSystem, type SecuredSystem } from "../../test/harness/securedSystem.js";
import { credentialsPath } from "../auth/credentials.js";
import { recordNatsUrl } from "../cli/config.js";
import { connectCluster, CoxswainStatusError, type Cluster } from "./index.js";
import { subscribe, watch } from "../subscriptions/index.js";

const pod = (name: string) => ({ metadata: { name, labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "sim" }] } });

describe("connectCluster finds a secured cluster as coxctl does", () => {
  let sys: SecuredSystem;
  let admin: Cluster;
  let tenant: Cluster;

  beforeAll(async () => {
    sys = await startSecuredSystem(["team-a"], "sec");
    recordNatsUrl(sys.dataDir, sys.t.url);
    admin = await connectCluster({ dataDir: sys.dataDir, prefix: "sec" });
    tenant = await connectCluster({ dataDir: sys.dataDir, prefix: "sec", credentials: credentialsPath(sys.dataDir, "tenant-team-a") });
  });
  afterAll(async () => {
    await Promise.allSettled([admin?.close(), tenant?.close()]);
    await sys?.stop();
  });

  it("connects as the data folder's admin, or with a tenant's credentials file confined to its namespace", async () => {
    await admin.namespaces().create({ metadata: { name: "team-a" } });
    expect((await tenant.pods("team-a").create(pod("web-1"))).events).toEqual(["PodCreated"]);
    const elsewhere = await tenant.pods("default").create(pod("web-1")).catch((e: unknown) => e);
    expect(elsewhere).toBeInstanceOf(CoxswainStatusError);
    expect(elsewhere).toMatchObject({ reason: "Forbidden" });
    const anonymous = await connectCluster({ natsUrl: sys.t.url, prefix: "sec" }).catch((e: unknown) => e);
    expect(anonymous).toMatchObject({ reason: "Forbidden" });
  });

  it("lets the tenant watch its own namespace; following the stream is for roles with JetStream consumers", async () => {
    const seen = [];
    for await (const e of subscribe(admin, { kind: "pods", namespace: "team-a", follow: false })) seen.push(`${e.type} ${e.name}`);
    expect(seen).toEqual(["PodCreated web-1"]);
    const refused = await (async () => {
      for await (const e of subscribe(tenant, { kind: "pods", namespace: "team-a" })) return e;
      return null;
    })().catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: "Forbidden" });
    const w = await watch(tenant, "pods", { namespace: "team-a" });
    for await (const e of w) {
      expect(e).toMatchObject({ type: "ADDED", object: { metadata: { name: "web-1", namespace: "team-a" } } });
      break;
    }
  });
});
