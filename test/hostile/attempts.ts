/**
 * The hostile catalog: what each role tries outside its role, and malformed input of every sort (oversized,
 * deeply nested, not UTF-8, odd subject tokens). Each attempt says who should refuse it. Pure data.
 */
import { createNamespace, createPod } from "../harness/commands.js";

/** One attempt: as `user`, a request, a publish, a subscribe, or a raw protocol PUB. */
export interface Attempt {
  cls: string;
  user: string;
  how: "request" | "publish" | "subscribe" | "raw";
  subject: string;
  body?: unknown;
  /** Who must refuse it: the client library refuses subjects with whitespace before sending them. */
  refusedBy: "client" | "server" | "host";
}

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...enc(p)] : p)));
const started = { apiVersion: "v1", type: "ContainerStarted", data: { container: "app" } };
const bind = { apiVersion: "v1", type: "BindPod", data: { nodeName: "node-1" } };
const notReady = { apiVersion: "v1", type: "SetNodeCondition", term: 1, data: { type: "Ready", status: "False" } };
const register = (name: string) => ({ apiVersion: "v1", type: "RegisterNode", data: { metadata: { name } } });

/** Attempts outside each role: the server refuses the subjects, the host the commands of another role. */
export function roleAttempts(): Attempt[] {
  const cls = "outside the role";
  const server = (user: string, how: Attempt["how"], subject: string, body: unknown = "{}"): Attempt => ({ cls, user, how, subject, body, refusedBy: "server" });
  const host = (user: string, subject: string, body: unknown): Attempt => ({ cls, user, how: "request", subject, body, refusedBy: "host" });
  const everyone = ["viewer", "tenant-team-a", "node", "controller"].flatMap((u) => [
    server(u, "publish", "cox.ev.pods.team-a.forged", { type: "PodDeleted" }),
    server(u, "request", "$JS.API.STREAM.DELETE.COX_EVENTS"),
    server(u, "request", "$JS.API.STREAM.PURGE.COX_EVENTS"),
    server(u, "request", "$JS.API.STREAM.MSG.DELETE.COX_EVENTS", { seq: 1 }),
    server(u, "subscribe", "cox.cmd.>"),
    ...(u === "controller" ? [] : [server(u, "publish", "$KV.COX_LEASES.controllers", "{}")]),
  ]);
  return [
    ...everyone,
    server("viewer", "request", "cox.cmd.namespaces._.v-ns", createNamespace("v-ns")),
    server("viewer", "request", "cox.ctl.pods.team-a.tp", bind),
    server("viewer", "request", "cox.node.node-1.pods.team-a.tp", started),
    server("viewer", "publish", "cox.watch.team-a.forged", { type: "DELETED" }),
    server("tenant-team-a", "request", "cox.cmd.pods.team-b.x", createPod("x", "team-b")),
    server("tenant-team-a", "request", "cox.cmd.namespaces._.team-a", { apiVersion: "v1", type: "DeleteNamespace", data: {} }),
    server("tenant-team-a", "request", "cox.api.pods.team-b.list"),
    server("tenant-team-a", "request", "cox.api.pods._all.list"),
    server("tenant-team-a", "request", "cox.api.nodes._.list"),
    server("tenant-team-a", "request", "$JS.API.STREAM.INFO.COX_EVENTS"),
    ...["_INBOX.>", "cox.ev.>", "cox.ev.*.team-b.>", "cox.watch.team-b.*", "cox.watch.*.*", "cox.logs.team-b.>"].map((s) => server("tenant-team-a", "subscribe", s)),
    host("tenant-team-a", "cox.cmd.pods.team-a.tp", bind),
    host("tenant-team-a", "cox.cmd.pods.team-a.tp", started),
    host("tenant-team-a", "cox.cmd.nodes.team-a.x", register("x")),
    server("node", "request", "cox.cmd.pods.team-a.tp", bind),
    server("node", "request", "cox.ctl.pods.team-a.tp", bind),
    host("node", "cox.node.node-1.pods.team-a.tp", bind),
    host("node", "cox.node.node-1.pods.team-a.tp", started),
    host("node", "cox.node.node-1.nodes._.node-2", notReady),
    host("node", "cox.node.node-1.nodes._.node-2", register("node-2")),
    server("controller", "request", "cox.node.node-1.pods.team-a.tp", started),
    server("controller", "request", "cox.cmd.namespaces._.c-ns", createNamespace("c-ns")),
    server("controller", "publish", "$KV.COX_NODE_LEASES.node-1", "{}"),
    host("controller", "cox.ctl.pods.team-a.tp", started),
    host("controller", "cox.ctl.pods.team-a.tp", bind),
  ];
}

/** Bodies over the host's 256 KiB and over the server's 1 MiB max_payload. */
export function oversizeAttempts(): Attempt[] {
  const big = (bytesLong: number) => JSON.stringify({ ...createNamespace("big"), data: { metadata: { name: "big", annotations: { a: "x".repeat(bytesLong) } } } });
  return [
    { cls: "oversized", user: "admin", how: "request", subject: "cox.cmd.namespaces._.big", body: big(256 * 1024), refusedBy: "host" },
    { cls: "oversized", user: "admin", how: "request", subject: "cox.cmd.namespaces._.big", body: big(900 * 1024), refusedBy: "host" },
    { cls: "oversized", user: "admin", how: "request", subject: "cox.api.pods.team-a.list", body: big(300 * 1024), refusedBy: "host" },
    { cls: "oversized", user: "admin", how: "raw", subject: "cox.cmd.namespaces._.big", body: big(1024 * 1024), refusedBy: "server" },
    { cls: "oversized", user: "tenant-team-a", how: "raw", subject: "cox.cmd.pods.team-a.big", body: big(2 * 1024 * 1024), refusedBy: "server" },
  ];
}

/** JSON nested 100,000 levels deep (arrays) and 40,000 deep (objects: 200 KB), in every place a body has. */
export function deepAttempts(): Attempt[] {
  const arrays = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  const objects = `${'{"a":'.repeat(40_000)}1${"}".repeat(40_000)}`;
  const at = (subject: string, body: string): Attempt => ({ cls: "deeply nested JSON", user: "admin", how: "request", subject, body, refusedBy: "host" });
  return [
    at("cox.cmd.pods.team-a.deep", arrays),
    at("cox.cmd.pods.team-a.deep", objects),
    at("cox.cmd.pods.team-a.deep", `{"apiVersion":"v1","type":"CreatePod","data":${arrays}}`),
    at("cox.cmd.pods.team-a.deep", `{"apiVersion":"v1","type":"CreatePod","data":{"metadata":{"name":"deep","labels":${objects}},"spec":{"containers":[]}}}`),
    at("cox.cmd.pods.team-a.deep", `{"apiVersion":"v1","type":"CreatePod","id":${arrays},"data":{}}`),
    at("cox.cmd.namespaces._.deep", `{"apiVersion":"v1","type":"UpdateNamespace","data":{"metadata":{"name":"deep","annotations":${objects}}}}`),
    at("cox.api.pods.team-a.list", `{"labelSelector":${arrays}}`),
    at("cox.api.pods.team-a.get", objects),
  ];
}

/** Bodies that are not UTF-8: stray bytes, overlong forms, surrogates, truncated sequences. */
export function utf8Attempts(): Attempt[] {
  const head = '{"apiVersion":"v1","type":"CreateNamespace","data":{"metadata":{"name":"';
  const tail = '"}}}';
  const bodies = [
    bytes([0xff, 0xfe, 0xfd]),
    bytes(head, [0xc3, 0x28], tail),
    bytes(head, [0xc0, 0xaf], tail),
    bytes(head, [0xed, 0xa0, 0x80], tail),
    bytes(head, [0xe2, 0x82], tail),
    bytes(head, [0xf8, 0x88, 0x80, 0x80, 0x80], tail),
    bytes(head, "nul", [0x00], tail),
  ];
  return [
    ...bodies.map((body): Attempt => ({ cls: "not UTF-8", user: "admin", how: "request", subject: "cox.cmd.namespaces._.utf", body, refusedBy: "host" })),
    { cls: "not UTF-8", user: "admin", how: "request", subject: "cox.api.pods.team-a.list", body: bytes([0xff, 0x7b, 0x7d]), refusedBy: "host" },
  ];
}

/** Subjects with odd tokens: unicode, wildcards, empty, 300 characters, spaces, wrong counts and cases. */
export function subjectAttempts(): Attempt[] {
  const body = createPod("x", "team-a");
  const at = (user: string, how: Attempt["how"], subject: string, refusedBy: Attempt["refusedBy"]): Attempt => ({ cls: "odd subject tokens", user, how, subject, body, refusedBy });
  return [
    at("admin", "request", "cox.cmd.pods.team-a.wéb", "host"),
    at("admin", "request", "cox.cmd.pods.team-a.🚀", "host"),
    at("admin", "request", "cox.cmd.pods.team-a.*", "host"),
    at("admin", "request", "cox.cmd.pods.*.x", "host"),
    at("admin", "request", "cox.cmd.pods.team-a.>", "host"),
    at("admin", "request", "cox.cmd.pods..x", "server"),
    at("admin", "request", "cox.cmd.pods.team-a.", "server"),
    at("admin", "request", ".cox.cmd.pods.team-a.x", "server"),
    at("admin", "request", `cox.cmd.pods.team-a.${"a".repeat(300)}`, "host"),
    at("admin", "request", `cox.cmd.pods.${"n".repeat(300)}.x`, "host"),
    at("admin", "request", "cox.cmd.pods.team-a.x.y", "host"),
    at("admin", "request", "cox.cmd.pods.team-a", "host"),
    at("admin", "request", "cox.cmd.PODS.team-a.x", "host"),
    at("admin", "request", "cox.cmd.pods.Team-A.x", "host"),
    at("admin", "request", "cox.node.NODE.pods.team-a.x", "host"),
    at("admin", "request", "cox.api.pods.team-a.x.list", "host"),
    at("admin", "request", "cox.api.pods.*.list", "host"),
    at("admin", "request", "cox.cmd.pods.team-a.a b", "client"),
    at("admin", "request", "cox.cmd.pods.team-a.a\tb", "client"),
    at("admin", "raw", "", "server"),
    at("tenant-team-a", "request", "cox.cmd.pods.*.x", "server"),
    at("tenant-team-a", "request", "cox.cmd.*.team-b.x", "server"),
    at("tenant-team-a", "request", "cox.cmd.pods.team-a.*", "host"),
    at("tenant-team-a", "request", "cox.cmd.pods.team-a..", "server"),
    at("tenant-team-a", "subscribe", "cox.ev.*.*.>", "server"),
  ];
}
