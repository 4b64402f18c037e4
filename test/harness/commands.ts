/** Sending commands the way any NATS client does: a JSON request on `<prefix>.cmd.<kind>.<ns>.<name>`. */
import type { NatsConnection } from "@nats-io/transport-node";
import { CommandReply } from "../../src/api/reply.js";

/** Sends one command and parses the reply. */
export async function sendCommand(nc: NatsConnection, subject: string, body: unknown, timeout = 10_000): Promise<CommandReply> {
  const payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  const msg = await nc.request(subject, payload, { timeout });
  return CommandReply.parse(msg.json());
}

/** A CreateNamespace body. */
export function createNamespace(name: string, id?: string, labels?: Record<string, string>) {
  return { apiVersion: "v1", type: "CreateNamespace", ...(id ? { id } : {}), data: { metadata: { name, ...(labels ? { labels } : {}) } } };
}

/** An UpdateNamespace body that sets the labels. */
export function updateNamespace(name: string, id: string, labels: Record<string, string>) {
  return { apiVersion: "v1", type: "UpdateNamespace", id, data: { metadata: { name, labels } } };
}

/** A v1 CreatePod body with one simulated container. */
export function createPod(name: string, namespace = "default", id?: string) {
  return { apiVersion: "v1", type: "CreatePod", ...(id ? { id } : {}), data: { metadata: { name, namespace }, spec: { containers: [{ name: "app", image: "sim" }] } } };
}
