/**
 * A server-side SPDY/3.1 session for Kubernetes' streaming protocols (kubectl exec/attach over
 * v4.channel.k8s.io, kubectl port-forward over portforward.k8s.io): hand it an upgraded socket, get the client's
 * streams as Node Duplexes.
 */
export { serveSpdy, type SpdySession, type SpdySessionOptions } from "./session.js";
export type { SpdyStream } from "./stream.js";
/** Status codes for `SpdyStream.reset(status)`. */
export { RstStatus } from "./frames.js";
