// A real cluster, started by the test with the installed `coxswain` binary, driven through the three entry points.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { connectCluster, CoxswainStatusError } from "coxswain/client";
import { subscribe } from "coxswain/events";
import { replay } from "coxswain/testing";
import { scaleAndWait } from "../src/scale.js";

const COXSWAIN = fileURLToPath(new URL("../node_modules/.bin/coxswain", import.meta.url));
const rc = {
  metadata: { name: "web" },
  spec: { replicas: 1, selector: { app: "web" }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } } },
};

/** Starts `coxswain up` in its own data folder and resolves once it says it is up. */
async function startCoxswain(dataDir) {
  const child = spawn(COXSWAIN, ["up", "--data-dir", dataDir, "--nodes", "2", "--http", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coxswain up did not come up in 60 s:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes("Coxswain is up")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`coxswain up exited (${code}):\n${output}`)));
  });
  return child;
}

describe("a live cluster", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "coxswain-example-"));
  let up;
  let cluster;

  before(async () => {
    up = await startCoxswain(dataDir);
    // Found as coxctl finds it: the URL and the admin credentials in the data folder.
    cluster = await connectCluster({ dataDir });
  });

  after(async () => {
    await cluster?.close();
    if (up && up.exitCode === null) {
      up.kill("SIGTERM");
      await once(up, "exit");
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates and scales with typed commands, and refuses with typed errors", async () => {
    const created = await cluster.replicationControllers("default").create(rc);
    assert.deepEqual(created.events, ["ReplicationControllerCreated"]);
    const running = await scaleAndWait(cluster, "default", "web", 3);
    assert.equal(running.length, 3);
    const conflict = await cluster.replicationControllers("default").scale("web", 2, { expectedVersion: 1 }).catch((err) => err);
    assert.ok(conflict instanceof CoxswainStatusError, String(conflict));
    assert.equal(conflict.reason, "Conflict");
    const exists = await cluster.replicationControllers("default").create(rc).catch((err) => err);
    assert.equal(exists.reason, "AlreadyExists");
  });

  it("follows the pods' events with their sequences, and resumes after the last one seen", async () => {
    const bound = [];
    let last = 0;
    for await (const e of subscribe(cluster, { kind: "pods", namespace: "default", follow: false })) {
      if (e.type === "PodBound") bound.push(e.data.nodeName);
      last = e.sequence;
    }
    assert.equal(bound.length, 3, "each of the three pods was bound to a node");
    await cluster.pods("default").delete(running(await cluster.pods("default").list())[0], { gracePeriodSeconds: 0 });
    const after = [];
    for await (const e of subscribe(cluster, { kind: "pods", namespace: "default", from: last + 1 })) {
      after.push(e);
      if (e.type === "PodDeleted") break;
    }
    assert.ok(after.every((e) => e.sequence > last));
  });

  it("exports nothing it cannot replay: the live log replays to what the cluster lists", async () => {
    const events = [];
    for await (const e of subscribe(cluster, { follow: false })) {
      const { sequence, subject, resource, ...event } = e;
      events.push({ sequence, subject, event });
    }
    const model = await replay(events);
    const live = await cluster.replicationControllers("default").list();
    assert.deepEqual(model.items.replicationcontrollers?.map((o) => o.metadata.name), live.items.map((o) => o.metadata.name));
  });
});

function running(list) {
  return list.items.filter((p) => p.status.phase === "Running").map((p) => p.metadata.name);
}
