// Ships every container's output from Coxswain's log stream elsewhere: here, JSON lines on stdout
// (pipe them to a file, Vector, Fluent Bit, Loki's promtail, …). A durable consumer remembers what it has
// shipped, so a restarted shipper goes on where it stopped; each line is acknowledged once written.
//
//   NATS_URL=nats://127.0.0.1:4222 NATS_USER=admin NATS_PASSWORD=… node examples/ship-logs.mjs >> cluster.log
//
// Env: NATS_URL, NATS_USER, NATS_PASSWORD, COX_PREFIX (default cox), SHIPPER (the consumer's name,
// default log-shipper), FILTER (default <prefix>.logs.>, e.g. cox.logs.prod.> for one namespace).
import { connect } from "@nats-io/transport-node";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.COX_PREFIX ?? "cox";
const name = process.env.SHIPPER ?? "log-shipper";
const nc = await connect({
  servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
  ...(process.env.NATS_USER ? { user: process.env.NATS_USER, pass: process.env.NATS_PASSWORD } : {}),
});
const jsm = await jetstreamManager(nc);
await jsm.consumers.add("COX_LOGS", {
  durable_name: name, filter_subject: process.env.FILTER ?? `${prefix}.logs.>`,
  ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
});
const messages = await jetstream(nc).consumers.get("COX_LOGS", name).then((c) => c.consume());
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => messages.stop());
for await (const m of messages) {
  const [namespace, pod, container] = m.subject.split(".").slice(-3);
  const record = {
    time: m.timestamp, namespace, pod, container,
    stream: m.headers?.get("Cox-Stream"), attempt: Number(m.headers?.get("Cox-Attempt")), line: m.string(),
  };
  process.stdout.write(`${JSON.stringify(record)}\n`);
  m.ack();
}
await nc.drain();
