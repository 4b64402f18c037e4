// The same test kit under jest (ESM: run with `npm run test:jest`, which sets --experimental-vm-modules).
import { AssertionError } from "node:assert";
import { fileURLToPath } from "node:url";
import { given, loadLog } from "coxswain/testing";

const LOG = fileURLToPath(new URL("../fixtures/cluster.jsonl", import.meta.url));
const scale = (replicas) => ({ kind: "replicationcontrollers", name: "web", type: "ScaleReplicationController", data: { replicas } });

test("given/when/then under jest", async () => {
  const log = await loadLog(LOG);
  given(log).when(scale(5)).then([{ type: "ReplicationControllerScaled", data: { replicas: 5 } }]);
  given(log).when(scale(-1)).thenRejected("Invalid");
});

test("a wrong expectation is an AssertionError, which jest shows with its diff", async () => {
  const log = await loadLog(LOG);
  expect(() => given(log).when(scale(5)).then([{ type: "ReplicationControllerScaled", data: { replicas: 6 } }])).toThrow(AssertionError);
});
