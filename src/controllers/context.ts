/** What every reconciler works with: the read model, a command sender (fenced with the term), a clock and a logger. */
import type { Logger } from "pino";
import type { ClusterView } from "../projections/clusterView.js";
import type { CommandSender } from "../nats/commandClient.js";

/** The ports of a reconciler; tests give an in-memory view, a recording sender and a hand-moved clock. */
export interface ControllerContext {
  view: ClusterView;
  sender: CommandSender;
  /** Monotonic milliseconds (`performance.now()` in production): only differences matter. */
  now: () => number;
  logger: Logger;
}
