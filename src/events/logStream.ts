/**
 * The container log stream's contract, shared by its writer (the node agent's LogShipper) and its readers (the pod
 * log reader): stream `COX_LOGS`, one subject per container `<prefix>.logs.<ns>.<pod>.<container>`, one message per
 * line, and headers that say which pod instance and container attempt wrote it.
 */
import { LOG_STREAM } from "./names.js";
import { nameToken } from "./subjects.js";

/** The default name of the log stream. */
export { LOG_STREAM };

/** The headers of a log line. */
export const LOG_HEADERS = {
  /** `stdout` or `stderr`. */
  stream: "Cox-Stream",
  /** The uid of the pod instance (a pod re-created under the same name has another). */
  podUid: "Cox-Pod-Uid",
  /** The container's attempt (see `containerAttempt` in src/api/podStatus.ts). */
  attempt: "Cox-Attempt",
} as const;

/** `<prefix>.logs.<ns>.<pod>.<container>`. Pure. */
export function logSubject(prefix: string, namespace: string, pod: string, container: string): string {
  return `${prefix}.logs.${namespace}.${nameToken(pod)}.${container}`;
}
